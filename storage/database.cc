#include "storage/database.h"

#include "storage/database_address.h"
#include "storage/database_files.h"
#include "storage/schema.h"
#include "storage/sql/postgres.h"
#include "storage/sql/sqlite.h"

namespace navolg::storage {
namespace {

constexpr int kBusyTimeoutMs = 10'000;

void ApplyPragmas(sql::Database& db, const DatabaseOptions& options) {
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(options.durability == Durability::kFull ? "PRAGMA synchronous = FULL"
                                                  : "PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  // A batch of a few hundred commands must fit in the page cache, or SQLite spills it to the
  // WAL and reads it back before the commit.
  db.exec("PRAGMA cache_size = -65536");
  if (options.max_pages > 0) {
    db.exec("PRAGMA max_page_count = " + std::to_string(options.max_pages));
  }
}

}  // namespace

Status FromSql(const sql::Exception& e, const std::string& what) {
  switch (e.kind()) {
    case sql::ErrorKind::kNotADatabase:
      return Status(Code::kFailedPrecondition,
                    what + ": het bestand is geen SQLite-database; navolg laat het ongemoeid.");
    case sql::ErrorKind::kCorrupt:
      return Status(Code::kDataLoss,
                    what + ": de database is beschadigd (" + std::string(e.what()) + ").");
    case sql::ErrorKind::kFull:
      return Status(Code::kUnavailable,
                    what +
                        ": de schijf of de toegestane databasegrootte is vol; er is niets "
                        "vastgelegd.");
    case sql::ErrorKind::kNoAccess:
      return Status(Code::kFailedPrecondition,
                    what + ": de database kan niet worden geopend of beschreven (" +
                        std::string(e.what()) + "); controleer pad en rechten.");
    case sql::ErrorKind::kBusy:
    case sql::ErrorKind::kRetry:
      return Status(Code::kUnavailable, what + ": de database is bezet; probeer het opnieuw.");
    case sql::ErrorKind::kIo:
      return Status(Code::kUnavailable, what + ": lezen of schrijven op schijf mislukte (" +
                                            std::string(e.what()) + "); er is niets vastgelegd.");
    case sql::ErrorKind::kUnavailable:
      return Status(Code::kUnavailable, what + ": de databaseserver is niet bereikbaar (" +
                                            std::string(e.what()) + "); er is niets vastgelegd.");
    default:
      return Status(Code::kInternal, what + ": " + e.what());
  }
}

namespace {

// Opens a PostgreSQL database for writing (migrate: true) or reading (the schema checked).
Result<std::unique_ptr<sql::Database>> OpenPostgres(const std::string& address, bool migrate) {
  try {
    // Stated, not assumed from the server's configuration: an acknowledged command is on the
    // primary's disk (and on a synchronous standby's, where the operator has one). A reader's
    // BEGIN ... COMMIT sees one commit throughout, as a SQLite read transaction does (READ
    // COMMITTED would give each statement a later one). Kept across reconnections.
    std::vector<std::string> settings = {"SET synchronous_commit = on"};
    if (!migrate) {
      settings.push_back("SET default_transaction_read_only = on");
      settings.push_back("SET default_transaction_isolation = 'repeatable read'");
    }
    auto db = std::make_unique<sql::PostgresDatabase>(address, std::move(settings));
    Status schema = migrate ? Migrate(*db) : CheckSchema(*db);
    if (!schema.ok()) return schema;
    return std::unique_ptr<sql::Database>(std::move(db));
  } catch (const sql::Exception& e) {
    return FromSql(e, "database " + sql::WithoutPassword(address));
  }
}

// The address as ParseDatabaseAddress reads it, or a SQLite path (":memory:" in tests).
DatabaseAddress AddressOf(const std::string& text) {
  auto address = ParseDatabaseAddress(text);
  return address.ok() ? *address : DatabaseAddress{DatabaseKind::kSqlite, text};
}

}  // namespace

Result<std::unique_ptr<sql::Database>> OpenForWriting(const DatabaseOptions& options) {
  const DatabaseAddress address = AddressOf(options.path);
  if (address.kind == DatabaseKind::kPostgres) return OpenPostgres(address.text, true);
  const std::string what = "database '" + options.path + "'";
  // Created here with mode 0600 (and a missing folder 0700), not by SQLite with 0644: its
  // -wal and -shm files then get the same mode. When that fails, SQLite's own attempt below
  // reports why, in the words every caller already knows.
  (void)CreateDatabaseFile(options.path);
  try {
    auto db = std::make_unique<sql::SqliteDatabase>(
        options.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
        kBusyTimeoutMs);
    // Migrate reads the header before anything is written; only then the WAL pragma writes.
    Status migrated = Migrate(*db);
    if (!migrated.ok()) return migrated;
    ApplyPragmas(*db, options);
    return std::unique_ptr<sql::Database>(std::move(db));
  } catch (const sql::Exception& e) {
    return FromSql(e, what);
  }
}

void CloseConnection::operator()(Connection* connection) const { delete connection; }

Result<ConnectionHandle> OpenConnection(const DatabaseOptions& options) {
  auto db = OpenForWriting(options);
  if (!db.ok()) return db.status();
  return ConnectionHandle(new Connection(std::move(*db)));
}

Status WithSetupLock(Connection& connection, const std::function<Status()>& setup) {
  sql::Database& db = connection.db();
  if (db.dialect() != sql::Dialect::kPostgres) return setup();
  const std::string key = std::to_string(kApplicationId + 1);  // Migrate's is kApplicationId
  try {
    db.exec("SELECT pg_advisory_lock(" + key + ")");
  } catch (const sql::Exception& e) {
    return FromSql(e, "database inrichten");
  }
  Status status = setup();
  (void)db.tryExec("SELECT pg_advisory_unlock(" + key + ")");
  return status;
}

Result<std::unique_ptr<sql::Database>> OpenForReading(const std::string& path) {
  const DatabaseAddress address = AddressOf(path);
  if (address.kind == DatabaseKind::kPostgres) return OpenPostgres(address.text, false);
  try {
    auto db = std::make_unique<sql::SqliteDatabase>(
        path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
    Status schema = CheckSchema(*db);
    if (!schema.ok()) return schema;
    return std::unique_ptr<sql::Database>(std::move(db));
  } catch (const sql::Exception& e) {
    return FromSql(e, "database '" + path + "'");
  }
}

}  // namespace navolg::storage
