#include "storage/state_cache.h"

namespace navolg::storage {

std::shared_ptr<const ProcessState> StateCache::Get(const std::string& process_id) const {
  std::lock_guard lock(mutex_);
  auto found = states_.find(process_id);
  return found == states_.end() ? nullptr : found->second;
}

void StateCache::Put(std::shared_ptr<const ProcessState> state) {
  std::shared_ptr<const ProcessState> replaced;  // destroyed outside the lock
  std::lock_guard lock(mutex_);
  if (states_.size() >= kMaxProcesses && !states_.contains(state->id)) states_.clear();
  auto& slot = states_[state->id];
  replaced = std::move(slot);
  slot = std::move(state);
}

void StateCache::Forget(const std::string& process_id) {
  std::shared_ptr<const ProcessState> forgotten;
  std::lock_guard lock(mutex_);
  auto found = states_.find(process_id);
  if (found == states_.end()) return;
  forgotten = std::move(found->second);
  states_.erase(found);
}

}  // namespace navolg::storage
