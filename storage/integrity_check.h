// The full integrity check of the database: every process's chain and every projection of it
// against a replay of its verified trail (`navolg audit check`, and a bounded run when
// `navolg serve` starts).
//
// Per process: every event's seal, seq, prev and process; the processes row (state, version,
// head, title, closed) and the snapshot (storage/process_loader_sql.h) equal to what the
// replay gives; the current content of every product equal to its hash. A process that fails
// is marked in process_damage (it then refuses commands and every read says why); a marked
// process that passes again (restored from a backup) loses its mark.
//
// Not thread-safe: one check per connection at a time. Runs beside a live writer (WAL): each
// process is checked within one read snapshot, and a mark is one short write.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/status.h"
#include "storage/connection.h"

namespace navolg::storage {

struct ProcessVerdict {
  std::string process_id;
  std::string organisation;  // its slug
  std::string title;
  std::int64_t events = 0;            // events that verified
  bool full = false;                  // the whole chain was checked, not only its head
  std::optional<std::string> damage;  // why it does not verify (Dutch); none when intact
};

struct IntegrityReport {
  std::vector<ProcessVerdict> processes;  // damaged ones first, then by id
  std::int64_t heads_checked = 0;         // processes whose head was checked
  std::int64_t fully_checked = 0;         // processes whose whole chain was checked
  std::int64_t damaged = 0;
};

struct IntegrityOptions {
  // Only this process (kNotFound when it does not exist); all when empty.
  std::string process_id;
  // After the cheap check of every process's head (row, snapshot, last event), whole chains
  // are checked, newest process first, until this much time has passed; none: all of them.
  std::optional<std::chrono::milliseconds> budget;
  Time now{};  // the time a new mark records
};

Result<IntegrityReport> CheckIntegrity(Connection& connection, const IntegrityOptions& options);

}  // namespace navolg::storage
