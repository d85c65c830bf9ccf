#include "storage/sql/sql.h"

namespace navolg::storage::sql {

Transaction::Transaction(Database& db, TransactionBehavior behavior) : db_(db) {
  db_.exec(behavior == TransactionBehavior::IMMEDIATE && db_.dialect() == Dialect::kSqlite
               ? "BEGIN IMMEDIATE"
               : "BEGIN");
}

Transaction::~Transaction() {
  if (!done_) (void)db_.tryExec("ROLLBACK");  // fails only when the backend ended it already
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

Savepoint::Savepoint(Database& db, std::string name)
    : db_(db), name_(std::move(name)), outermost_(!db.InTransaction()) {
  db_.exec(outermost_ ? "BEGIN" : "SAVEPOINT " + name_);
}

Savepoint::~Savepoint() {
  if (done_) return;
  if (outermost_) {
    (void)db_.tryExec("ROLLBACK");
  } else if (db_.tryExec("ROLLBACK TO " + name_)) {
    (void)db_.tryExec("RELEASE " + name_);
  }
}

void Savepoint::release() {
  db_.exec(outermost_ ? "COMMIT" : "RELEASE " + name_);
  done_ = true;
}

}  // namespace navolg::storage::sql
