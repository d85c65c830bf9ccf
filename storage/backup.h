// Backups of the embedded SQLite database: a consistent copy of a database that `navolg serve`
// may be writing at that moment (`navolg backup`), and the check of such a copy (`navolg
// backup verify`). For PostgreSQL, pg_dump and replication do this job (README).
//
// Each function opens connections of its own and closes them before it returns: safe to call
// from any thread, beside a running navolg on the same database, in this process or another.
// Errors are Dutch, for the operator.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "engine/status.h"
#include "storage/integrity_check.h"

namespace navolg::storage {

// What a backup holds.
struct BackupSummary {
  std::int64_t bytes = 0;  // the file's size
  std::int64_t organisations = 0;
  std::int64_t processes = 0;
  std::int64_t events = 0;
};

struct BackupOptions {
  // Database pages (4 KiB each) copied per step; all at once when not positive.
  int pages_per_step = 1024;
  // Called after every step with the pages copied so far and the total, on the calling
  // thread; the copy waits while it runs (tests let a writer commit there).
  std::function<void(int copied, int total)> progress;
};

// Copies the navolg database at `database` into `out`, a new file with mode 0600 (it holds
// personal data), as one snapshot: every command committed before the call is in the copy, and
// every process in it is at a version the database really had. The copy is a single file
// (rollback journal, not WAL), so it can be moved and opened read-only as it is.
//
// Fails, leaving no file behind, with kFailedPrecondition when `out` already exists (it is
// never overwritten) or `database` is not a navolg database, kNotFound when `database` does
// not exist, and the database's own error (storage/database.h, FromSql) otherwise.
Result<BackupSummary> CreateBackup(const std::string& database, const std::string& out,
                                   const BackupOptions& options = {});

// The verdict on a backup file.
struct BackupCheck {
  BackupSummary summary;
  // Damage SQLite's own check (PRAGMA integrity_check) found in the file's pages and indexes;
  // when set, the chains were not checked.
  std::optional<std::string> file_damage;
  // Every process's whole chain and every projection against a replay (integrity_check.h).
  IntegrityReport integrity;

  bool intact() const { return !file_damage && integrity.damaged == 0; }
};

// Checks the backup at `path`: opened read-only, so the file is never changed (the marks of
// damage that `navolg audit check` keeps in the database go to a temporary table instead).
// kNotFound when there is no file, kFailedPrecondition when it is not a navolg database or not
// of this navolg's schema version; otherwise the verdict, intact or not.
Result<BackupCheck> VerifyBackup(const std::string& path);

}  // namespace navolg::storage
