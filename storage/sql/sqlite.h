// The SQLite backend of storage/sql/sql.h, over SQLiteCpp: the embedded default. Code that
// needs SQLite itself (its pragmas, the online backup, tests that look inside the file) asks
// a SqliteDatabase for sqlite().
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <memory>
#include <string>

#include "storage/sql/sql.h"

namespace navolg::storage::sql {

class SqliteDatabase final : public Database {
 public:
  // Opens `path` with SQLiteCpp's flags (SQLite::OPEN_READWRITE | ...); throws sql::Exception.
  SqliteDatabase(const std::string& path, int flags = SQLite::OPEN_READONLY,
                 int busy_timeout_ms = 0);

  SQLite::Database& sqlite() { return db_; }
  const SQLite::Database& sqlite() const { return db_; }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string name() const override {
    return db_.getFilename().empty() ? ":memory:" : db_.getFilename();
  }
  int exec(std::string_view sql) override;
  std::unique_ptr<StatementBackend> Prepare(std::string_view sql) override;
  int getChanges() const override { return db_.getChanges(); }
  bool InTransaction() const override;

 private:
  SQLite::Database db_;
};

// SQLiteCpp's exception as ours: its result code decides the kind.
Exception FromSqliteException(const SQLite::Exception& e);

}  // namespace navolg::storage::sql
