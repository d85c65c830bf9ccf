// Deciding a command: the engine's decision plus every row the writer will write for it,
// computed from one process state. Pure CPU work without the database, so it runs on any
// thread: a submitting thread decides ahead of the writer (WritePath::DecideAhead), and the
// single writer only checks that the state is still current and writes the rows.
//
// A decision is valid only for the very object `before` points to, and only while the writer
// cache still holds that object for the process (rule 4 in storage/group_committer.h); the
// decision is freed with the request that carries it (rule 5).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/assignee.h"
#include "engine/engine.h"

namespace navolg::storage {

struct DecidedCommand {
  const Definition* definition = nullptr;
  std::shared_ptr<const ProcessState> before;  // the exact state decided on
  std::optional<Refusal> refusal;
  std::vector<Event> events;                  // empty when refused or when nothing changed
  std::shared_ptr<const ProcessState> after;  // set when there are events
  // The rows, serialised (all empty when there are no events): the export line of each
  // event; the canonical content of each product.saved event ("" for the other events);
  // the process's check statuses and improvement points after the events (EncodeStatuses,
  // EncodeImprovementPoints); the user the process is assigned to after them.
  std::vector<std::string> lines;
  std::vector<std::string> contents;
  std::string statuses;
  std::string improvement_points;
  std::optional<std::string> assignee;
  // The state after the events as process_snapshots keeps it (engine/state_codec.h).
  std::string snapshot;
};

// Runs the engine's command on `before` (a CreateProcess on an empty state) and serialises
// what it decided. A command on an existing process that `actor` may not change with `reach`
// (WithinReach) is refused first. An error only when an event cannot be serialised
// (kInternal).
Result<DecidedCommand> Decide(const Definition& definition,
                              std::shared_ptr<const ProcessState> before, Command command,
                              const Actor& actor, Reach reach, Time at);

}  // namespace navolg::storage
