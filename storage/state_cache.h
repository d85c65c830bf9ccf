// The writer's cache of process states, readable from any thread.
//
// The writer puts a process's state after it applies a command and forgets it when that
// command is rolled back, so an entry is always the writer's current view of the process:
// committed, or written earlier in the transaction the writer has open. Submitting threads
// read it to decide their command ahead of the writer (see PrepareCommand); the writer uses
// that decision only if the entry is still the very same object when the command's turn comes.
//
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/process_state.h"

namespace navolg::storage {

class StateCache {
 public:
  // The cached state of a process, or null.
  std::shared_ptr<const ProcessState> Get(const std::string& process_id) const;
  void Put(std::shared_ptr<const ProcessState> state);
  void Forget(const std::string& process_id);

 private:
  static constexpr std::size_t kMaxProcesses = 10'000;  // then it starts over, empty

  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const ProcessState>> states_;
};

}  // namespace navolg::storage
