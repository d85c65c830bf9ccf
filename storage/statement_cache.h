// Prepared statements kept per connection.
//
// Preparing a statement parses its SQL and resolves every name against the schema, which
// costs more than running a point query by key. A connection that serves many requests (the
// read pool's, storage/read_store.cc) owns a StatementCache, and its queries name it:
// Query(cache, sql) borrows the statement the cache keeps for that SQL. Query(db, sql)
// prepares a statement for that one use (the command line's connections, which have no
// cache). Nothing is looked up behind the caller's back: a query uses a cache only when it is
// handed one.
//
// Private to storage's SQLite sources; no public header includes it.
// Not thread-safe, like the connection it belongs to.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/sql/sql.h"

namespace navolg::storage {

class Connection;  // storage/connection_sql.h

class StatementCache {
 public:
  // Keeps statements for `db`, which must outlive the cache.
  explicit StatementCache(sql::Database& db) : db_(db) {}
  ~StatementCache() = default;  // finalises every kept statement
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  sql::Database& db() const { return db_; }
  std::size_t size() const { return statements_.size(); }

 private:
  friend class Query;
  struct Kept {
    std::unique_ptr<sql::Statement> statement;
    bool in_use = false;
  };

  sql::Database& db_;
  std::unordered_map<std::string, Kept> statements_;
};

// One use of a statement, reset with its bindings cleared when the Query ends. Both
// constructors throw sql::Exception when the SQL does not prepare.
class Query {
 public:
  // The statement `cache` keeps for `sql` (prepared on its first use); a fresh one when that
  // is in use already (the same SQL run inside a loop over its own results).
  Query(StatementCache& cache, const std::string& sql);
  // A statement prepared for this use only.
  Query(sql::Database& db, const std::string& sql);
  // The connection's kept statement when it carries a cache (a pooled connection's), else one
  // prepared for this use only.
  Query(const Connection& connection, const std::string& sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  sql::Statement* operator->() { return statement_; }
  sql::Statement& operator*() { return *statement_; }

 private:
  // Uses the statement `cache` keeps for `sql`, or a fresh one when that is in use.
  void Borrow(StatementCache& cache, const std::string& sql);

  std::optional<sql::Statement> own_;
  sql::Statement* statement_ = nullptr;
  bool* in_use_ = nullptr;  // the kept statement's flag
};

}  // namespace navolg::storage
