// The lists that pages show over many processes: the process list and the adoption queue.
// Each reads one page of rows by keyset and counts its matches in an index, whatever the
// number of processes; what they show is kept on rows by the write path (schema 6 -> 7).
//
// Private to storage's sources; ReadStore runs them on a pooled read connection.
// Throw sql::Exception like the statements they run.
#pragma once

#include <cstdint>
#include <string>

#include "storage/read_store.h"
#include "storage/statement_cache.h"

namespace navolg::storage {

// ReadStore::ListProcesses (storage/read_store.h); `after` is compared as text, so any value
// gives a page.
Result<ProcessPage> QueryProcessList(StatementCache& statements, std::int64_t organisation_id,
                                     const ProcessListQuery& query);

// ReadStore::AwaitedAdoptions. kInvalidArgument for an `after` that no page handed out.
Result<AdoptionQueuePage> QueryAdoptionQueue(StatementCache& statements,
                                             std::int64_t organisation_id, const std::string& role,
                                             std::int64_t limit, const std::string& after);

}  // namespace navolg::storage
