#include "storage/group_committer.h"

#include <bit>

#include "storage/writer.h"

namespace navolg::storage {
namespace {

std::size_t BucketOf(std::size_t batch_size) {
  const std::size_t bucket = std::bit_width(batch_size - 1);  // 1->0, 2->1, 3..4->2, ...
  return bucket > 10 ? 10 : bucket;
}

}  // namespace

Result<std::unique_ptr<GroupCommitter>> GroupCommitter::Start(const DatabaseOptions& database,
                                                              const CommitterOptions& options) {
  auto writer = Writer::Open(database);
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<GroupCommitter>(new GroupCommitter(std::move(*writer), options));
}

GroupCommitter::GroupCommitter(std::unique_ptr<Writer> writer, const CommitterOptions& options)
    : writer_(std::move(writer)), options_(options) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  writer_thread_ = std::thread([this] { RunWriter(); });
}

GroupCommitter::~GroupCommitter() { Stop(); }

void GroupCommitter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  if (writer_thread_.joinable()) writer_thread_.join();
}

std::shared_ptr<const WorkflowCatalog> GroupCommitter::catalog() const {
  return writer_->catalog();
}

// --- Submitting threads ---

CommandResult GroupCommitter::Submit(CommandRequest request) {
  auto pending = std::make_shared<Pending>();
  pending->request = std::move(request);
  // Held until the answer is in, so the command is freed here rather than by the writer.
  return DecideAndEnqueue(pending).get();
}

std::future<CommandResult> GroupCommitter::SubmitAsync(CommandRequest request) {
  auto pending = std::make_shared<Pending>();
  pending->request = std::move(request);
  return DecideAndEnqueue(pending);
}

std::future<CommandResult> GroupCommitter::DecideAndEnqueue(const PendingPtr& pending) {
  {
    std::lock_guard lock(mutex_);
    ++deciding_;
  }
  pending->counted_deciding = true;
  // The engine's work happens here, on the caller's thread, not on the writer's. It cannot
  // throw (a failure leaves the deciding to the writer), so Enqueue always uncounts it.
  DecideAhead(pending->request);
  return Enqueue(pending);
}

void GroupCommitter::DecideAhead(CommandRequest& request) const {
  if (!request.ahead) request.ahead = writer_->write_path().DecideAhead(request);
}

Status GroupCommitter::RunTask(WriteTask task) {
  auto pending = std::make_shared<Pending>();
  pending->task = std::move(task);
  return Enqueue(pending).get().status;
}

std::future<CommandResult> GroupCommitter::Enqueue(const PendingPtr& pending) {
  std::future<CommandResult> answer = pending->promise.get_future();
  {
    std::lock_guard lock(mutex_);
    if (pending->counted_deciding) --deciding_;
    CommandResult refused;
    if (stopping_) {
      refused.status = Status(Code::kUnavailable, "navolg wordt afgesloten; probeer het later.");
    } else if (queue_.size() >= options_.queue_capacity) {
      rejected_busy_.fetch_add(1, std::memory_order_relaxed);
      refused.status = Status(Code::kUnavailable,
                              "navolg is op dit moment te druk; probeer het over enkele seconden "
                              "opnieuw.");
    }
    if (!refused.status.ok()) {
      pending->promise.set_value(std::move(refused));
      return answer;
    }
    queue_.push_back(pending);
  }
  wake_writer_.notify_one();
  return answer;
}

// --- The writer thread ---

void GroupCommitter::RunWriter() {
  for (;;) {
    Batch batch;
    if (!TakeFirst(batch)) return;
    CommitBatch(batch);
  }
}

bool GroupCommitter::TakeFirst(Batch& batch) {
  std::unique_lock lock(mutex_);
  wake_writer_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  return TakeQueued(batch) > 0;
}

void GroupCommitter::CommitBatch(Batch& batch) {
  std::vector<CommandResult> results;
  Batch deferred;
  Status batch_status;
  {
    auto transaction = BatchTransaction::Begin(*writer_);
    if (!transaction.ok()) {
      batch_status = transaction.status();
    } else {
      batch_status = ApplyEach(*transaction, batch, results, deferred);
      if (batch_status.ok()) batch_status = transaction->Commit();
    }
  }  // Not committed: rolled back, and the cache has forgotten it (rule 3).
  Answer(batch, std::move(results), batch_status);
  Requeue(deferred);
}

Status GroupCommitter::ApplyEach(BatchTransaction& transaction, Batch& batch,
                                 std::vector<CommandResult>& results, Batch& deferred) {
  // Whatever queues up while the batch is being written joins it, and so do the commands
  // being decided right now, for a moment: the commit, and its fsync, come only when nothing
  // more is coming (or the batch is full).
  Clock::time_point wait_deadline{};
  bool waiting_for_locks = true;  // rule 8: only the first command waits
  std::size_t next = 0;
  while (next < batch.size() || TakeLate(batch, wait_deadline) > 0) {
    if (waiting_for_locks && (next > 0 || !deferred.empty())) {
      if (Status stopped = transaction.StopWaitingForLocks(); !stopped.ok()) return stopped;
      waiting_for_locks = false;
    }
    auto result = ApplyOne(transaction, *batch[next]);
    if (!result.ok()) return result.status();
    if (result->retry_later && batch[next]->deferrals < kMaxDeferrals) {
      ++batch[next]->deferrals;
      deferred.push_back(std::move(batch[next]));
      batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(next));
      continue;
    }
    result->retry_later = false;
    results.push_back(std::move(*result));
    ++next;
  }
  return Status::Ok();
}

