// storage/sql: one text of SQL, run the same on both backends. The same tests run against a
// SQLite file and against the throwaway PostgreSQL cluster of the test run
// (tests/postgres/cluster.sh, started once per run by CTest's `postgres` fixture).
#include "storage/sql/sql.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/connection.h"
#include "storage/directory.h"
#include "storage/schema.h"
#include "storage/sessions.h"
#include "storage/sql/postgres.h"
#include "storage/sql/sqlite.h"
#include "tests/postgres/test_postgres.h"

namespace navolg::storage::sql {
namespace {

TEST(TranslateParametersTest, NumbersQuestionMarksAndNamesOutsideQuotes) {
  EXPECT_EQ(TranslateParameters("SELECT a FROM t WHERE b = ? AND c = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = $2");
  std::unordered_map<std::string, int> names;
  EXPECT_EQ(TranslateParameters("WHERE o = :org AND (:who IS NULL OR w = :who)", &names),
            "WHERE o = $1 AND ($2 IS NULL OR w = $2)");
  EXPECT_EQ(names.at(":org"), 1);
  EXPECT_EQ(names.at(":who"), 2);
  EXPECT_EQ(TranslateParameters("SELECT '?', 'a:b', \"c?\", x::text FROM t WHERE y = ?"),
            "SELECT '?', 'a:b', \"c?\", x::text FROM t WHERE y = $1");
  EXPECT_EQ(TranslateParameters("SELECT 'it''s ?' WHERE z = ?"), "SELECT 'it''s ?' WHERE z = $1");
  EXPECT_EQ(TranslateParameters("BEGIN IMMEDIATE"), "BEGIN");
  // SQLite's numbered ?NNN keeps its number, however often it is used.
  EXPECT_EQ(TranslateParameters("UPDATE d SET a = ?1 WHERE p = ?2 AND a IS DISTINCT FROM ?1"),
            "UPDATE d SET a = $1 WHERE p = $2 AND a IS DISTINCT FROM $1");
}

TEST(WithoutPasswordTest, LeavesOutOnlyThePassword) {
  EXPECT_EQ(WithoutPassword("postgresql://navolg:geheim@db:5432/navolg"),
            "postgresql://navolg@db:5432/navolg");
  EXPECT_EQ(WithoutPassword("postgresql://navolg@db/navolg"), "postgresql://navolg@db/navolg");
  EXPECT_EQ(WithoutPassword("postgresql://db/navolg?sslmode=require"),
            "postgresql://db/navolg?sslmode=require");
}

// Each backend, by name, with a table of its own.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<Database>(const std::string& sqlite_path)> open;
};

class SqlTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("navolg-sql-" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    db_ = GetParam().open(path_);
    if (!db_) GTEST_SKIP() << test_postgres::kSkipReason;
    table_ = "t_" + std::to_string(::getpid());
    db_->exec("DROP TABLE IF EXISTS " + table_);
    db_->exec("CREATE TABLE " + table_ + " (k TEXT PRIMARY KEY, n BIGINT, v TEXT)");
  }
  void TearDown() override {
    if (db_) db_->exec("DROP TABLE IF EXISTS " + table_);
    db_.reset();
    std::filesystem::remove(path_);
  }
  std::int64_t Count() {
    Statement count(*db_, "SELECT count(*) FROM " + table_);
    count.executeStep();
    return count.getColumn(0).getInt64();
  }

