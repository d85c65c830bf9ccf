// The one write path: load a process, run the engine's command, write its events and the
// projections (process row, product versions, adoptions, deadlines, findings). Runs inside a
// transaction the caller owns (the group committer's), so a command is all or nothing.
//
// Not thread-safe: owned by the single writer thread, with its own connection; only
// DecideAhead may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "engine/engine.h"
#include "storage/decided_command.h"
#include "storage/directory.h"
#include "storage/outbox_writer.h"
#include "storage/state_cache.h"

namespace navolg::storage {

struct CommandRequest {
  std::int64_t organisation_id = 0;
  std::string process_id;    // the process; for CreateProcess, the new id (see NewProcessId)
  std::string workflow_key;  // CreateProcess only: runs on the latest version of this key
  std::optional<std::int64_t> expected_version;  // the version the client saw (If-Match)
  Command command;
  Actor actor;
  Time at{};
  // The command decided ahead by a submitting thread (WritePath::DecideAhead); Apply writes
  // it only if the process is still in the state it was decided on, else decides again.
  std::optional<DecidedCommand> ahead;
};

struct CommandResult {
  // Not ok: nothing was recorded. kNotFound (unknown process, or another organisation's),
  // kAborted (expected_version is stale), kUnavailable (busy, disk full), kInternal.
  Status status;
  std::optional<Refusal> refusal;  // the engine refused; nothing was recorded
  std::vector<Event> events;       // what was recorded (durable once Submit returns)
  std::shared_ptr<const ProcessState> state;  // the process after the command
  const Definition* definition = nullptr;

  bool committed() const { return status.ok() && !refusal; }
};

// A new, time-ordered process id: "p-" + 12 hex digits of milliseconds + 8 random hex digits.
// Fails (kInternal) only when OpenSSL's random generator does.
Result<std::string> NewProcessId(Time now);

class WritePath {
 public:
  WritePath(SQLite::Database& db, std::shared_ptr<const WorkflowCatalog> catalog);

  // Runs one command in the current transaction, moving request.command out; the decision
  // it wrote is left in request.ahead (its events moved to the result). On a
  // non-committed result the caller must roll back whatever it wrote (a savepoint) and call
  // Forget(process_id).
  CommandResult Apply(CommandRequest& request);

  // Thread-safe: decides `request` on the cached state of its process, leaving the request
  // as it is, so that Apply has only to write. Nothing when the process is not cached or the
  // request's expected version is already stale (Apply answers those itself).
  std::optional<DecidedCommand> DecideAhead(const CommandRequest& request) const;

  // Drops the cached state of a process (after a rollback).
  void Forget(const std::string& process_id) {
    states_.Forget(process_id);
    findings_cache_.erase(process_id);
  }

 private:
  struct ProcessRow {
    std::int64_t organisation_id = 0;
    std::string workflow_key;
    std::int64_t workflow_version = 0;
    std::int64_t version = 0;
    std::optional<std::string> assignee;
  };
  std::optional<ProcessRow> FindProcess(const std::string& id);
  Result<std::shared_ptr<const ProcessState>> LoadState(const std::string& id,
                                                        const Definition& definition,
                                                        std::int64_t version);
  // Whether a command decided ahead was decided on the process as it is now.
  bool StillCurrent(const DecidedCommand& ahead, const Definition& definition,
                    std::int64_t version) const;
  // Writes the events and every projection of a decided command with events.
  // `assignee_changed`: the process row's assignee differs from the decided one, so the
  // process's existing deadlines must follow (a row written before the assignee column
  // existed is NULL there, and is brought up to date by its next command).
  void Record(std::int64_t organisation_id, const DecidedCommand& decided, bool assignee_changed);
  // The events, product versions, adoptions, the process row and its deadlines.
  void Write(const Definition& definition, std::int64_t organisation_id,
             const DecidedCommand& decided, bool assignee_changed);
  // Keeps process_findings equal to the decided statuses and improvement points.
  void WriteFindings(std::int64_t organisation_id, const DecidedCommand& decided);

  SQLite::Database& db_;
  std::shared_ptr<const WorkflowCatalog> catalog_;
  // States as of the writer's last command per process; checked against the row on use.
  StateCache states_;
  // The process_findings row last written per process (statuses + improvement points), so
  // a command that changes neither writes nothing there.
  std::unordered_map<std::string, std::string> findings_cache_;
  SQLite::Statement find_process_;
  SQLite::Statement load_events_;
  SQLite::Statement insert_event_;
  SQLite::Statement upsert_process_;
  SQLite::Statement insert_product_version_;
  SQLite::Statement insert_adoption_;
  SQLite::Statement upsert_deadline_;
  SQLite::Statement upsert_findings_;
  OutboxWriter outbox_;  // webhook messages, in the command's transaction
  SQLite::Statement assign_deadlines_;
};

}  // namespace navolg::storage
