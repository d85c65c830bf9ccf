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

Status UnconfirmedWrite(const Status& sync_failure) {
  return Status(Code::kInternal,
                "Niet bevestigd: de opdracht is geschreven, maar de schijf bevestigde niet dat "
                "zij bewaard is (" +
                    sync_failure.message() +
                    "). Of zij na een stroomstoring nog bestaat, is onzeker; navolg neemt geen "
                    "opdrachten meer aan tot de schijf is nagekeken en navolg opnieuw is "
                    "gestart.");
}

}  // namespace

Result<std::unique_ptr<GroupCommitter>> GroupCommitter::Start(const DatabaseOptions& database,
                                                              const CommitterOptions& options) {
  const bool offload = options.offload_writer && database.path != ":memory:";
  // Under kFull the writer commits without an fsync and the syncer adds it.
  const bool sync_off_writer = offload && database.durability == Durability::kFull;
  DatabaseOptions writer_options = database;
  if (sync_off_writer) writer_options.durability = Durability::kNormal;
  auto db = OpenForWriting(writer_options);
  if (!db.ok()) return db.status();
  auto catalog = WorkflowCatalog::Load(**db);
  if (!catalog.ok()) return catalog.status();
  std::unique_ptr<Checkpointer> checkpointer;
  if (offload) {
    auto started = Checkpointer::Start(database.path);
    if (!started.ok()) return started.status();
    checkpointer = std::move(*started);
  }
  try {
    return std::unique_ptr<GroupCommitter>(new GroupCommitter(
        std::move(*db), std::move(*catalog), options,
        sync_off_writer ? std::make_unique<WalSync>(database.path) : nullptr,
        std::move(checkpointer)));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "database '" + database.path + "'");
  }
}

GroupCommitter::GroupCommitter(std::unique_ptr<SQLite::Database> db,
                               std::shared_ptr<const WorkflowCatalog> catalog,
                               const CommitterOptions& options, std::unique_ptr<WalSync> wal,
                               std::unique_ptr<Checkpointer> checkpointer)
    : db_(std::move(db)),
      catalog_(std::move(catalog)),
      options_(options),
      write_path_(*db_, catalog_),
      begin_(*db_, "BEGIN IMMEDIATE"),
      commit_(*db_, "COMMIT"),
      savepoint_(*db_, "SAVEPOINT command"),
      rollback_to_(*db_, "ROLLBACK TO command"),
      release_(*db_, "RELEASE command"),
      wal_(std::move(wal)),
      checkpointer_(std::move(checkpointer)) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  if (checkpointer_) {
    // Replaces SQLite's automatic checkpoint, which is itself a WAL hook.
    sqlite3_wal_hook(db_->getHandle(), &GroupCommitter::OnWalCommit, this);
  }
  if (wal_) syncer_ = std::thread([this] { RunSyncer(); });
  writer_ = std::thread([this] { RunWriter(); });
}

GroupCommitter::~GroupCommitter() { Stop(); }

int GroupCommitter::OnWalCommit(void* self, sqlite3*, const char*, int frames) {
  static_cast<GroupCommitter*>(self)->wal_frames_ = frames;
  return SQLITE_OK;
}

void GroupCommitter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard lock(sync_mutex_);
    writer_done_ = true;
  }
  wake_syncer_.notify_one();
  if (syncer_.joinable()) syncer_.join();
}

CommandResult GroupCommitter::Submit(CommandRequest request) {
  return SubmitAsync(std::move(request)).get();
}

std::future<CommandResult> GroupCommitter::SubmitAsync(CommandRequest request) {
  auto pending = std::make_unique<Pending>();
  pending->request = std::move(request);
  // The engine's work happens here, on the caller's thread, not on the writer's.
  DecideAhead(pending->request);
  return Enqueue(std::move(pending));
}

void GroupCommitter::DecideAhead(CommandRequest& request) const {
  if (!request.ahead) request.ahead = write_path_.DecideAhead(request);
}

Status GroupCommitter::RunTask(WriteTask task) {
  auto pending = std::make_unique<Pending>();
  pending->task = std::move(task);
  return Enqueue(std::move(pending)).get().status;
}