  std::string path_;
  std::string table_;
  std::unique_ptr<Database> db_;
};

TEST_P(SqlTest, BindsAndReadsTextNumbersAndNull) {
  Statement insert(*db_, "INSERT INTO " + table_ + " (k, n, v) VALUES (?, ?, ?)");
  insert.bind(1, "é en 'quote'");
  insert.bind(2, std::int64_t{9'007'199'254'740'993});
  insert.bind(3);
  EXPECT_EQ(insert.exec(), 1);
  Statement named(*db_, "INSERT INTO " + table_ + " (k, n, v) VALUES (:k, :n, :k)");
  named.bind(":k", std::string("tweede"));
  named.bind(":n", -1);
  named.exec();

  Statement select(*db_, "SELECT k, n, v FROM " + table_ + " ORDER BY n");
  ASSERT_TRUE(select.executeStep());
  EXPECT_EQ(select.getColumn(0).getString(), "tweede");
  EXPECT_EQ(select.getColumn(1).getInt64(), -1);
  EXPECT_EQ(select.getColumn(2).getString(), "tweede");
  ASSERT_TRUE(select.executeStep());
  EXPECT_EQ(select.getColumn(0).getString(), "é en 'quote'");
  EXPECT_EQ(select.getColumn(1).getInt64(), 9'007'199'254'740'993);
  EXPECT_TRUE(select.getColumn(2).isNull());
  EXPECT_FALSE(select.executeStep());
}

TEST_P(SqlTest, AStatementIsRunAgainAfterResetWithNewValues) {
  Statement insert(*db_, "INSERT INTO " + table_ + " (k, n) VALUES (?, ?)");
  for (int i = 0; i < 3; ++i) {
    insert.reset();
    insert.bind(1, "k" + std::to_string(i));
    insert.bind(2, i);
    insert.exec();
  }
  EXPECT_EQ(Count(), 3);
  Statement update(*db_, "UPDATE " + table_ + " SET v = 'x' WHERE n >= ?");
  update.bind(1, 1);
  EXPECT_EQ(update.exec(), 2);
  EXPECT_EQ(db_->getChanges(), 2);
}

TEST_P(SqlTest, ADuplicateKeyIsAUniqueError) {
  db_->exec("INSERT INTO " + table_ + " (k) VALUES ('a')");
  try {
    db_->exec("INSERT INTO " + table_ + " (k) VALUES ('a')");
    FAIL() << "a duplicate key was accepted";
  } catch (const Exception& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnique) << e.what();
  }
  Statement ignored(*db_, "INSERT INTO " + table_ + " (k) VALUES (?) ON CONFLICT DO NOTHING");
  ignored.bind(1, "a");
  EXPECT_EQ(ignored.exec(), 0);
}

TEST_P(SqlTest, ATransactionNotCommittedLeavesNothingAndASavepointUndoesItsPart) {
  {
    Transaction transaction(*db_, TransactionBehavior::IMMEDIATE);
    EXPECT_TRUE(db_->InTransaction());
    db_->exec("INSERT INTO " + table_ + " (k) VALUES ('weg')");
  }
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(Count(), 0);
  Transaction transaction(*db_);
  db_->exec("INSERT INTO " + table_ + " (k) VALUES ('blijft')");
  {
    Savepoint savepoint(*db_, "deel");
    db_->exec("INSERT INTO " + table_ + " (k) VALUES ('deel')");
    // A failed statement inside the savepoint: PostgreSQL then refuses everything until the
    // savepoint is rolled back, which its destructor does.
    EXPECT_THROW(db_->exec("INSERT INTO " + table_ + " (k) VALUES ('blijft')"), Exception);
  }
  transaction.commit();
  EXPECT_EQ(Count(), 1);
}

// Statements sent without waiting (PostgreSQL's pipeline): what they write is there for the
// next statement that reads; a failure among them is thrown by Flush, not lost, and the
// savepoint around them undoes their part; a COMMIT after a failed send is refused, never a
// silent rollback.
TEST_P(SqlTest, SentStatementsAreSeenByTheNextReadAndTheirFailureIsThrownByFlush) {
  Statement insert(*db_, "INSERT INTO " + table_ + " (k, n) VALUES (?, ?)");
  {
    Transaction transaction(*db_);
    for (int i = 0; i < 5; ++i) {
      insert.tryReset();
      insert.bind(1, "k" + std::to_string(i));
      insert.bind(2, i);
      insert.send();
    }
    EXPECT_EQ(Count(), 5);  // the read waits for the five
    {
      Savepoint savepoint(*db_, "opdracht");
      // SQLite runs each at once, so there the duplicate throws itself.
      std::optional<ErrorKind> failed;
      try {
        for (const auto& [key, n] : {std::pair{"nieuw", 10}, {"k1", 11}, {"na de fout", 12}}) {
          insert.tryReset();
          insert.bind(1, key);
          insert.bind(2, n);
          insert.send();
        }
        db_->Flush();
      } catch (const Exception& e) {
        failed = e.kind();
      }
      EXPECT_EQ(failed, ErrorKind::kUnique) << "the duplicate sent was not reported";
    }  // rolled back to the savepoint: "nieuw" and "na de fout" are gone
    transaction.commit();
  }
  EXPECT_EQ(Count(), 5);
  db_->Flush();  // nothing sent: nothing to report

  Transaction failing(*db_);
  insert.tryReset();
  insert.bind(1, "k2");  // a duplicate, and no savepoint to go back to
  insert.bind(2, 20);
  EXPECT_THROW(
      {
        insert.send();
        failing.commit();
      },
      Exception);
}

TEST_P(SqlTest, AnUnknownTableIsAnErrorAtPrepare) {
  EXPECT_THROW(Statement(*db_, "SELECT * FROM bestaat_niet"), Exception);
  // The connection is still usable afterwards.
  EXPECT_EQ(Count(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, SqlTest,
    testing::Values(Backend{"Sqlite",
                            [](const std::string& path) -> std::unique_ptr<Database> {
                              return std::make_unique<SqliteDatabase>(
                                  path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
                            }},
                    Backend{"Postgres",
                            [](const std::string&) -> std::unique_ptr<Database> {
                              const auto address = test_postgres::Address();
                              if (!address) return nullptr;
                              return std::make_unique<PostgresDatabase>(*address);
                            }}),
    [](const testing::TestParamInfo<Backend>& backend) { return backend.param.name; });

// The schema on PostgreSQL: storage/schema.cc's migrations through storage/sql/postgres_ddl.h,
// in a schema of the test's own.
class PostgresSchemaTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto address = test_postgres::Address();
    if (!address) GTEST_SKIP() << test_postgres::kSkipReason;
    db_ = std::make_unique<PostgresDatabase>(*address);
    schema_ = "schema_" + std::to_string(::getpid());
    db_->exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    db_->exec("CREATE SCHEMA " + schema_);
    db_->exec("SET search_path TO " + schema_);
  }
  void TearDown() override {
    if (db_) db_->exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }
  // Table -> its columns, in order.
  std::map<std::string, std::vector<std::string>> PostgresTables() {
    std::map<std::string, std::vector<std::string>> tables;
    Statement columns(*db_,
                      "SELECT table_name, column_name FROM information_schema.columns "
                      "WHERE table_schema = current_schema() AND table_name <> 'navolg_schema' "
                      "ORDER BY table_name, ordinal_position");
    while (columns.executeStep()) {
      tables[columns.getColumn(0).getString()].push_back(columns.getColumn(1).getString());
    }
    return tables;
  }

  std::string schema_;
  std::unique_ptr<PostgresDatabase> db_;
};

TEST_F(PostgresSchemaTest, HasEveryTableAndColumnOfTheSqliteSchema) {
  const Status migrated = Migrate(*db_);
  ASSERT_TRUE(migrated.ok()) << migrated.message();
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("navolg-schema-" + std::to_string(::getpid()) + ".db"))
                               .string();
  std::filesystem::remove(path);
  std::map<std::string, std::vector<std::string>> expected;
  {
    SqliteDatabase sqlite(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(sqlite).ok());
    Statement tables(sqlite, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    while (tables.executeStep()) {
      const std::string table = tables.getColumn(0).getString();
      Statement columns(sqlite, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
      columns.bind(1, table);
      while (columns.executeStep()) expected[table].push_back(columns.getColumn(0).getString());
    }
  }
  std::filesystem::remove(path);
  EXPECT_EQ(PostgresTables(), expected);
}

TEST_F(PostgresSchemaTest, TheTrailAndTheSecurityLogAreAppendOnly) {
  const Status migrated = Migrate(*db_);
  ASSERT_TRUE(migrated.ok()) << migrated.message();
  db_->exec("INSERT INTO events (process_id, seq, type, line) VALUES ('p', 1, 't', '{}')");
  Transaction transaction(*db_);
  for (const char* change :
       {"UPDATE events SET line = '{\"x\":1}'", "DELETE FROM events", "TRUNCATE events",
        "TRUNCATE security_log",
        "INSERT INTO events (process_id, seq, type, line) VALUES ('p', 1, 't', '{}')"}) {
    Savepoint attempt(*db_, "poging");
    try {
      db_->exec(change);
      ADD_FAILURE() << change << " was accepted";
    } catch (const Exception& e) {
      EXPECT_TRUE(e.kind() == ErrorKind::kConstraint || e.kind() == ErrorKind::kUnique)
          << change << ": " << e.what();
    }
  }
  transaction.commit();
  Statement lines(*db_, "SELECT count(*), min(line) FROM events");
  lines.executeStep();
  EXPECT_EQ(lines.getColumn(0).getInt64(), 1);
  EXPECT_EQ(lines.getColumn(1).getString(), "{}");
}

TEST_F(PostgresSchemaTest, MigratingAgainChangesNothingAndAForeignDatabaseIsRefused) {
  const Status migrated = Migrate(*db_);
  ASSERT_TRUE(migrated.ok()) << migrated.message();
  const auto before = PostgresTables();
  const Status again = Migrate(*db_);
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(PostgresTables(), before);

  db_->exec("DROP SCHEMA " + schema_ + " CASCADE");
  db_->exec("CREATE SCHEMA " + schema_);
  db_->exec("CREATE TABLE klanten (id BIGINT)");
  const Status refused = Migrate(*db_);
  EXPECT_EQ(refused.code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.message().find("ander programma"), std::string::npos) << refused.message();
  EXPECT_EQ(PostgresTables().size(), 1u) << "nothing was added to the foreign database";
}

// The directory (organisations, users, tokens) through a storage Connection, on both backends:
// the first of storage's functions that run on PostgreSQL as they are.
class DirectoryOnBothTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string name = "directory_" + std::to_string(::getpid());
    if (GetParam() == "Postgres") {
      const auto address = test_postgres::FreshDatabase(name);
      if (!address) GTEST_SKIP() << test_postgres::kSkipReason;
      address_ = *address;
    } else {
      address_ = (std::filesystem::temp_directory_path() / (name + ".db")).string();
      std::filesystem::remove(address_);
    }
  }
  void TearDown() override {
    if (GetParam() == "Sqlite") {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(address_ + suffix);
    }
  }
  std::string address_;
};

TEST_P(DirectoryOnBothTest, OrganisationsUsersAndTokens) {
  auto connection = OpenConnection(DatabaseOptions{address_});
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  const Time now = std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 20'000));
  auto first = AddOrganisation(**connection, "gemeente-a", "Gemeente A", now);
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = AddOrganisation(**connection, "gemeente-b", "Gemeente B", now);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_NE(first->id, second->id);
  EXPECT_EQ(AddOrganisation(**connection, "gemeente-a", "Nog eens", now).status().code(),
            Code::kFailedPrecondition);
  auto found = FindOrganisation(**connection, "gemeente-b");
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->id, second->id);
  EXPECT_EQ(found->name, "Gemeente B");

  auto user = AddUser(**connection, "gemeente-a", "adviseur", "Anna", "token-van-anna", now);
  ASSERT_TRUE(user.ok()) << user.status().message();
  auto by_token = FindUserByToken(**connection, "token-van-anna");
  ASSERT_TRUE(by_token.ok()) << by_token.status().message();
  EXPECT_EQ(by_token->name, "Anna");
  EXPECT_EQ(FindUserByToken(**connection, "token-van-niemand").status().code(), Code::kNotFound);
  EXPECT_EQ(
      AddUser(**connection, "gemeente-a", "adviseur", "Anna", "ander-token", now).status().code(),
      Code::kFailedPrecondition);
  auto count = CountOrganisations(**connection);
  ASSERT_TRUE(count.ok()) << count.status().message();
  EXPECT_EQ(*count, 2);
}

TEST_P(DirectoryOnBothTest, SessionsStartAreSeenMoveOnlyForwardAndEnd) {
  auto connection = OpenConnection(DatabaseOptions{address_});
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  const Time now = std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 20'000));
  ASSERT_TRUE(AddOrganisation(**connection, "gemeente-a", "Gemeente A", now).ok());
  auto user = AddUser(**connection, "gemeente-a", "adviseur", "Anna", "token-van-anna", now);
  ASSERT_TRUE(user.ok()) << user.status().message();
  const std::string id = NewSessionId().value();
  ASSERT_TRUE(CreateSession(**connection, id, user->id, now).ok());
  auto session = FindSession(**connection, id, now + std::chrono::minutes(30));
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->user.name, "Anna");
  // Touched at +50 min, then (a late request) at +10 min: still seen at +50 min.
  ASSERT_TRUE(TouchSession(**connection, session->hash, now + std::chrono::minutes(50)).ok());
  ASSERT_TRUE(TouchSession(**connection, session->hash, now + std::chrono::minutes(10)).ok());
  auto later = FindSession(**connection, id, now + std::chrono::minutes(100));
  ASSERT_TRUE(later.ok()) << "idle for 50 minutes only: " << later.status().message();
  EXPECT_EQ(later->last_seen, now + std::chrono::minutes(50));
  ASSERT_TRUE(EndSession(**connection, session->hash).ok());
  EXPECT_EQ(FindSession(**connection, id, now + std::chrono::minutes(101)).status().code(),
            Code::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectoryOnBothTest, testing::Values("Sqlite", "Postgres"),
                         [](const testing::TestParamInfo<std::string>& backend) {
                           return backend.param;
                         });

TEST(PostgresDatabaseTest, AnUnreachableServerIsUnavailableAndTheMessageHasNoPassword) {
  try {
    PostgresDatabase db("postgresql://navolg:geheim@127.0.0.1:1/navolg?connect_timeout=2");
    FAIL() << "connected to nothing";
  } catch (const Exception& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
    EXPECT_EQ(std::string(e.what()).find("geheim"), std::string::npos) << e.what();
  }
}

// Ends the server process behind `db`'s connection, as a PostgreSQL restart or failover does.
void DropConnection(const std::string& address, Database& db) {
  Statement pid(db, "SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.executeStep());
  const std::int64_t backend = pid.getColumn(0).getInt64();
  pid.reset();
  PostgresDatabase admin(address);
  admin.exec("SELECT pg_terminate_backend(" + std::to_string(backend) + ")");
  for (int i = 0; i < 100; ++i) {  // until the server has let it go
    Statement gone(admin,
                   "SELECT count(*) FROM pg_stat_activity WHERE pid = " + std::to_string(backend));
    ASSERT_TRUE(gone.executeStep());
    if (gone.getColumn(0).getInt64() == 0) return;
    ::usleep(20'000);
  }
}

// A connection the server dropped fails the statement in flight and is opened anew for the
// next, with its kept statements and session settings; lost inside a transaction, nothing
// runs until the caller has rolled back, and nothing of the transaction remains.
TEST(PostgresDatabaseTest, ALostConnectionIsOpenedAnewButNeverInsideATransaction) {
  const auto address = test_postgres::FreshSchema("t_reconnect");
  if (!address) GTEST_SKIP() << test_postgres::kSkipReason;
  PostgresDatabase db(*address, {"SET lock_timeout = '1234ms'"});
  db.exec("CREATE TABLE t (x BIGINT PRIMARY KEY)");
  Statement insert(db, "INSERT INTO t (x) VALUES (?)");
  insert.bind(1, std::int64_t{1});
  insert.exec();

  ASSERT_NO_FATAL_FAILURE(DropConnection(*address, db));
  insert.tryReset();
  insert.bind(1, std::int64_t{2});
  try {
    insert.exec();
    FAIL() << "a statement on a dropped connection succeeded";
  } catch (const Exception& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
  }
  insert.tryReset();
  insert.bind(1, std::int64_t{2});
  EXPECT_EQ(insert.exec(), 1);  // the kept statement, on the new connection
  Statement setting(db, "SHOW lock_timeout");
  ASSERT_TRUE(setting.executeStep());
  EXPECT_EQ(setting.getColumn(0).getString(), "1234ms");
  setting.reset();

  db.exec("BEGIN");
  insert.tryReset();
  insert.bind(1, std::int64_t{3});
  insert.exec();
  ASSERT_NO_FATAL_FAILURE(DropConnection(*address, db));
  insert.tryReset();
  insert.bind(1, std::int64_t{4});
  EXPECT_THROW(insert.exec(), Exception);
  insert.tryReset();
  insert.bind(1, std::int64_t{5});
  try {
    insert.exec();
    FAIL() << "a statement of a lost transaction ran outside it";
  } catch (const Exception& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find("tijdens een transactie"), std::string::npos) << e.what();
  }
  db.exec("ROLLBACK");
  Statement rows(db, "SELECT count(*), max(x) FROM t");
  ASSERT_TRUE(rows.executeStep());
  EXPECT_EQ(rows.getColumn(0).getInt64(), 2);
  EXPECT_EQ(rows.getColumn(1).getInt64(), 2);
  rows.reset();
  test_postgres::DropSchema("t_reconnect");
}

}  // namespace
}  // namespace navolg::storage::sql
