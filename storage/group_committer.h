// The group committer: the single writer of a navolg database.
//
// Any number of threads Submit commands. Each submitting thread first decides its command on
// the writer's cached state of the process (WritePath::DecideAhead: the engine, hashing,
// serialising), so that work is spread over the cores. One writer thread takes whatever has
// queued up, runs each command in its own savepoint inside one transaction (writing what was
// decided ahead when the process is still in that state, deciding again otherwise), commits
// once (SQLite's fsync of the WAL under kFull happens inside that COMMIT), and only then
// answers every caller. Commands that queue up while a batch is written join it. The queue is
// bounded: when it is full, Submit answers kUnavailable at once instead of growing.
//
// The writer's rules, which group_committer.cc, write_path.cc and writer.cc rely on:
//
// 1. One writer. Only the writer thread writes, on its one connection; bookkeeping that is not
//    a domain event (the webhook outbox) comes as a RunTask and runs on that thread too.
// 2. A batch is one transaction (BatchTransaction), each command or task in it one savepoint
//    (CommandSavepoint, both in storage/writer.h). A command that is refused or fails
//    rolls back its savepoint and affects no other. When the COMMIT fails, or SQLite rolls the
//    transaction back itself (it may on SQLITE_FULL or an I/O error), every command of the
//    batch that was written is answered with that failure. Nobody is answered before the
//    commit that holds their command is durable.
// 3. The writer cache (storage/writer_cache.h) holds only what is committed or in the open
//    transaction. Whatever is rolled back, the cache forgets: the savepoint and the batch
//    transaction do that themselves unless released or committed, so no caller can forget to.
//    One bound for all the writer keeps per process: WriterCache::kMaxProcesses.
// 4. A decision made ahead (storage/decided_command.h) is valid only for the very same state
//    object it was decided on: WritePath writes it only while the cache's state of the process
//    is that object (compared by address, not by version: a command rolled back since may
//    have left another state of the same version). Otherwise the writer decides again, on the
//    state as it is in its transaction, so the audit chain never forks.
// 5. Who frees a command: the queued command (Pending) is shared by caller and writer, and
//    WritePath::Apply leaves the decision in the request. The writer drops its reference
//    before it answers; Submit holds its own until the answer is in, so Submit's thread frees
//    the decision and the state it replaced (JSON trees: 6-10 % of the writer's time when the
//    writer freed them). SubmitAsync's caller keeps only the future: the writer frees those.
// 6. deciding_ counts the callers between entering Submit or SubmitAsync and queueing their
//    command. It is only read and written under mutex_, and it is decremented in the same
//    critical section that queues the command, so the writer never sees a command that is
//    neither counted nor queued. RunTask is not counted.
// 7. Before it commits, a writer with nothing queued while callers are deciding waits for
//    them, at most kWaitForDeciding per batch, until one queues, none is deciding any more, or
//    the time is up; so their commands share this commit instead of waiting for the next.
//    Why 300 µs (docs/benchmarks.md, "Storage (issue 3)"; commit cfb8729): deciding a command
//    takes tens of microseconds, a commit's fsync 100-200 µs on the project's machine. With 8
//    closed-loop submitters the wait gave 7.1-7.7 commands per transaction instead of 5.4-6.0
//    (the submitters no longer split into two groups taking turns) and 10.7k-10.9k commands/s
//    instead of 7.5k-10.0k. It is paid only while someone is deciding, at most once a batch.
// 8. Several nodes on one PostgreSQL database (each with its own committer) lock a process's
//    row for the rest of the batch when they write it. A batch's first command may wait for a
//    lock another node holds: the batch holds none yet. From the second command on, a lock
//    not granted at once (BatchTransaction::StopWaitingForLocks) or a deadlock the server
//    breaks fails that command with retry_later: its savepoint is rolled back and it goes back
//    to the front of the queue for the next batch, where it comes first, at most
//    kMaxDeferrals times (then it is answered "bezet"). No batch fails for it, and no other
//    command of the batch is affected.
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
#include <vector>

#include "storage/database.h"
#include "storage/directory.h"
#include "storage/write_path.h"

