#include "storage/backup.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "storage/connection_sql.h"
#include "storage/database.h"
#include "storage/database_files.h"
#include "storage/schema.h"
#include "storage/sql/sqlite.h"

namespace navolg::storage {
namespace {

constexpr int kBusyTimeoutMs = 10'000;

// How often a step that found a lock taken is tried again, a millisecond apart.
constexpr int kBusyRetries = kBusyTimeoutMs;

[[noreturn]] void ThrowSqlite(sqlite3* handle, int rc) {
  throw sql::FromSqliteException(SQLite::Exception(handle, rc));
}

std::int64_t CountOf(sql::Database& db, const char* table) {
  sql::Statement count(db, std::string("SELECT count(*) FROM ") + table);
  count.executeStep();
  return count.getColumn(0).getInt64();
}

std::int64_t PragmaOf(sql::Database& db, const char* pragma) {
  sql::Statement query(db, std::string("PRAGMA ") + pragma);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

// Refuses a file that is not navolg's (SQLite reads any file as an empty database).
Status CheckNavolgFile(sql::Database& db, const std::string& what) {
  if (PragmaOf(db, "application_id") != kApplicationId) {
    return Status(Code::kFailedPrecondition, what + " is geen navolg-database.");
  }
  return Status::Ok();
}

// Creates `path` empty with mode 0600 (whatever the umask); kFailedPrecondition when anything
// is already there.
Status CreateEmptyFile(const std::string& path) {
  auto created = CreateOwnerOnlyFile(path);
  if (!created.ok()) return created.status();
  if (!*created) {
    return Status(Code::kFailedPrecondition,
                  "'" + path +
                      "' bestaat al; navolg overschrijft geen bestand. Kies een nieuwe naam "
                      "voor de reservekopie.");
  }
  return Status::Ok();
}

// The file at `path` and the journal files SQLite may have left beside it.
void RemoveBackupFiles(const std::string& path) {
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    std::error_code ignored;
    std::filesystem::remove(path + suffix, ignored);
  }
}

class BackupHandle {
 public:
  BackupHandle(sqlite3* target, sqlite3* source)
      : target_(target), backup_(sqlite3_backup_init(target, "main", source, "main")) {
    if (backup_ == nullptr) ThrowSqlite(target, sqlite3_errcode(target));
  }
  BackupHandle(const BackupHandle&) = delete;
  BackupHandle& operator=(const BackupHandle&) = delete;
  ~BackupHandle() {
    if (backup_ != nullptr) sqlite3_backup_finish(backup_);
  }

  // Copies every page, `options.pages_per_step` at a time (all at once when not positive).
  void Run(const BackupOptions& options) {
    const int pages = options.pages_per_step > 0 ? options.pages_per_step : -1;
    int rc = SQLITE_OK;
    for (int busy = 0; rc != SQLITE_DONE;) {
      rc = sqlite3_backup_step(backup_, pages);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (++busy > kBusyRetries) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      if (rc != SQLITE_OK && rc != SQLITE_DONE) break;
      if (options.progress) {
        const int total = sqlite3_backup_pagecount(backup_);
        options.progress(total - sqlite3_backup_remaining(backup_), total);
      }
    }
    // finish reports the step's error on the target connection.
    const int finished = sqlite3_backup_finish(backup_);
    backup_ = nullptr;
    if (rc != SQLITE_DONE) ThrowSqlite(target_, rc);
    if (finished != SQLITE_OK) ThrowSqlite(target_, finished);
  }

