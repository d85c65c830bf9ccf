// The group committer: the single writer of a navolg database.
//
// Any number of threads Submit commands. Each submitting thread first decides its command on
// the writer's cached state of the process (WritePath::DecideAhead: the engine, hashing,
// serialising), so that work is spread over the cores. One writer thread takes whatever has
// queued up, runs each command in its own savepoint inside one transaction (writing what was
// decided ahead when the process is still in that state, deciding again otherwise), and
// commits once. A command that is refused or fails rolls back its savepoint and affects no
// other command of the batch. The queue is bounded: when it is full, Submit answers
// kUnavailable at once instead of growing without limit.
//
// Durability kFull: no caller is answered before its commit is on disk. By default the
// writer commits without waiting for the disk and a second thread, the syncer, fsyncs the WAL
// (WalSync) and then answers every batch committed before that fsync, while the writer
// already runs the next batch. Other connections can read a commit a moment before it is on
// disk; a power loss in that moment loses it, as it loses every unanswered command. If an
// fsync fails, the commands it covered are answered with an error saying their fate is
// unknown and the committer takes no further commands (the disk needs attention).
// Durability kNormal: callers are answered right after the commit.
//
// Thread-safe. Destruction stops taking new commands, finishes the queued ones and joins.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;

#include "storage/checkpointer.h"
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/wal_sync.h"
#include "storage/write_path.h"

namespace navolg::storage {

struct CommitterOptions {
  std::size_t queue_capacity = 4096;
  std::size_t max_batch = 512;  // 1: one command per transaction
  // true: the writer only writes; the WAL fsync (kFull, by the syncer) and checkpoints
  // (Checkpointer) run on threads of their own. false: SQLite does both inside COMMIT and the
  // writer waits for them; with max_batch 1 that is the plain one-command-per-transaction
  // design, the benchmark's baseline.
  bool offload_writer = true;
  // Tests only: runs on the syncer thread before each WAL fsync; an error counts as a
  // failed fsync.
  std::function<Status()> before_wal_sync;
};

// Counters for /metrics; read with relaxed ordering, so a snapshot may be a moment old.
struct CommitterStats {
  std::uint64_t transactions = 0;       // commits that succeeded
  std::uint64_t commands = 0;           // commands that recorded events
  std::uint64_t refused = 0;            // refused by the engine or stale
  std::uint64_t failed = 0;             // failed with an error
  std::uint64_t rejected_busy = 0;      // not queued: the queue was full
  // Batch sizes, bucketed by upper bound 1, 2, 4, ..., 512, and larger; and their sum.
  std::uint64_t batch_size_buckets[11] = {};
  std::uint64_t batched_commands = 0;
  std::uint64_t wal_syncs = 0;          // fsyncs by the syncer (each covers >= 1 commit)
};

class GroupCommitter {
 public:
  // Opens the database for writing (see OpenForWriting) and starts the writer thread.
  static Result<std::unique_ptr<GroupCommitter>> Start(const DatabaseOptions& database,
                                                       const CommitterOptions& options);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Blocks until the command is durably committed, refused, or failed.
  CommandResult Submit(CommandRequest request);

  // As Submit, without waiting: the future becomes ready once the command is durably
  // committed, refused, or failed (at once when the queue is full or the committer stops).
  // For background jobs that keep a bounded number of commands in flight.
  std::future<CommandResult> SubmitAsync(CommandRequest request);

  // Decides the command now, on the calling thread, from the writer's cached state of the
  // process (WritePath::DecideAhead), unless the request already carries a decision.
  // SubmitAsync does this itself; call it to decide earlier.
  void DecideAhead(CommandRequest& request) const;

  // Bookkeeping that is not a domain event and changes no process (the webhook outbox): runs
  // `task` on the writer thread inside a batch's transaction, in its own savepoint, so there
  // stays one writer. Blocks until the task's writes are durably committed (ok), or rolled
  // back because the task threw (SQLite::Exception or std::exception) or the batch failed.
  using WriteTask = std::function<void(SQLite::Database&)>;
  Status RunTask(WriteTask task);

  // Stops accepting commands, finishes the queued ones, joins the writer. Idempotent.
  void Stop();

  CommitterStats stats() const;
  std::shared_ptr<const WorkflowCatalog> catalog() const { return catalog_; }

 private:
  struct Pending {
    CommandRequest request;
    WriteTask task;  // when set, run instead of the request
    std::promise<CommandResult> promise;
  };
  using Batch = std::deque<std::unique_ptr<Pending>>;
  // A batch after its transaction, with each command's answer.
  struct Done {
    Batch batch;
    std::vector<CommandResult> answers;
    bool committed = false;  // its transaction committed (it may have written)
  };

  GroupCommitter(std::unique_ptr<SQLite::Database> db,
                 std::shared_ptr<const WorkflowCatalog> catalog, const CommitterOptions& options,
                 std::unique_ptr<WalSync> wal, std::unique_ptr<Checkpointer> checkpointer);
  std::future<CommandResult> Enqueue(std::unique_ptr<Pending> pending);
  CommandResult RunTaskInSavepoint(const WriteTask& task);
  // The writer's transaction while it takes in commands.
  struct OpenBatch {
    Batch batch;
    std::vector<CommandResult> results;  // of the first commands of batch, in order
    Status status;                       // not ok: the transaction failed; nothing is written
  };
  void RunWriter();
  void TakeQueued(Batch& into, std::size_t at_most);  // with mutex_ held
  void Begin(OpenBatch& open);
  void ApplyTo(OpenBatch& open, Batch arrived);
  Done Commit(OpenBatch& open);
  void Deliver(Done done);  // to the syncer, or answered at once
  void RunSyncer();
  void Answer(Done& done);
  static int OnWalCommit(void* self, sqlite3* db, const char* schema, int frames);

  std::unique_ptr<SQLite::Database> db_;
  std::shared_ptr<const WorkflowCatalog> catalog_;
  CommitterOptions options_;
  WritePath write_path_;
  SQLite::Statement begin_, commit_, savepoint_, rollback_to_, release_;

  std::mutex mutex_;
  std::condition_variable wake_writer_;
  Batch queue_;
  bool stopping_ = false;
  Status broken_;  // set once a WAL fsync failed: every later command is refused with it
  bool syncing_ = false;  // the syncer has commits it has not yet fsynced
  std::thread writer_;

  // The syncer's side; null wal_ when nothing is synced off the writer.
  std::unique_ptr<WalSync> wal_;
  std::mutex sync_mutex_;
  std::condition_variable wake_syncer_;
  std::deque<Done> to_sync_;
  bool writer_done_ = false;
  std::thread syncer_;

  std::unique_ptr<Checkpointer> checkpointer_;  // null: SQLite checkpoints inside COMMIT
  int wal_frames_ = 0;  // after the writer's last commit (its WAL hook sets it)

  std::atomic<std::uint64_t> transactions_{0}, commands_{0}, refused_{0}, failed_{0},
      rejected_busy_{0}, wal_syncs_{0};
  std::atomic<std::uint64_t> batch_buckets_[11] = {};
  std::atomic<std::uint64_t> batched_commands_{0};
};

}  // namespace navolg::storage
