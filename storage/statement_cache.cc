#include "storage/statement_cache.h"

#include "storage/connection_sql.h"

namespace navolg::storage {

Query::Query(StatementCache& cache, const std::string& sql) { Borrow(cache, sql); }

void Query::Borrow(StatementCache& cache, const std::string& sql) {
  StatementCache::Kept& kept = cache.statements_[sql];
  if (!kept.statement) kept.statement = std::make_unique<sql::Statement>(cache.db_, sql);
  if (kept.in_use) {
    statement_ = &own_.emplace(cache.db_, sql);
    return;
  }
  kept.in_use = true;
  in_use_ = &kept.in_use;
  statement_ = kept.statement.get();
}

Query::Query(sql::Database& db, const std::string& sql) : statement_(&own_.emplace(db, sql)) {}

Query::Query(const Connection& connection, const std::string& sql) {
  if (StatementCache* cache = connection.statements()) {
    Borrow(*cache, sql);
    return;
  }
  statement_ = &own_.emplace(connection.db(), sql);
}

Query::~Query() {
  if (in_use_ == nullptr) return;
  statement_->tryReset();
  statement_->clearBindings();
  *in_use_ = false;
}

}  // namespace navolg::storage
