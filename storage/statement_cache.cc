#include "storage/statement_cache.h"

#include <mutex>
#include <shared_mutex>

namespace navolg::storage {
namespace {

std::shared_mutex registry_mutex;
std::unordered_map<const void*, StatementCache*>& Registry() {
  static auto* registry = new std::unordered_map<const void*, StatementCache*>();
  return *registry;
}

}  // namespace

StatementCache::StatementCache(SQLite::Database& db) : db_(db) {
  std::unique_lock lock(registry_mutex);
  Registry()[db_.getHandle()] = this;
}

StatementCache::~StatementCache() {
  {
    std::unique_lock lock(registry_mutex);
    Registry().erase(db_.getHandle());
  }
  statements_.clear();
}

StatementCache* StatementCache::Of(SQLite::Database& db) {
  std::shared_lock lock(registry_mutex);
  auto found = Registry().find(db.getHandle());
  return found == Registry().end() ? nullptr : found->second;
}

Query::Query(SQLite::Database& db, const std::string& sql) {
  if (StatementCache* cache = StatementCache::Of(db)) {
    StatementCache::Kept& kept = cache->statements_[sql];
    if (!kept.statement) kept.statement = std::make_unique<SQLite::Statement>(db, sql);
    if (!kept.in_use) {
      kept.in_use = true;
      in_use_ = &kept.in_use;
      statement_ = kept.statement.get();
      return;
    }
  }
  statement_ = &own_.emplace(db, sql);
}

Query::~Query() {
  if (in_use_ == nullptr) return;
  statement_->tryReset();
  statement_->clearBindings();
  *in_use_ = false;
}

}  // namespace navolg::storage
