// The test's database as someone with direct access sees it, outside storage/'s rules for
// opening it: a SQLite file or a PostgreSQL address (the storage and HTTP suites run on both;
// tests/postgres/test_postgres.h). For tests that look at or edit what navolg stored.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/sql/postgres.h"
#include "storage/sql/sqlite.h"

namespace navolg::testing {

inline bool IsPostgresAddress(const std::string& address) {
  return address.starts_with("postgresql://") || address.starts_with("postgres://");
}

// A raw connection that may only read.
inline std::unique_ptr<storage::sql::Database> RawReader(const std::string& address) {
  if (IsPostgresAddress(address)) {
    auto db = std::make_unique<storage::sql::PostgresDatabase>(address);
    db->exec("SET default_transaction_read_only = on");
    return db;
  }
  return std::make_unique<storage::sql::SqliteDatabase>(address, SQLite::OPEN_READONLY);
}

// A raw connection that may write.
inline std::unique_ptr<storage::sql::Database> RawWriter(const std::string& address) {
  if (IsPostgresAddress(address)) {
    return std::make_unique<storage::sql::PostgresDatabase>(address);
  }
  return std::make_unique<storage::sql::SqliteDatabase>(address, SQLite::OPEN_READWRITE);
}

// The names of navolg's tables, sorted.
inline std::vector<std::string> TableNames(storage::sql::Database& db) {
  storage::sql::Statement query(
      db, db.dialect() == storage::sql::Dialect::kPostgres
              ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema() ORDER BY table_name"
              : "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  std::vector<std::string> names;
  while (query.executeStep()) names.push_back(query.getColumn(0).getString());
  return names;
}

// Plants a trigger that makes every INSERT into `table` fail with `message` when `when` (a
// condition on NEW) holds: a failure in the middle of navolg's own writes, for tests of what
// it then rolls back.
inline void FailInserts(storage::sql::Database& db, const std::string& table,
                        const std::string& when, const std::string& message) {
  if (db.dialect() == storage::sql::Dialect::kPostgres) {
    db.exec(
        "CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION '" +
        message + "'; END $$");
    db.exec("CREATE TRIGGER test_fail BEFORE INSERT ON " + table + " FOR EACH ROW WHEN (" + when +
            ") EXECUTE FUNCTION test_fail()");
    return;
  }
  db.exec("PRAGMA busy_timeout = 10000");
  db.exec("CREATE TRIGGER test_fail BEFORE INSERT ON " + table + " WHEN " + when +
          " BEGIN SELECT RAISE(ABORT, '" + message + "'); END");
}

// Removes what FailInserts planted.
inline void StopFailingInserts(storage::sql::Database& db, const std::string& table) {
  if (db.dialect() == storage::sql::Dialect::kPostgres) {
    db.exec("DROP TRIGGER test_fail ON " + table);
    db.exec("DROP FUNCTION test_fail()");
    return;
  }
  db.exec("PRAGMA busy_timeout = 10000");
  db.exec("DROP TRIGGER test_fail");
}

}  // namespace navolg::testing
