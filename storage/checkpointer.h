// Checkpoints a database's WAL on a thread of its own, so that the single writer neither
// copies pages into the database file nor waits for the fsyncs that go with it.
//
// The writer's connection has SQLite's automatic checkpoints off; after each commit it tells
// AfterCommit how many frames the WAL holds. Past `threshold` frames a PASSIVE checkpoint runs
// on the checkpointer's own connection, beside the writer. The writer appends meanwhile, so
// that checkpoint seldom reaches the end of the log; the writer then finishes it between two
// batches (FinishDue), copying only the frames appended meanwhile, after which SQLite starts
// the WAL over at the next transaction and the file stops growing.
//
// Thread-safe: AfterCommit and FinishDue belong to the writer thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <SQLiteCpp/Database.h>

#include "engine/status.h"

namespace navolg::storage {

class Checkpointer {
 public:
  static constexpr int kThresholdFrames = 1000;  // SQLite's own default

  // Opens a second connection to `path` (an existing WAL database) and starts the thread.
  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& path);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // The WAL holds `frames` frames after a commit.
  void AfterCommit(int frames);
  // Whether a checkpoint has run since the last call and the WAL is still past the
  // threshold: the writer should run PRAGMA wal_checkpoint(PASSIVE) now.
  bool FinishDue();

 private:
  explicit Checkpointer(std::unique_ptr<SQLite::Database> db);
  void Run();

  std::unique_ptr<SQLite::Database> db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;  // the WAL passed the threshold; no checkpoint running yet
  bool running_ = false;
  bool finished_ = false;   // a checkpoint ended; the writer has not looked yet
  int frames_ = 0;          // after the writer's last commit
  // The log's length when the last checkpoint was asked for: while readers keep the WAL
  // from starting over, the next is asked for only after another quarter threshold.
  int requested_at_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace navolg::storage
