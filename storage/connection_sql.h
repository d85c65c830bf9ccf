// What a Connection (storage/connection.h) is: a connection of the SQL layer (storage/sql: SQLite
// or PostgreSQL), owned or borrowed.
// storage's own: code outside storage/ never includes this, except tests that look inside the
// database file.
#pragma once

#include <memory>

#include "storage/connection.h"
#include "storage/sql/sql.h"
#include "storage/statement_cache.h"

namespace navolg::storage {

class Connection {
 public:
  // Owns `db`: what OpenConnection hands out.
  explicit Connection(std::unique_ptr<sql::Database> db) : owned_(std::move(db)), db_(*owned_) {}
  // Borrows `db` for as long as the Connection lives. Implicit, so that storage code holding a
  // database connection (a read pool's, the writer's) can call the functions that only read
  // (they take a `const Connection&`).
  Connection(sql::Database& db) : db_(db) {}  // NOLINT: implicit by design
  // Borrows a pooled connection together with its kept statements, so that the lookups every
  // request makes (token, session) reuse their prepared statements. Implicit, as above.
  Connection(StatementCache& statements)  // NOLINT: implicit by design
      : db_(statements.db()), statements_(&statements) {}

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The connection's database; a const Connection still reaches it, as a const pointer
  // still reaches its object.
  sql::Database& db() const { return db_; }
  // The kept statements of a pooled connection; null for any other.
  StatementCache* statements() const { return statements_; }

 private:
  std::unique_ptr<sql::Database> owned_;  // null when borrowed
  sql::Database& db_;
  StatementCache* statements_ = nullptr;
};

}  // namespace navolg::storage
