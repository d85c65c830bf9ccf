// The outbox's writer side (storage/outbox.h): what the write path and the deadline watcher
// run inside their transactions on the writer's SQLite connection. storage's own.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/definition.h"
#include "engine/event.h"
#include "engine/process_state.h"
#include "storage/outbox.h"
#include "storage/sql/sql.h"

namespace navolg::storage {

// Inserts the message unless one with its id exists. Throws sql::Exception.
void EnqueueNotice(sql::Database& db, std::int64_t organisation_id, const DeadlineNotice& notice);

// Used by the write path, inside the command's transaction: one deadline.missed message per
// deadline.missed event, when the organisation has a webhook. Throws sql::Exception, so a
// failure rolls back the command with its events.
class OutboxWriter {
 public:
  explicit OutboxWriter(sql::Database& db);

  void EnqueueMissed(std::int64_t organisation_id, const Definition& definition,
                     const std::vector<Event>& events, const ProcessState& after);

 private:
  sql::Database& db_;
  sql::Statement find_organisation_;
};

}  // namespace navolg::storage
