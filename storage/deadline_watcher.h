// The deadline watcher: finds, across all organisations, the open deadlines that have become
// overdue and have no deadline.missed event yet, and has the engine record them
// (RecordMissedDeadlines, actor system) through the group committer. It also writes one
// deadline.due_soon outbox message per open deadline instance due within `due_soon_days`, for
// organisations with a webhook. deadline.missed messages are written by the write path itself,
// with the event.
//
// Exactly once: the engine appends deadline.missed only for a deadline that has none, and the
// committer decides on the process's latest committed state inside its write transaction. So
// repeated runs, a restart, or several watchers racing (threads, or processes on one database)
// add nothing twice; a run with nothing to do submits nothing.
//
// Cost: the work list is a range scan of the partial index deadlines_unmissed (open, not yet
// missed, by overdue_from), read in bounded batches on the watcher's own read connection; at
// most `in_flight` commands wait at the committer at once, so requests keep their share of it.
//
// Thread-safe: RunOnce calls are serialised; stats() from any thread. Start runs RunOnce on
// the watcher's own thread at once and then every interval, until Stop (or destruction).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/calendar.h"
#include "engine/status.h"
#include "storage/group_committer.h"
#include "storage/sql/sql.h"

namespace navolg::storage {

struct WatcherOptions {
  std::chrono::milliseconds interval{60'000};
  std::int64_t batch = 256;        // deadlines read per query
  std::size_t in_flight = 32;      // commands queued at the committer at once
  std::int64_t due_soon_days = 7;  // "due soon": due today up to this many days ahead
};

// What one run did.
struct WatchRun {
  Time at{};                   // the run's "now"
  std::int64_t processes = 0;  // RecordMissedDeadlines commands submitted
  std::int64_t missed = 0;     // deadline.missed events appended
  std::int64_t due_soon = 0;   // deadline.due_soon messages written
  std::chrono::nanoseconds took{};
  Status status;  // the first failure; the run stopped there (the next run picks up the rest)
};

// Totals since start, for /metrics.
struct WatcherStats {
  std::uint64_t runs = 0;
  std::uint64_t failed_runs = 0;
  std::uint64_t missed = 0;
  std::uint64_t due_soon = 0;
  double last_run_seconds = 0;
};

class DeadlineWatcher {
 public:
  // Opens the watcher's read connection on the database `writer` writes.
  static Result<std::unique_ptr<DeadlineWatcher>> Open(const std::string& path,
                                                       GroupCommitter& writer,
                                                       const WatcherOptions& options);
  ~DeadlineWatcher();
  DeadlineWatcher(const DeadlineWatcher&) = delete;
  DeadlineWatcher& operator=(const DeadlineWatcher&) = delete;

  // One run at `now`: records every missed deadline, then writes the due-soon messages.
  WatchRun RunOnce(Time now);

  // Runs at once and then every interval on a thread of its own; `on_run` (may be empty) is
  // called on that thread after each run. Call at most once.
  void Start(std::function<Time()> clock, std::function<void(const WatchRun&)> on_run);
  // Ends a run in progress at its next batch and joins the thread. Idempotent.
  void Stop();

  WatcherStats stats() const;

 private:
  DeadlineWatcher(std::unique_ptr<sql::Database> db, GroupCommitter& writer,
                  const WatcherOptions& options)
      : db_(std::move(db)), writer_(writer), options_(options) {}
  Status RecordMissed(Time now, WatchRun& run);
  Status WriteDueSoon(Time now, WatchRun& run);

  std::unique_ptr<sql::Database> db_;  // used under run_mutex_
  GroupCommitter& writer_;
  WatcherOptions options_;
  std::mutex run_mutex_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::atomic<bool> cancel_{false};
  std::thread thread_;

  std::atomic<std::uint64_t> runs_{0}, failed_runs_{0}, missed_{0}, due_soon_{0};
  std::atomic<std::int64_t> last_run_ns_{0};
};

}  // namespace navolg::storage