std::future<CommandResult> GroupCommitter::Enqueue(std::unique_ptr<Pending> pending) {
  std::future<CommandResult> answer = pending->promise.get_future();
  {
    std::lock_guard lock(mutex_);
    CommandResult refused;
    if (!broken_.ok()) {
      refused.status = broken_;
    } else if (stopping_) {
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
    queue_.push_back(std::move(pending));
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
    Batch arrived;
    Status broken;
    {
      std::unique_lock lock(mutex_);
      wake_writer_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      TakeQueued(arrived, options_.max_batch);
      broken = broken_;
    }
    if (!broken.ok()) {  // an fsync failed: write nothing more
      Done done;
      done.batch = std::move(arrived);
      done.answers.resize(done.batch.size());
      for (auto& answer : done.answers) answer.status = broken;
      Deliver(std::move(done));
      continue;
    }
    OpenBatch open;
    Begin(open);
    ApplyTo(open, std::move(arrived));
    // While the syncer still makes the previous commit durable, no caller of this batch could
    // be answered sooner: keep the transaction open and take in what arrives meanwhile, so
    // one commit and one fsync serve them all.
    for (bool keep_open = true; keep_open && open.status.ok();) {
      Batch more;
      {
        std::unique_lock lock(mutex_);
        wake_writer_.wait(lock, [this] { return stopping_ || !queue_.empty() || !syncing_; });
        TakeQueued(more, options_.max_batch - open.batch.size());
        keep_open = syncing_ && !stopping_ && open.batch.size() + more.size() < options_.max_batch;
      }
      if (!more.empty()) ApplyTo(open, std::move(more));
    }
    Deliver(Commit(open));
  }
}

void GroupCommitter::TakeQueued(Batch& into, std::size_t at_most) {
  while (!queue_.empty() && into.size() < at_most) {
    into.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
}

void GroupCommitter::Deliver(Done done) {
  if (!wal_) {
    Answer(done);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    syncing_ = true;
  }
  {
    std::lock_guard lock(sync_mutex_);
    to_sync_.push_back(std::move(done));
  }
  wake_syncer_.notify_one();
}

void GroupCommitter::Begin(OpenBatch& open) {
  if (checkpointer_ && checkpointer_->FinishDue()) {
    // Copies what was appended during the background checkpoint, so the log can start over.
    sqlite3_wal_checkpoint_v2(db_->getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
  }
  try {
    Run(begin_);
  } catch (const SQLite::Exception& e) {
    open.status = FromSqlite(e, "vastleggen");
  }
}

void GroupCommitter::ApplyTo(OpenBatch& open, Batch arrived) {
  for (auto& pending : arrived) {
    if (open.status.ok()) {
      try {
        Run(savepoint_);
        CommandResult result = pending->task ? RunTaskInSavepoint(pending->task)
                                             : write_path_.Apply(pending->request);
        if (!result.status.ok() && sqlite3_get_autocommit(db_->getHandle()) != 0) {
          // SQLite rolled back the whole transaction (it may on SQLITE_FULL or an I/O
          // error): nothing of this batch is written, for the reason this command failed.
          open.status = result.status;
        } else {
          if (!result.committed()) {
            Run(rollback_to_);
            write_path_.Forget(pending->request.process_id);
          }
          Run(release_);
          open.results.push_back(std::move(result));
        }
      } catch (const SQLite::Exception& e) {
        open.status = FromSqlite(e, "vastleggen");
      }
    }
    open.batch.push_back(std::move(pending));
  }
}

GroupCommitter::Done GroupCommitter::Commit(OpenBatch& open) {
  Status& batch_status = open.status;
  if (batch_status.ok()) {
    try {
      Run(commit_);
      if (checkpointer_) checkpointer_->AfterCommit(wal_frames_);
    } catch (const SQLite::Exception& e) {
      batch_status = FromSqlite(e, "vastleggen");
    }
  }
  if (!batch_status.ok()) db_->tryExec("ROLLBACK");

  Batch& batch = open.batch;
  std::vector<CommandResult>& results = open.results;
  Done done;
  done.committed = batch_status.ok();
  done.answers.resize(batch.size());
  std::uint64_t committed = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CommandResult& result = done.answers[i];
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
  // Counters before any answer, so that a caller who reads the stats after its answer sees
  // its command.
  if (batch_status.ok()) transactions_.fetch_add(1, std::memory_order_relaxed);
  commands_.fetch_add(committed, std::memory_order_relaxed);
  batch_buckets_[BucketOf(batch.size())].fetch_add(1, std::memory_order_relaxed);
  batched_commands_.fetch_add(batch.size(), std::memory_order_relaxed);
  done.batch = std::move(batch);
  return done;
}

void GroupCommitter::RunSyncer() {
  Status failure;  // sticky: after a failed fsync no later one is trusted
  for (;;) {
    std::deque<Done> ready;
    {
      std::unique_lock lock(sync_mutex_);
      wake_syncer_.wait(lock, [this] { return writer_done_ || !to_sync_.empty(); });
      if (to_sync_.empty()) return;  // the writer has stopped and everything is answered
      ready.swap(to_sync_);
    }
    bool wrote = false;
    for (const Done& done : ready) wrote = wrote || done.committed;
    if (wrote && failure.ok()) {
      if (options_.before_wal_sync) failure = options_.before_wal_sync();
      if (failure.ok()) failure = wal_->Sync();
      if (failure.ok()) {
        wal_syncs_.fetch_add(1, std::memory_order_relaxed);
      } else {
        std::lock_guard lock(mutex_);
        broken_ = UnconfirmedWrite(failure);
      }
    }
    {
      // The writer may commit its open batch now, while these callers are answered.
      std::lock_guard lock(mutex_);
      syncing_ = false;
    }
    wake_writer_.notify_one();
    for (Done& done : ready) {
      if (!failure.ok() && done.committed) {
        for (CommandResult& answer : done.answers) {
          if (!answer.committed()) continue;
          answer = CommandResult{};
          answer.status = UnconfirmedWrite(failure);
        }
      }
      Answer(done);
    }
  }
}

void GroupCommitter::Answer(Done& done) {
  for (std::size_t i = 0; i < done.batch.size(); ++i) {
    done.batch[i]->promise.set_value(std::move(done.answers[i]));
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
  stats.wal_syncs = wal_syncs_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace navolg::storage
