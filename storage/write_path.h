// What a command submitted to the writer (GroupCommitter) carries, and what it answers.
// The write path itself, which runs it, is storage/write_path_sql.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/assignee.h"
#include "engine/engine.h"
#include "storage/decided_command.h"

namespace navolg::storage {

struct CommandRequest {
  std::int64_t organisation_id = 0;
  std::string process_id;    // the process; for CreateProcess, the new id (see NewProcessId)
  std::string workflow_key;  // CreateProcess only: runs on the latest version of this key
  std::optional<std::int64_t> expected_version;  // the version the client saw (If-Match)
  // A product save may instead state the version of that product instance it saw
  // (engine/process_state.h, ProductTag): refused as stale only when that instance or the
  // phase changed since, so two people saving different products both land.
  struct ExpectedProduct {
    std::string product;
    std::int64_t instance = 0;
    std::string tag;
  };
  std::optional<ExpectedProduct> expected_product;
  Command command;
  Actor actor;
  // Which processes the actor may change (engine/assignee.h): checked on the very state the
  // command is decided on, so an assignment made meanwhile is never missed.
  Reach reach = Reach::kAnyProcess;
  Time at{};
  // The command decided ahead by a submitting thread (WritePath::DecideAhead); Apply writes
  // it only if the process is still in the state it was decided on, else decides again.
  std::optional<DecidedCommand> ahead;
};

struct CommandResult {
  // Not ok: nothing was recorded. kNotFound (unknown process, or another organisation's),
  // kAborted (expected_version or expected_product is stale), kUnavailable (busy, disk full),
  // kInternal.
  Status status;
  std::optional<Refusal> refusal;             // the engine refused; nothing was recorded
  std::vector<Event> events;                  // what was recorded (durable once Submit returns)
  std::shared_ptr<const ProcessState> state;  // the process after the command
  const Definition* definition = nullptr;
  // storage's own, never set in an answer: the database refused for now because another node
  // holds what the command needs (PostgreSQL: a deadlock or lock timeout). The group committer
  // tries the command again in its next batch (storage/group_committer.h, rule 8).
  bool retry_later = false;

  bool committed() const { return status.ok() && !refusal; }
};

// A new, time-ordered process id: "p-" + 12 hex digits of milliseconds + 8 random hex digits.
// Fails (kInternal) only when OpenSSL's random generator does.
Result<std::string> NewProcessId(Time now);

}  // namespace navolg::storage
