#include "storage/group_committer.h"

#include <sqlite3.h>

#include <bit>

namespace navolg::storage {
namespace {

// Runs a kept transaction-control statement once.
void Run(SQLite::Statement& statement) {
  statement.tryReset();
  statement.exec();
}

std::size_t BucketOf(std::size_t batch_size) {
  const std::size_t bucket = std::bit_width(batch_size - 1);  // 1->0, 2->1, 3..4->2, ...
  return bucket > 10 ? 10 : bucket;
}

// How long, at most, a writer about to commit waits in all for callers that are deciding a
// command right then: deciding takes tens of microseconds, a commit's fsync about as long as
// several of them.
constexpr std::chrono::microseconds kWaitForDeciding{300};

}  // namespace

Result<std::unique_ptr<GroupCommitter>> GroupCommitter::Start(const DatabaseOptions& database,
                                                              const CommitterOptions& options) {
  auto db = OpenForWriting(database);
  if (!db.ok()) return db.status();
  auto catalog = WorkflowCatalog::Load(**db);
  if (!catalog.ok()) return catalog.status();
  try {
    return std::unique_ptr<GroupCommitter>(
        new GroupCommitter(std::move(*db), std::move(*catalog), options));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "database '" + database.path + "'");
  }
}

GroupCommitter::GroupCommitter(std::unique_ptr<SQLite::Database> db,
                               std::shared_ptr<const WorkflowCatalog> catalog,
                               const CommitterOptions& options)
    : db_(std::move(db)),
      catalog_(std::move(catalog)),
      options_(options),
      write_path_(*db_, catalog_),
      begin_(*db_, "BEGIN IMMEDIATE"),
      commit_(*db_, "COMMIT"),
      savepoint_(*db_, "SAVEPOINT command"),
      rollback_to_(*db_, "ROLLBACK TO command"),
      release_(*db_, "RELEASE command") {
  if (options_.max_batch == 0) options_.max_batch = 1;
  writer_ = std::thread([this] { RunWriter(); });
}

GroupCommitter::~GroupCommitter() { Stop(); }

void GroupCommitter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  if (writer_.joinable()) writer_.join();
}

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
  // The engine's work happens here, on the caller's thread, not on the writer's.
  deciding_.fetch_add(1, std::memory_order_relaxed);
  pending->counted_deciding = true;
  try {
    DecideAhead(pending->request);
  } catch (...) {
    {
      std::lock_guard lock(mutex_);
      deciding_.fetch_sub(1, std::memory_order_relaxed);
    }
    wake_writer_.notify_one();
    throw;
  }
  return Enqueue(pending);
}

void GroupCommitter::DecideAhead(CommandRequest& request) const {
  if (!request.ahead) request.ahead = write_path_.DecideAhead(request);
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
    if (pending->counted_deciding) deciding_.fetch_sub(1, std::memory_order_relaxed);
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

CommandResult GroupCommitter::RunTaskInSavepoint(const WriteTask& task) {
  CommandResult result;
  try {
    task(*db_);
  } catch (const SQLite::Exception& e) {
    result.status = FromSqlite(e, "administratie bijwerken");
  } catch (const std::exception& e) {
    result.status = Status(Code::kInternal, std::string("administratie bijwerken: ") + e.what());
  }
  return result;
}

void GroupCommitter::RunWriter() {
  for (;;) {
    Batch batch;
    {
      std::unique_lock lock(mutex_);
      wake_writer_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
    }
    TakeQueued(batch, nullptr);
    CommitBatch(batch);
  }
}

std::size_t GroupCommitter::TakeQueued(Batch& batch, Clock::time_point* wait_deadline) {
  std::unique_lock lock(mutex_);
  if (wait_deadline != nullptr && queue_.empty() && batch.size() < options_.max_batch &&
      deciding_.load(std::memory_order_relaxed) > 0) {
    if (*wait_deadline == Clock::time_point{}) *wait_deadline = Clock::now() + kWaitForDeciding;
    wake_writer_.wait_until(lock, *wait_deadline, [this] {
      return stopping_ || !queue_.empty() || deciding_.load(std::memory_order_relaxed) == 0;
    });
  }
  std::size_t taken = 0;
  for (; !queue_.empty() && batch.size() < options_.max_batch; ++taken) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return taken;
}

void GroupCommitter::CommitBatch(Batch& batch) {
  std::vector<CommandResult> results;
  Status batch_status;
  try {
    Run(begin_);
    // Whatever queues up while the batch is being written joins it, and so do the commands
    // being decided right now, for a moment: the commit, and its fsync, come only when
    // nothing more is coming (or the batch is full).
    Clock::time_point wait_deadline{};
    for (std::size_t next = 0;
         batch_status.ok() && (next < batch.size() || TakeQueued(batch, &wait_deadline) > 0);
         ++next) {
      auto& pending = batch[next];
      Run(savepoint_);
      CommandResult result = pending->task ? RunTaskInSavepoint(pending->task)
                                           : write_path_.Apply(pending->request);
      if (!result.status.ok() && sqlite3_get_autocommit(db_->getHandle()) != 0) {
        // SQLite rolled back the whole transaction (it may on SQLITE_FULL or an I/O error):
        // nothing of this batch is written, for the reason this command failed.
        batch_status = result.status;
        break;
      }
      if (!result.committed()) {
        Run(rollback_to_);
        write_path_.Forget(pending->request.process_id);
      }
      Run(release_);
      results.push_back(std::move(result));
    }
    if (batch_status.ok()) Run(commit_);
  } catch (const SQLite::Exception& e) {
    batch_status = FromSqlite(e, "vastleggen");
    db_->tryExec("ROLLBACK");
  }

  std::uint64_t committed = 0;
  std::vector<CommandResult> answers(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CommandResult& result = answers[i];
    if (i < results.size()) result = std::move(results[i]);
    if (!batch_status.ok() && (i >= results.size() || result.committed())) {
      // Nothing of this batch reached the disk.
      write_path_.Forget(batch[i]->request.process_id);
      result = CommandResult{};
      result.status = batch_status;
    }
    if (result.committed() && !result.events.empty()) ++committed;
    if (!result.status.ok()) {
      (result.status.code() == Code::kAborted ? refused_ : failed_)
          .fetch_add(1, std::memory_order_relaxed);
    } else if (result.refusal) {
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
    batch[i].reset();  // the caller frees the command (see Pending)
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
  for (std::size_t i = 0; i < 11; ++i) {
    stats.batch_size_buckets[i] = batch_buckets_[i].load(std::memory_order_relaxed);
  }
  stats.batched_commands = batched_commands_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace navolg::storage
