#include "storage/checkpointer.h"

#include <sqlite3.h>

#include "storage/database.h"

namespace navolg::storage {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path) {
  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    // A checkpoint syncs the WAL before it copies and the database file after.
    db->exec("PRAGMA synchronous = NORMAL");
    return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(db)));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "database '" + path + "'");
  }
}

Checkpointer::Checkpointer(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {
  thread_ = std::thread([this] { Run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::AfterCommit(int frames) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (frames < frames_) requested_at_ = 0;  // the WAL started over
    frames_ = frames;
    if (frames >= kThresholdFrames && frames >= requested_at_ + kThresholdFrames / 4 &&
        !running_ && !requested_) {
      wake = requested_ = true;
      requested_at_ = frames;
    }
  }
  if (wake) wake_.notify_one();
}

bool Checkpointer::FinishDue() {
  std::lock_guard lock(mutex_);
  const bool due = finished_ && frames_ >= kThresholdFrames;
  finished_ = false;
  return due;
}

void Checkpointer::Run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || requested_; });
      if (stopping_) return;
      requested_ = false;
      running_ = true;
    }
    // PASSIVE never waits for the writer or readers; SQLITE_BUSY (another checkpoint
    // running) and I/O errors leave the WAL as it was, to be tried at the next threshold.
    sqlite3_wal_checkpoint_v2(db_->getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
    std::lock_guard lock(mutex_);
    running_ = false;
    finished_ = true;
  }
}

}  // namespace navolg::storage
