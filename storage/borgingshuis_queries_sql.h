// The Borgingshuis's reads: the counts and newest improvement points of an organisation, and
// the processes behind an indicator, from the tables the write path keeps beside
// process_findings (storage/findings_writer_sql.h). Each reads a few rows, or a page, by
// key; none reads a row per process.
//
// Private to storage's sources; ReadStore runs them on a pooled read connection, in a
// read transaction. Throw sql::Exception like the statements they run.
#pragma once

#include <cstdint>

#include "storage/read_store.h"
#include "storage/statement_cache.h"

namespace navolg::storage {

// ReadStore::OrganisationFindings.
Result<BorgingshuisFindings> QueryBorgingshuis(StatementCache& statements,
                                               std::int64_t organisation_id);

// ReadStore::IndicatorProcesses; `after` is compared as text, so any value gives a page.
Result<IndicatorPage> QueryIndicatorProcesses(StatementCache& statements,
                                              std::int64_t organisation_id,
                                              const IndicatorQuery& query);

}  // namespace navolg::storage
