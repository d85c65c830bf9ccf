#include "storage/sql/sql.h"

namespace navolg::storage::sql {

Transaction::Transaction(Database& db, TransactionBehavior behavior) : db_(db) {
  db_.exec(behavior == TransactionBehavior::IMMEDIATE && db_.dialect() == Dialect::kSqlite
               ? "BEGIN IMMEDIATE"
               : "BEGIN");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const Exception&) {  // NOLINT(bugprone-empty-catch): already ended by the backend
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

Savepoint::Savepoint(Database& db, std::string name) : db_(db), name_(std::move(name)) {
  db_.exec("SAVEPOINT " + name_);
}

Savepoint::~Savepoint() {
  if (done_) return;
  try {
    db_.exec("ROLLBACK TO " + name_);
    db_.exec("RELEASE " + name_);
  } catch (const Exception&) {  // NOLINT(bugprone-empty-catch): the transaction ended already
  }
}

void Savepoint::release() {
  db_.exec("RELEASE " + name_);
  done_ = true;
}

}  // namespace navolg::storage::sql