void GroupCommitter::Requeue(Batch& deferred) {
  if (deferred.empty()) return;
  deferred_.fetch_add(deferred.size(), std::memory_order_relaxed);
  {
    std::lock_guard lock(mutex_);
    queue_.insert(queue_.begin(), std::make_move_iterator(deferred.begin()),
                  std::make_move_iterator(deferred.end()));
  }
  wake_writer_.notify_one();
}

Result<CommandResult> GroupCommitter::ApplyOne(BatchTransaction& transaction, Pending& pending) {
  auto savepoint = CommandSavepoint::Open(transaction, pending.request.process_id);
  if (!savepoint.ok()) return savepoint.status();
  CommandResult result =
      pending.task ? RunTaskIn(pending.task) : writer_->write_path().Apply(pending.request);
  if (result.committed()) {
    Status released = savepoint->Release();
    if (!released.ok()) return released;
  } else if (!result.status.ok() && transaction.Lost()) {
    // SQLite rolled back the whole transaction: nothing of this batch is written, for the
    // reason this command failed.
    return result.status;
  }
  return result;
}  // Not released: rolled back to the savepoint, and the cache forgot the process (rule 3).

CommandResult GroupCommitter::RunTaskIn(const WriteTask& task) {
  CommandResult result;
  WriteConnection connection(writer_->db());
  try {
    task(connection);
  } catch (const sql::Exception& e) {
    result.status = FromSql(e, "administratie bijwerken");
    result.retry_later = e.kind() == sql::ErrorKind::kRetry;
  } catch (const std::exception& e) {
    result.status = Status(Code::kInternal, std::string("administratie bijwerken: ") + e.what());
  }
  return result;
}

std::size_t GroupCommitter::TakeLate(Batch& batch, Clock::time_point& wait_deadline) {
  std::unique_lock lock(mutex_);
  WaitForDeciders(lock, batch, wait_deadline);
  return TakeQueued(batch);
}

void GroupCommitter::WaitForDeciders(std::unique_lock<std::mutex>& lock, const Batch& batch,
                                     Clock::time_point& wait_deadline) {
  if (!queue_.empty() || batch.size() >= options_.max_batch || deciding_ == 0) return;
  if (wait_deadline == Clock::time_point{}) wait_deadline = Clock::now() + kWaitForDeciding;
  wake_writer_.wait_until(lock, wait_deadline,
                          [this] { return stopping_ || !queue_.empty() || deciding_ == 0; });
}

std::size_t GroupCommitter::TakeQueued(Batch& batch) {
  std::size_t taken = 0;
  for (; !queue_.empty() && batch.size() < options_.max_batch; ++taken) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return taken;
}

void GroupCommitter::Answer(Batch& batch, std::vector<CommandResult> results,
                            const Status& batch_status) {
  std::uint64_t committed = 0;
  std::vector<CommandResult> answers(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CommandResult& answer = answers[i];
    if (i < results.size()) answer = std::move(results[i]);
    if (!batch_status.ok() && (i >= results.size() || answer.committed())) {
      answer = CommandResult{};  // nothing of this batch reached the disk
      answer.status = batch_status;
    }
    if (answer.committed() && !answer.events.empty()) ++committed;
    if (!answer.status.ok()) {
      (answer.status.code() == Code::kAborted ? refused_ : failed_)
          .fetch_add(1, std::memory_order_relaxed);
    } else if (answer.refusal) {
      refused_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  // Counters first, so that a caller who reads the stats after its answer sees its command.
  if (batch_status.ok()) transactions_.fetch_add(1, std::memory_order_relaxed);
  commands_.fetch_add(committed, std::memory_order_relaxed);
  batch_buckets_[BucketOf(batch.size())].fetch_add(1, std::memory_order_relaxed);
  batched_commands_.fetch_add(batch.size(), std::memory_order_relaxed);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::promise<CommandResult> promise = std::move(batch[i]->promise);
    batch[i].reset();  // the caller frees the command (rule 5)
    promise.set_value(std::move(answers[i]));
  }
}

CommitterStats GroupCommitter::stats() const {
  CommitterStats stats;
  stats.transactions = transactions_.load(std::memory_order_relaxed);
  stats.commands = commands_.load(std::memory_order_relaxed);
  stats.refused = refused_.load(std::memory_order_relaxed);
  stats.failed = failed_.load(std::memory_order_relaxed);
  stats.rejected_busy = rejected_busy_.load(std::memory_order_relaxed);
  stats.deferred = deferred_.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < 11; ++i) {
    stats.batch_size_buckets[i] = batch_buckets_[i].load(std::memory_order_relaxed);
  }
  stats.batched_commands = batched_commands_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace navolg::storage
