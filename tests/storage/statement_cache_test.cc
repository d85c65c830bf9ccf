// Kept statements on a pooled connection: reused, never carrying a binding from one use into
// the next (which could hand one request another's row), and safe when the same SQL is used
// again while a use of it is still running.
#include "storage/statement_cache.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/connection_sql.h"
#include "storage/sql/sqlite.h"

namespace navolg::storage {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("navolg-statements-" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    db_ = std::make_unique<storage::sql::SqliteDatabase>(
        path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db_->exec(
        "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT); "
        "INSERT INTO t VALUES ('a', 'geheim van a'), ('b', 'geheim van b')");
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
  }
  std::string path_;
  std::unique_ptr<storage::sql::SqliteDatabase> db_;
};

TEST_F(StatementCacheTest, AKeptStatementIsReusedWithoutItsPreviousBinding) {
  StatementCache cache(*db_);
  const std::string sql = "SELECT v FROM t WHERE k = ?";
  storage::sql::Statement* first = nullptr;
  {
    Query query(cache, sql);
    query->bind(1, "a");
    ASSERT_TRUE(query->executeStep());
    EXPECT_EQ(query->getColumn(0).getString(), "geheim van a");
    first = &*query;
  }
  Query again(cache, sql);
  EXPECT_EQ(&*again, first) << "prepared once, kept";
  EXPECT_FALSE(again->executeStep()) << "the binding of the previous use must be gone";
}

TEST_F(StatementCacheTest, TheSameSqlInUseTwiceGetsASecondStatement) {
  StatementCache cache(*db_);
  const std::string sql = "SELECT k, v FROM t ORDER BY k";
  Query outer(cache, sql);
  std::vector<std::string> pairs;
  while (outer->executeStep()) {
    Query inner(cache, sql);
    EXPECT_NE(&*inner, &*outer);
    int rows = 0;
    while (inner->executeStep()) ++rows;
    pairs.push_back(outer->getColumn(0).getString() + std::to_string(rows));
  }
  EXPECT_EQ(pairs, (std::vector<std::string>{"a2", "b2"}));
}

// The cache is passed, never found: a query on the connection alone does not borrow the
// statements of a cache that happens to exist for that connection.
TEST_F(StatementCacheTest, AQueryNotGivenTheCacheLeavesItAlone) {
  StatementCache cache(*db_);
  const std::string sql = "SELECT v FROM t WHERE k = ?";
  storage::sql::Statement* kept = nullptr;
  {
    Query query(cache, sql);
    kept = &*query;
  }
  Query alone(*db_, sql);
  EXPECT_NE(&*alone, kept);
  Query borrowed(cache, sql);
  EXPECT_EQ(&*borrowed, kept) << "the kept statement is not in use";
  EXPECT_EQ(cache.size(), 1u);
}

TEST_F(StatementCacheTest, WithoutACacheEveryQueryPreparesItsOwn) {
  const std::string sql = "SELECT v FROM t WHERE k = ?";
  Query one(*db_, sql);
  Query two(*db_, sql);
  EXPECT_NE(&*one, &*two);
  two->bind(1, "b");
  ASSERT_TRUE(two->executeStep());
  EXPECT_EQ(two->getColumn(0).getString(), "geheim van b");
}

// The lookups every request makes (token, session) take a Connection; one that borrows a
// pooled connection's cache must reuse its kept statement, and one that does not must leave
// the cache alone.
TEST_F(StatementCacheTest, AConnectionCarryingTheCacheUsesItsKeptStatements) {
  StatementCache cache(*db_);
  const std::string sql = "SELECT v FROM t WHERE k = ?";
  const Connection pooled(cache);
  for (const char* key : {"a", "b", "a"}) {
    Query query(pooled, sql);
    query->bind(1, key);
    ASSERT_TRUE(query->executeStep());
    EXPECT_EQ(query->getColumn(0).getString(), std::string("geheim van ") + key);
  }
  EXPECT_EQ(cache.size(), 1u);
  const Connection plain(*db_);
  Query other(plain, "SELECT k FROM t");
  EXPECT_TRUE(other->executeStep());
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace navolg::storage