namespace navolg::storage {

// The writer's connection as a WriteTask sees it; defined by the backend
// (storage/writer.h), so only storage's sources can write through it.
class WriteConnection;
class Writer;            // storage/writer.h
class BatchTransaction;  // storage/writer.h

struct CommitterOptions {
  std::size_t queue_capacity = 4096;
  std::size_t max_batch = 512;  // 1: one command per transaction (the benchmark's baseline)
};

// Counters for /metrics; read with relaxed ordering, so a snapshot may be a moment old.
struct CommitterStats {
  std::uint64_t transactions = 0;   // commits that succeeded
  std::uint64_t commands = 0;       // commands that recorded events
  std::uint64_t refused = 0;        // refused by the engine or stale
  std::uint64_t failed = 0;         // failed with an error
  std::uint64_t rejected_busy = 0;  // not queued: the queue was full
  std::uint64_t deferred = 0;       // put back for the next batch: another node held a lock
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
  // back because the task threw (sql::Exception or std::exception) or the batch failed.
  using WriteTask = std::function<void(WriteConnection&)>;
  Status RunTask(WriteTask task);

  // Stops accepting commands, finishes the queued ones, joins the writer. Idempotent.
  void Stop();

  CommitterStats stats() const;
  std::shared_ptr<const WorkflowCatalog> catalog() const;

 private:
  // Rule 7.
  static constexpr std::chrono::microseconds kWaitForDeciding{300};
  // Rule 8.
  static constexpr int kMaxDeferrals = 8;

  // A queued command, shared by the caller and the writer (rule 5).
  struct Pending {
    CommandRequest request;
    WriteTask task;  // when set, run instead of the request
    bool counted_deciding = false;
    int deferrals = 0;  // rule 8
    std::promise<CommandResult> promise;
  };
  using PendingPtr = std::shared_ptr<Pending>;
  using Batch = std::deque<PendingPtr>;
  using Clock = std::chrono::steady_clock;

  GroupCommitter(std::unique_ptr<Writer> writer, const CommitterOptions& options);

  // Submitting threads.
  // Decides the command on the calling thread and queues it (rule 6).
  std::future<CommandResult> DecideAndEnqueue(const PendingPtr& pending);
  std::future<CommandResult> Enqueue(const PendingPtr& pending);

  // The writer thread: RunWriter takes a batch and commits it, until stopped.
  void RunWriter();
  // Waits until something is queued or the committer stops; moves what is queued into
  // `batch`. False: stopping, and everything queued is done.
  bool TakeFirst(Batch& batch);
  // CommitBatch is the batch's steps in order: ApplyEach, Commit, Answer.
  void CommitBatch(Batch& batch);
  // Begins the transaction and writes each command in its savepoint, taking in late arrivals
  // (TakeLate) until nothing more is coming or the batch is full. `results` gets one result per
  // command written; commands to retry later (rule 8) move from `batch` into `deferred`. An
  // error: the batch cannot be committed.
  Status ApplyEach(BatchTransaction& transaction, Batch& batch, std::vector<CommandResult>& results,
                   Batch& deferred);
  // Puts deferred commands back at the front of the queue, in their order (rule 8).
  void Requeue(Batch& deferred);
  // One command or task in its savepoint. An error: the transaction is lost (rule 2).
  Result<CommandResult> ApplyOne(BatchTransaction& transaction, Pending& pending);
  CommandResult RunTaskIn(const WriteTask& task);
  // WaitForDeciders, then TakeQueued; how many commands joined the batch.
  std::size_t TakeLate(Batch& batch, Clock::time_point& wait_deadline);
  // Rule 7: waits, when nothing is queued but callers are deciding, until one queues, none is
  // deciding, or `wait_deadline` (set on the first wait to kWaitForDeciding from then).
  void WaitForDeciders(std::unique_lock<std::mutex>& lock, const Batch& batch,
                       Clock::time_point& wait_deadline);
  // Moves queued commands into `batch` up to max_batch; how many. Under mutex_.
  std::size_t TakeQueued(Batch& batch);
  // Answers every command of the batch: its result, or `batch_status` when the batch failed
  // and the command had been written or was not reached. Counts first, then lets go of each
  // command before fulfilling its promise (rule 5).
  void Answer(Batch& batch, std::vector<CommandResult> results, const Status& batch_status);

  std::unique_ptr<Writer> writer_;  // the writer thread's, but for DecideAhead
  CommitterOptions options_;

  std::mutex mutex_;
  std::condition_variable wake_writer_;
  Batch queue_;
  bool stopping_ = false;
  int deciding_ = 0;  // rule 6
  std::thread writer_thread_;

  std::atomic<std::uint64_t> transactions_{0}, commands_{0}, refused_{0}, failed_{0},
      rejected_busy_{0}, deferred_{0};
  std::atomic<std::uint64_t> batch_buckets_[11] = {};
  std::atomic<std::uint64_t> batched_commands_{0};
};

}  // namespace navolg::storage
