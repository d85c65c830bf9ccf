#include "storage/writer_cache.h"

namespace navolg::storage {

std::shared_ptr<const ProcessState> WriterCache::State(const std::string& process_id) const {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(process_id);
  return found == entries_.end() ? nullptr : found->second.state;
}

std::optional<std::string> WriterCache::Findings(const std::string& process_id) const {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(process_id);
  if (found == entries_.end() || found->second.findings.empty()) return std::nullopt;
  return found->second.findings;
}

WriterCache::Entry& WriterCache::EntryOf(const std::string& process_id, Entries& dropped) {
  if (entries_.size() >= kMaxProcesses && !entries_.contains(process_id)) dropped.swap(entries_);
  return entries_[process_id];
}

void WriterCache::PutState(std::shared_ptr<const ProcessState> state) {
  // Declared before the lock, so that the states let go of are freed after unlocking: a
  // submitting thread reading the cache need not wait for that.
  Entries dropped;
  std::shared_ptr<const ProcessState> replaced;
  std::lock_guard lock(mutex_);
  Entry& entry = EntryOf(state->id, dropped);
  replaced = std::move(entry.state);
  entry.state = std::move(state);
}

void WriterCache::PutFindings(const std::string& process_id, std::string row) {
  Entries dropped;
  std::lock_guard lock(mutex_);
  EntryOf(process_id, dropped).findings = std::move(row);
}

void WriterCache::Forget(const std::string& process_id) {
  Entry forgotten;
  std::lock_guard lock(mutex_);
  auto found = entries_.find(process_id);
  if (found == entries_.end()) return;
  forgotten = std::move(found->second);
  entries_.erase(found);
}

void WriterCache::ForgetAll() {
  Entries forgotten;
  std::lock_guard lock(mutex_);
  forgotten.swap(entries_);
}

std::size_t WriterCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace navolg::storage
