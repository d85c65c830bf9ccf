// Loading a process's state, for a read or for the writer, and checking it on the way.
//
// A process's state is its snapshot (process_snapshots, written in the transaction of every
// command; engine/state_codec.h) plus the content of its products' current versions
// (product_versions). Before it is used, what was loaded is checked cheaply against the
// trail: the snapshot's version and head hash must equal the process row's and the last
// stored event's, and every current content must hash to what the state says. A process
// without a snapshot (last written by an older navolg) is replayed instead, with the seal of
// every event verified. A mismatch, or a mark in process_damage left by a full check
// (storage/integrity_check.h), is kDamaged with a Dutch reason an auditor can follow.
//
// The cost of a load does not grow with the number of events: one row each of processes,
// process_snapshots and events, and one product_versions row per current product instance.
//
// Private to storage's sources. Not thread-safe, like the connection `statements` belongs to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/definition.h"
#include "engine/event.h"
#include "engine/process_state.h"
#include "engine/status.h"
#include "storage/statement_cache.h"

namespace navolg::storage {

// What the processes row says of the process's trail.
struct ProcessHead {
  std::int64_t version = 0;
  std::string head_hash;
};

// The top-level `hash` of a stored event line (an export line); "" when there is none.
std::string LineHash(std::string_view line);

Result<ProcessState> LoadProcessState(StatementCache& statements, const std::string& id,
                                      const Definition& definition, const ProcessHead& head);

// The same without looking at process_damage: for the full check, which judges marks.
Result<ProcessState> LoadVerifiedState(StatementCache& statements, const std::string& id,
                                       const Definition& definition, const ProcessHead& head);

// The cheapest check: the last event and the snapshot's version and head (when there is a
// snapshot) against `head`; nothing is decoded or replayed.
Status CheckHead(StatementCache& statements, const std::string& id, const ProcessHead& head);

// A process's stored events as far as they verify.
struct StoredTrail {
  std::vector<Event> events;          // in seq order, up to the first bad one
  std::optional<std::string> damage;  // why the rest does not verify (Dutch); none if intact
};

// The stored events of a process. With `verify`, every event's seal, seq, prev and process
// are checked, and the first bad one ends the list with `damage` set; without, only an
// unreadable event does.
StoredTrail ReadStoredEvents(StatementCache& statements, const std::string& id, bool verify);

// The state the verified trail replays to (kDamaged as ReadStoredEvents, or when an event
// does not fit the process).
Result<ProcessState> ReplayStored(StatementCache& statements, const std::string& id,
                                  const Definition& definition);

// The reason a full check recorded for the process in process_damage, if it is marked.
std::optional<std::string> DamageMark(StatementCache& statements, const std::string& id);

// The Status of a damaged process: kDamaged with `reason`.
Status Damaged(const std::string& id, const std::string& reason);

}  // namespace navolg::storage
