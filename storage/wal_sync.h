// Making a database's WAL durable from outside SQLite.
//
// The group committer's writer commits with synchronous=NORMAL (no fsync in COMMIT) and hands
// each committed batch to a second thread, which calls WalSync::Sync and only then answers
// the batch's callers. fsync covers everything written to the file before it, so one Sync
// makes every batch committed before it durable, while the writer already runs the next one.
// SQLite itself still syncs the WAL before each checkpoint and the WAL header when the log
// starts over, as it does under NORMAL.
#pragma once

#include <string>

#include "engine/status.h"

namespace navolg::storage {

class WalSync {
 public:
  explicit WalSync(std::string database_path);
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // fdatasync of "<database>-wal". Opens it on first use (and its folder is synced once, so
  // the file's name is durable too); opens it again if the path now names another file,
  // which happens only when every connection had closed. kUnavailable, in Dutch, on failure.
  Status Sync();

 private:
  Status Open();

  std::string wal_path_;
  int fd_ = -1;
};

}  // namespace navolg::storage
