// navolg db copy underneath (storage/database_copy.h): a database with finished, stopped and
// running processes copied to a SQLite file and from there on to a second database (on the
// PostgreSQL run a PostgreSQL schema: both directions), every row arriving and every chain
// verifying; a target with data is refused untouched.
#include "storage/database_copy.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/storage/process_walks.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/raw_database.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

// Every table's rows as text, sorted: equal on two backends when the contents are equal.
std::map<std::string, std::vector<std::string>> Contents(const std::string& address) {
  auto db = RawReader(address);
  std::map<std::string, std::vector<std::string>> contents;
  for (const std::string& table : TableNames(*db)) {
    if (table == "navolg_schema") continue;
    std::vector<std::string>& rows = contents[table];
    storage::sql::Statement query(*db, "SELECT * FROM \"" + table + "\"");
    while (query.executeStep()) {
      std::string row;
      for (int i = 0; i < query.getColumnCount(); ++i) {
        row += query.getColumn(i).isNull() ? std::string("NULL") : query.getColumn(i).getString();
        row += '|';
      }
      rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
  }
  return contents;
}

using DatabaseCopyTest = StoreFixture;

TEST_F(DatabaseCopyTest, ACopyThereAndBackHoldsEveryRowAndEveryChainVerifies) {
  const std::string finished = Walk("Marktplein", WalkEnd::kFinished);
  const std::string stopped = Walk("Stationsplein", WalkEnd::kStopped);
  const std::string running = Walk("Havenkwartier", WalkEnd::kRunning);
  reads_.reset();
  committer_.reset();  // the nodes stop before a copy
  const auto source = Contents(path_);
  ASSERT_GE(source.at("events").size(), 20u);

  const std::string file = (dir_ / "kopie.db").string();
  auto there = storage::CopyDatabase(path_, file, At("2026-04-01T09:00:00.000Z"));
  ASSERT_TRUE(there.ok()) << there.status().message();
  EXPECT_EQ(there->integrity.fully_checked, 3);
  EXPECT_EQ(there->integrity.damaged, 0);
  EXPECT_EQ(Contents(file), source);

  // On to a second database of the run's backend: PostgreSQL -> SQLite -> PostgreSQL on the
  // PostgreSQL run, SQLite -> SQLite -> SQLite otherwise.
  const std::string second =
      test_postgres::PostgresUnderTest()
          ? test_postgres::FreshSchema(test_postgres::NameFor("copy-target")).value_or("")
          : (dir_ / "terug.db").string();
  ASSERT_FALSE(second.empty());
  auto back = storage::CopyDatabase(file, second, At("2026-04-01T09:00:00.000Z"));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->rows, there->rows);
  EXPECT_EQ(Contents(second), source);
  for (const std::string& id : {finished, stopped, running}) {
    const Definition definition = LoadWorkflow("standaard-participatie");
    ASSERT_NO_FATAL_FAILURE(ExpectProjectionsMatchTrail(second, definition, org_a_, id));
  }
  // The copy takes commands where the source left off: ids continue after the copied ones.
  {
    auto db = storage::OpenConnection({second});
    ASSERT_TRUE(db.ok()) << db.status().message();
    auto added =
        storage::AddOrganisation(**db, "gemeente-c", "Gemeente C", At("2026-04-01T10:00:00.000Z"));
    ASSERT_TRUE(added.ok()) << added.status().message();
    EXPECT_GT(added->id, org_b_);
  }
  if (test_postgres::PostgresUnderTest()) {
    test_postgres::DropSchema(test_postgres::NameFor("copy-target"));
  }

  // A target with data is refused, and left as it was.
  const auto before = Contents(file);
  auto again = storage::CopyDatabase(path_, file, At("2026-04-01T09:00:00.000Z"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("niet leeg"), std::string::npos)
      << again.status().message();
  EXPECT_EQ(Contents(file), before);
}

}  // namespace
}  // namespace navolg
