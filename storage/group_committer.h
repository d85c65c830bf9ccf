// The group committer: the single writer of a navolg database.
//
// Any number of threads Submit commands. Each submitting thread first decides its command on
// the writer's cached state of the process (WritePath::DecideAhead: the engine, hashing,
// serialising), so that work is spread over the cores. One writer thread takes whatever has
// queued up, runs each command in its own savepoint inside one transaction (writing what was
// decided ahead when the process is still in that state, deciding again otherwise), commits
// once (SQLite's fsync of the WAL under kFull happens inside that COMMIT), and only then
// answers every caller. Commands that queue up while a batch is written join it; before it
// commits, the writer waits a moment (at most kWaitForDeciding) for callers that are deciding
// a command right then, so that their commands share the commit instead of waiting for the
// next one. A command that is refused or fails rolls back its savepoint and affects no other
// command of the batch. The queue is bounded: when it is full, Submit answers kUnavailable at
// once instead of growing without limit.
//
// Thread-safe. Destruction stops taking new commands, finishes the queued ones and joins.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/database.h"
#include "storage/directory.h"
#include "storage/write_path.h"

namespace navolg::storage {

struct CommitterOptions {
  std::size_t queue_capacity = 4096;
  std::size_t max_batch = 512;  // 1: one command per transaction (the benchmark's baseline)
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
  // A queued command, shared by the caller and the writer. The writer lets go of it before
  // answering, and Submit holds it until the answer is in, so Submit's caller, not the
  // writer, frees what the command carried (its decision, the state it was decided on): the
  // writer's time is the one every command waits for. (SubmitAsync's caller keeps only the
  // future; its commands are freed by the writer.)
  struct Pending {
    CommandRequest request;
    WriteTask task;  // when set, run instead of the request
    bool counted_deciding = false;
    std::promise<CommandResult> promise;
  };
  using PendingPtr = std::shared_ptr<Pending>;
  using Batch = std::deque<PendingPtr>;

  GroupCommitter(std::unique_ptr<SQLite::Database> db,
                 std::shared_ptr<const WorkflowCatalog> catalog, const CommitterOptions& options);
  // Decides the command on the calling thread and queues it.
  std::future<CommandResult> DecideAndEnqueue(const PendingPtr& pending);
  std::future<CommandResult> Enqueue(const PendingPtr& pending);
  CommandResult RunTaskInSavepoint(const WriteTask& task);
  void RunWriter();
  using Clock = std::chrono::steady_clock;
  // Moves queued commands into `batch` up to max_batch; how many. Given a deadline, first
  // waits, when nothing is queued but callers are deciding, until one queues, none is
  // deciding any more, or the deadline (set on the first wait to kWaitForDeciding from then).
  std::size_t TakeQueued(Batch& batch, Clock::time_point* wait_deadline);
  void CommitBatch(Batch& batch);

  std::unique_ptr<SQLite::Database> db_;
  std::shared_ptr<const WorkflowCatalog> catalog_;
  CommitterOptions options_;
  WritePath write_path_;
  SQLite::Statement begin_, commit_, savepoint_, rollback_to_, release_;

  std::mutex mutex_;
  std::condition_variable wake_writer_;
  Batch queue_;
  bool stopping_ = false;
  // Callers between entering Submit or SubmitAsync and queueing: deciding their command.
  // Decremented under mutex_, so the writer can wait for them before it commits.
  std::atomic<int> deciding_{0};
  std::thread writer_;

  std::atomic<std::uint64_t> transactions_{0}, commands_{0}, refused_{0}, failed_{0},
      rejected_busy_{0};
  std::atomic<std::uint64_t> batch_buckets_[11] = {};
  std::atomic<std::uint64_t> batched_commands_{0};
};

}  // namespace navolg::storage
