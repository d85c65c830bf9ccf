// The writer's cache: what the single writer knows of each process it wrote lately, so that a
// command neither replays the process's trail nor rewrites an unchanged findings row.
//
// An entry holds the process's state and its process_findings row as the writer last wrote or
// read them: committed, or written in the transaction the writer has open. It must never hold
// anything that was rolled back; the writer's savepoint and batch transaction
// (storage/writer.h) make the cache Forget a process whenever they roll it back.
// Submitting threads read states to decide their command ahead of the writer
// (WritePath::DecideAhead); such a decision is valid only while State() returns the very same
// object (see the invariants in storage/group_committer.h).
//
// Bounded: past kMaxProcesses processes the cache starts over, empty. A forgotten or dropped
// entry costs one replay of the trail (and one findings upsert) on the process's next command.
//
// Thread-safe. Only the writer thread changes entries; any thread may read a state.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/process_state.h"

namespace navolg::storage {

class WriterCache {
 public:
  // The one bound for everything the writer keeps per process: ten thousand states of a few
  // kilobytes each, tens of megabytes at most, and more processes than are busy at once.
  static constexpr std::size_t kMaxProcesses = 10'000;

  // The cached state of a process, or null. Any thread.
  std::shared_ptr<const ProcessState> State(const std::string& process_id) const;

  // The findings row last written for the process (as PutFindings was given it), if known.
  // Writer only.
  std::optional<std::string> Findings(const std::string& process_id) const;

  // Keeps the state (keyed by its id), leaving the entry's findings row as it is. Writer only.
  void PutState(std::shared_ptr<const ProcessState> state);
  // Keeps the findings row just written for the process. Writer only.
  void PutFindings(const std::string& process_id, std::string row);

  // Drops everything kept for the process: after a rollback of anything written for it.
  void Forget(const std::string& process_id);
  // Drops every entry: after a rollback of a whole batch.
  void ForgetAll();

  std::size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const ProcessState> state;
    std::string findings;  // "" when not known
  };
  using Entries = std::unordered_map<std::string, Entry>;
  // The entry of a process; for a new one past the bound, first moves every entry into
  // `dropped`, so that the caller frees them after unlocking. Under mutex_.
  Entry& EntryOf(const std::string& process_id, Entries& dropped);

  mutable std::mutex mutex_;
  Entries entries_;
};

}  // namespace navolg::storage
