// The one write path: load a process, run the engine's command, write its events and the
// projections (process row, product versions, adoptions, deadlines, findings). Runs inside a
// transaction the caller owns (the group committer's), so a command is all or nothing.
//
// Private to storage's sources and tests (storage/write_path.h has what callers submit).
// Not thread-safe: owned by the single writer thread, with its own connection; only
// DecideAhead may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "storage/decided_command.h"
#include "storage/directory.h"
#include "storage/findings_writer_sql.h"
#include "storage/outbox_writer.h"
#include "storage/sql/sql.h"
#include "storage/statement_cache.h"
#include "storage/write_path.h"
#include "storage/writer_cache.h"

namespace navolg::storage {

class WritePath {
 public:
  // `db`, `catalog` and `cache` must outlive the write path.
  WritePath(sql::Database& db, std::shared_ptr<const WorkflowCatalog> catalog, WriterCache& cache);

  // Runs one command in the current transaction, moving request.command out; the decision
  // it wrote is left in request.ahead (its events moved to the result). On a non-committed
  // result the caller must roll back whatever it wrote and make the cache forget the process:
  // run it in a CommandSavepoint (storage/writer.h) and release that only when
  // committed.
  CommandResult Apply(CommandRequest& request);

  // Thread-safe: decides `request` on the cached state of its process, leaving the request
  // as it is, so that Apply has only to write. Nothing when the process is not cached, the
  // request's expected version is already stale, or deciding fails (Apply answers those
  // itself).
  std::optional<DecidedCommand> DecideAhead(const CommandRequest& request) const noexcept;

 private:
  struct ProcessRow {
    std::int64_t organisation_id = 0;
    std::string workflow_key;
    std::int64_t workflow_version = 0;
    std::int64_t version = 0;
    std::string head_hash;
    std::optional<std::string> assignee;
    std::optional<std::string> damage;  // the reason of a mark in process_damage
  };
  std::optional<DecidedCommand> DecideOnCachedState(const CommandRequest& request) const;
  std::optional<ProcessRow> FindProcess(const std::string& id);
  Result<std::shared_ptr<const ProcessState>> LoadState(const std::string& id,
                                                        const Definition& definition,
                                                        const ProcessRow& row);
  // Whether a command decided ahead was decided on the process as it is now.
  bool StillCurrent(const DecidedCommand& ahead, const Definition& definition,
                    std::int64_t version) const;
  // Writes the events and every projection of a decided command with events; throws
  // sql::Exception.
  // `assignee_changed`: the process row's assignee differs from the decided one, so the
  // process's existing deadlines must follow (a row written before the assignee column
  // existed is NULL there, and is brought up to date by its next command).
  void Record(std::int64_t organisation_id, const DecidedCommand& decided, bool assignee_changed);
  // The events, product versions, adoptions, the process row and its deadlines.
  void Write(const Definition& definition, std::int64_t organisation_id,
             const DecidedCommand& decided, bool assignee_changed);
  // Makes the process's adoption_queue rows those of AwaitedAdoptions (engine/waiting_work.h).
  void WriteAwaitedAdoptions(const Definition& definition, std::int64_t organisation_id,
                             const ProcessState& after);
  // Keeps process_findings, and the Borgingshuis's counts beside it, equal to the decided
  // statuses and improvement points.
  void WriteFindings(std::int64_t organisation_id, const DecidedCommand& decided);

  sql::Database& db_;
  std::shared_ptr<const WorkflowCatalog> catalog_;
  // States as of the writer's last command per process, checked against the row on use, and
  // the process_findings row last written, so a command that changes neither statuses nor
  // improvement points writes nothing there.
  WriterCache& cache_;
  sql::Statement find_process_;
  StatementCache statements_;  // for loading a state (storage/process_loader_sql.h)
  sql::Statement insert_event_;
  sql::Statement upsert_process_;
  sql::Statement insert_product_version_;
  sql::Statement insert_adoption_;
  sql::Statement upsert_deadline_;
  FindingsWriter findings_;
  OutboxWriter outbox_;  // webhook messages, in the command's transaction
  sql::Statement assign_deadlines_;
  sql::Statement upsert_snapshot_;
  sql::Statement clear_awaited_;
  sql::Statement insert_awaited_;
};

}  // namespace navolg::storage