 private:
  sqlite3* target_;
  sqlite3_backup* backup_;
};

// Copies `source` into the empty file `out` and returns what the copy holds.
//
// SQLite's online backup API, not VACUUM INTO: it copies pages as they are, without
// rebuilding every table and index (less work on a machine the server shares), and writes the
// copy as an ordinary transaction of the target, synced to disk at its commit (VACUUM INTO
// does not sync its output).
//
// Consistency under a busy writer: left to itself, each backup step reads in a transaction of
// its own, and a commit by any other connection between two steps starts the copy over, so a
// server that keeps committing could keep a backup from ever finishing. The source connection
// therefore holds one read transaction from the first step to the last: every step reads the
// same snapshot. navolg's database is always in WAL mode (database.cc sets it at every open,
// and it persists in the file), where a reader never blocks the writer: `navolg serve` keeps
// committing throughout; only checkpoints wait until the copy is done, so the -wal file may
// grow meanwhile. The steps are bounded (`pages_per_step`) so that each call is short and
// progress can be reported.
BackupSummary Copy(sql::SqliteDatabase& source, const std::string& out,
                   const BackupOptions& options) {
  sql::SqliteDatabase target(out, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
  target.exec("PRAGMA synchronous = FULL");
  source.exec("BEGIN");
  struct EndRead {
    sql::Database& db;
    ~EndRead() { db.tryExec("COMMIT"); }
  } end_read{source};
  // BEGIN is deferred: this first read takes the snapshot.
  (void)CountOf(source, "sqlite_schema");
  BackupHandle(target.sqlite().getHandle(), source.sqlite().getHandle()).Run(options);

  // Reading the copy makes the target see that its pages say WAL (copied from the source);
  // then it becomes one self-contained file again.
  BackupSummary summary;
  summary.organisations = CountOf(target, "organisations");
  summary.processes = CountOf(target, "processes");
  summary.events = CountOf(target, "events");
  sql::Statement journal(target, "PRAGMA journal_mode = DELETE");
  if (!journal.executeStep() || journal.getColumn(0).getString() != "delete") {
    throw sql::Exception(sql::ErrorKind::kOther, "de kopie blijft in WAL-modus");
  }
  return summary;
}

std::int64_t SizeOf(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<std::int64_t>(size);
}

// SQLite's own check of every page and index; none when the file is sound.
std::optional<std::string> FileDamage(sql::Database& db) {
  sql::Statement check(db, "PRAGMA integrity_check(20)");
  std::string found;
  while (check.executeStep()) {
    const std::string line = check.getColumn(0).getString();
    if (line == "ok") return std::nullopt;
    found += (found.empty() ? "" : "; ") + line;
  }
  return found.empty() ? std::nullopt : std::optional<std::string>(found);
}

// The marks of damage a check makes (integrity_check.h), for this connection alone: SQLite
// looks up an unqualified table name in the temporary schema before the file's, so the check's
// marks land here and the read-only file is never written.
constexpr const char* kMarksOfThisCheck =
    "CREATE TEMP TABLE process_damage ("
    "process_id TEXT NOT NULL PRIMARY KEY, organisation_id INTEGER NOT NULL, "
    "found_at TEXT NOT NULL, reason TEXT NOT NULL)";

}  // namespace

Result<BackupSummary> CreateBackup(const std::string& database, const std::string& out,
                                   const BackupOptions& options) {
  const std::string what = "database '" + database + "'";
  std::error_code error;
  if (!std::filesystem::exists(database, error)) {
    return Status(Code::kNotFound, what + " bestaat niet");
  }
  std::unique_ptr<sql::SqliteDatabase> source;
  try {
    source = std::make_unique<sql::SqliteDatabase>(
        database, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
    if (Status ours = CheckNavolgFile(*source, what); !ours.ok()) return ours;
  } catch (const sql::Exception& e) {
    return FromSql(e, what);
  }
  if (Status created = CreateEmptyFile(out); !created.ok()) return created;
  try {
    BackupSummary summary = Copy(*source, out, options);
    summary.bytes = SizeOf(out);
    return summary;
  } catch (const sql::Exception& e) {
    RemoveBackupFiles(out);
    return FromSql(e, "reservekopie '" + out + "'");
  }
}

Result<BackupCheck> VerifyBackup(const std::string& path) {
  const std::string what = "reservekopie '" + path + "'";
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return Status(Code::kNotFound, what + " bestaat niet of is geen bestand");
  }
  try {
    auto db = std::make_unique<sql::SqliteDatabase>(
        path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
    if (Status ours = CheckNavolgFile(*db, what); !ours.ok()) return ours;
    if (const std::int64_t version = PragmaOf(*db, "user_version"); version != kSchemaVersion) {
      return Status(Code::kFailedPrecondition,
                    what + " heeft schemaversie " + std::to_string(version) +
                        "; deze navolg controleert versie " + std::to_string(kSchemaVersion) +
                        ". Controleer haar met de navolg die haar maakte.");
    }
    BackupCheck check;
    check.summary.bytes = SizeOf(path);
    check.file_damage = FileDamage(*db);
    if (check.file_damage) return check;
    check.summary.organisations = CountOf(*db, "organisations");
    check.summary.processes = CountOf(*db, "processes");
    check.summary.events = CountOf(*db, "events");
    db->exec(kMarksOfThisCheck);
    Connection connection(std::unique_ptr<sql::Database>(std::move(db)));
    auto report = CheckIntegrity(connection, IntegrityOptions{});
    if (!report.ok()) return report.status();
    check.integrity = std::move(*report);
    return check;
  } catch (const sql::Exception& e) {
    return FromSql(e, what);
  }
}

}  // namespace navolg::storage
