// Prepared statements kept per connection.
//
// Preparing a statement parses its SQL and resolves every name against the schema, which
// costs more than running a point query by key. A connection that serves many requests (the
// read pool's) gets a StatementCache; a Query on such a connection borrows the statement it
// kept for that SQL, and on any other connection prepares one of its own. So the functions
// that take a SQLite::Database& work the same for the command line and for the server.
//
// Not thread-safe per connection, like the connection itself; the registry of caches is.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace navolg::storage {

class StatementCache {
 public:
  // Keeps statements for `db`, which must outlive the cache.
  explicit StatementCache(SQLite::Database& db);
  ~StatementCache();  // finalises every kept statement
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

 private:
  friend class Query;
  struct Kept {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  static StatementCache* Of(SQLite::Database& db);

  SQLite::Database& db_;
  std::unordered_map<std::string, Kept> statements_;
};

// One use of a statement: the connection's kept one, reset with its bindings cleared when the
// Query ends (also when the same SQL is already in use there: then a fresh one).
class Query {
 public:
  Query(SQLite::Database& db, const std::string& sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  SQLite::Statement* operator->() { return statement_; }
  SQLite::Statement& operator*() { return *statement_; }

 private:
  std::optional<SQLite::Statement> own_;
  SQLite::Statement* statement_ = nullptr;
  bool* in_use_ = nullptr;  // the kept statement's flag
};

}  // namespace navolg::storage
