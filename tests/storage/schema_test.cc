// The schema and its migrations: a new file gets the whole schema and navolg's marks; a
// current one is left alone; a newer navolg's or another program's file is refused without a
// byte changed; the audit events cannot be changed or deleted, even through raw SQL.
#include "storage/schema.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "storage/sql/sqlite.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

// The files in `dir`, leaving out an empty "-wal" and the "-shm" beside a database in WAL
// mode: any reader of such a database creates them, and they hold no data.
std::set<std::string> FilesIn(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    auto ends_with = [&](const std::string& suffix) {
      return name.size() > suffix.size() &&
             name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with("-shm") || (ends_with("-wal") && entry.file_size() == 0)) continue;
    names.insert(name);
  }
  return names;
}

std::int64_t Pragma(storage::sql::Database& db, const std::string& pragma) {
  storage::sql::Statement query(db, "PRAGMA " + pragma);
  EXPECT_TRUE(query.executeStep());
  return query.getColumn(0).getInt64();
}

std::set<std::string> Names(storage::sql::Database& db, const std::string& type) {
  std::set<std::string> names;
  storage::sql::Statement query(db,
                                "SELECT name FROM sqlite_schema WHERE type = ? AND "
                                "name NOT LIKE 'sqlite_%'");
  query.bind(1, type);
  while (query.executeStep()) names.insert(query.getColumn(0).getString());
  return names;
}

const std::set<std::string> kTables = {"adoptions",
                                       "deadlines",
                                       "events",
                                       "organisations",
                                       "outbox",
                                       "processes",
                                       "process_findings",
                                       "product_versions",
                                       "tokens",
                                       "users",
                                       "workflows",
                                       "sessions",
                                       "sign_in_buckets",
                                       "sign_in_locks",
                                       "sign_in_familiar",
                                       "security_log",
                                       "process_snapshots",
                                       "process_damage",
                                       "checkpoints",
                                       "adoption_queue",
                                       "check_statuses",
                                       "check_counts",
                                       "findings_processes",
                                       "improvement_points",
                                       "improvement_point_counts"};

class SchemaTest : public StoreFixture {
 protected:
  // Closes every connection of the fixture, so the WAL is checkpointed into the file.
  void CloseStore() {
    reads_.reset();
    committer_.reset();
  }

  // Expects OpenForWriting, GroupCommitter::Start, OpenForReading and ReadStore::Open to
  // refuse `path` with kFailedPrecondition and a message containing `words` and the path, and
  // the folder to hold exactly the same files with exactly the same bytes afterwards.
  void ExpectRefusedUnchanged(const std::string& path, const std::string& words) {
    const std::string bytes = ReadBytes(path);
    const auto files = FilesIn(dir_);
    auto opened = storage::OpenForWriting({path});
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), Code::kFailedPrecondition);
    EXPECT_NE(opened.status().message().find(words), std::string::npos)
        << opened.status().message();
    EXPECT_NE(opened.status().message().find(path), std::string::npos) << opened.status().message();
    auto started = storage::GroupCommitter::Start({path}, {});
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(started.status().message(), opened.status().message());
    EXPECT_FALSE(storage::OpenForReading(path).ok());
    EXPECT_FALSE(storage::ReadStore::Open(path, nullptr).ok());
    EXPECT_EQ(ReadBytes(path), bytes) << "the file was modified";
    EXPECT_EQ(FilesIn(dir_), files);
  }
};

TEST_F(SchemaTest, MigratingANewOrEmptyFileCreatesTheWholeSchema) {
  const std::string absent = (dir_ / "new.db").string();
  const std::string empty = (dir_ / "empty.db").string();
  std::ofstream(empty).close();
  ASSERT_EQ(std::filesystem::file_size(empty), 0u);
  for (const std::string& path : {absent, empty}) {
    SCOPED_TRACE(path);
    auto opened = storage::OpenForWriting({path});
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    auto db_owned = RawReader(path);
    storage::sql::Database& db = *db_owned;
    EXPECT_EQ(Pragma(db, "user_version"), storage::kSchemaVersion);
    EXPECT_EQ(Pragma(db, "application_id"), storage::kApplicationId);
    EXPECT_EQ(Names(db, "table"), kTables);
    EXPECT_EQ(Names(db, "trigger"),
              (std::set<std::string>{"events_no_delete", "events_no_replace", "events_no_update",
                                     "security_log_no_delete", "security_log_no_replace",
                                     "security_log_no_update"}));
    EXPECT_EQ(
        Names(db, "index"),
        (std::set<std::string>{
            "deadlines_by_assignee", "deadlines_open", "deadlines_unmissed", "outbox_pending",
            "processes_by_organisation", "processes_by_state", "sessions_by_expiry",
            "sessions_by_user", "sign_in_buckets_by_tat", "sign_in_locks_by_age",
            "sign_in_locks_by_name", "sign_in_familiar_by_age", "security_log_by_organisation",
            "processes_by_assignee", "processes_by_next_deadline", "processes_by_title",
            "adoption_queue_by_role", "process_findings_by_statuses"}));
    storage::sql::Statement mode(db, "PRAGMA journal_mode");
    ASSERT_TRUE(mode.executeStep());
    EXPECT_EQ(mode.getColumn(0).getString(), "wal");
    EXPECT_EQ(CountRows(db, "organisations"), 0);
  }
  // "nvlg" in the file header (offset 68, big-endian), where `file` and auditors look.
  const std::string header = ReadBytes(absent).substr(0, 100);
  EXPECT_EQ(header.substr(0, 16), std::string("SQLite format 3\0", 16));
  EXPECT_EQ(header.substr(68, 4), "nvlg");
}

TEST_F(SchemaTest, ReopeningACurrentDatabaseChangesNothing) {
  ASSERT_TRUE(Submit(CreateProcess(), SaveProduct{"kadernotitie", 0, CompleteKadernotitie()},
                     Adviseur(), "2026-03-02T09:00:00.000Z", 1)
                  .committed());
  CloseStore();
  const std::string bytes = ReadBytes(path_);
  const std::string dump = DumpDatabase(path_);
  for (int i = 0; i < 2; ++i) {
    auto opened = storage::OpenForWriting({path_});
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_TRUE(storage::Migrate(**opened).ok());
    opened->reset();
    StartStore();
    CloseStore();
  }
  EXPECT_EQ(ReadBytes(path_), bytes);
  EXPECT_DATABASE_UNCHANGED(path_, dump);
  EXPECT_EQ(FilesIn(dir_), std::set<std::string>{"navolg.db"});
}

// tests/storage/data/schema-v1.db was written by navolg at schema version 1 (commit e02f5da):
// organisation gem-oud with adviseur "Anna Adviseur" and the token below.
TEST_F(SchemaTest, VersionOneDatabaseIsUpgradedKeepingItsData) {
  const std::string path = (dir_ / "v1.db").string();
  std::filesystem::copy_file(std::string(NAVOLG_SOURCE_DIR) + "/tests/storage/data/schema-v1.db",
                             path);
  {
    auto before_owned = RawReader(path);
    storage::sql::Database& before = *before_owned;
    ASSERT_EQ(Pragma(before, "user_version"), 1);
  }
  auto opened = storage::OpenForWriting({path});
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(Pragma(**opened, "user_version"), storage::kSchemaVersion);
  EXPECT_EQ(Names(**opened, "table"), kTables);
  auto user = storage::FindUserByToken(
      **opened, "navolg_d229c69474455f180537d4d39816e62cb54ef33e3a50bc6630edc791ce272564");
  ASSERT_TRUE(user.ok()) << user.status().message();
  EXPECT_EQ(user->name, "Anna Adviseur");
  EXPECT_EQ(user->role, "adviseur");
  // Users from before passwords keep signing in with their token, and have no password.
  auto password_hash = storage::PasswordHashOf(**opened, user->id);
  ASSERT_TRUE(password_hash.ok()) << password_hash.status().message();
  EXPECT_EQ(*password_hash, "");
  storage::sql::Statement webhook(**opened,
                                  "SELECT webhook_url FROM organisations WHERE slug = 'gem-oud'");
  ASSERT_TRUE(webhook.executeStep());
  EXPECT_TRUE(webhook.getColumn(0).isNull());
  // Schema 9: users from before e-mail addresses have none.
  auto organisation = storage::FindOrganisation(**opened, "gem-oud");
  ASSERT_TRUE(organisation.ok());
  auto scope = storage::OrganisationScope::Of(organisation->id);
  ASSERT_TRUE(scope.ok());
  auto listing = storage::GetUserListing(**opened, *scope, user->id, Time{});
  ASSERT_TRUE(listing.ok()) << listing.status().message();
  EXPECT_EQ(listing->email, "");
}

// Every row of `sql`, each row's columns joined by '|' (NULL as "-").
std::vector<std::string> Rows(const std::string& path, const std::string& sql) {
  auto db_owned = RawReader(path);
  storage::sql::Database& db = *db_owned;
  storage::sql::Statement query(db, sql);
  std::vector<std::string> rows;
  while (query.executeStep()) {
    std::string row;
    for (int i = 0; i < query.getColumnCount(); ++i) {
      row += (query.isColumnNull(i) ? "-" : query.getColumn(i).getString()) + "|";
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Schema 7 -> 8 fills the process list's next deadline and the adoption queue from what a
// version 7 database holds, exactly as the write path keeps them for new commands.
TEST_F(SchemaTest, VersionSevenDatabaseGetsItsListsFilledAsTheWritePathKeepsThem) {
  const std::string waits = CreateProcess("Wacht op vaststelling");
  ASSERT_TRUE(Submit(waits, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                     "2026-03-02T09:00:00.000Z")
                  .committed());
  const std::string runs = CreateProcess("Loopt");
  std::vector<WalkStep> steps = {
      {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
       "2026-03-02T09:00:00.000Z"},
      {AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"},
      {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), "2026-03-03T10:00:00.000Z"}};
  for (WalkStep& step : StandardWalkFromGesprek()) {
    steps.push_back(std::move(step));
    if (steps.size() == 7) break;  // in duiden: the terugkoppeling term runs
  }
  for (WalkStep& step : steps) {
    ASSERT_TRUE(Submit(runs, std::move(step.command), step.actor, step.at).committed());
  }
  const std::string kLists =
      "SELECT id, next_deadline, next_due, next_overdue_from FROM processes ORDER BY id";
  const std::string kQueue = "SELECT * FROM adoption_queue ORDER BY process_id, product, instance";
  CloseStore();
  const auto lists = Rows(path_, kLists);
  const auto queue = Rows(path_, kQueue);
  ASSERT_EQ(queue.size(), 1u) << "the kadernotitie of " << waits;
  ASSERT_EQ(lists.size(), 2u);
  ASSERT_EQ(std::count_if(lists.begin(), lists.end(),
                          [](const std::string& row) {
                            return row.find("|terugkoppeling|") != std::string::npos;
                          }),
            1)
      << "the running terugkoppeling of " << runs;
  {
    auto raw_owned = RawWriter(path_);
    storage::sql::Database& raw = *raw_owned;
    raw.exec(
        "DROP INDEX processes_by_assignee; DROP INDEX processes_by_next_deadline; "
        "DROP INDEX processes_by_title; DROP INDEX process_findings_by_statuses; "
        "ALTER TABLE processes DROP COLUMN next_deadline; "
        "ALTER TABLE processes DROP COLUMN next_due; "
        "ALTER TABLE processes DROP COLUMN next_overdue_from; DROP TABLE adoption_queue; "
        "ALTER TABLE users DROP COLUMN email; "  // schema 9
        "DROP TABLE check_statuses; DROP TABLE check_counts; DROP TABLE findings_processes; "
        "DROP TABLE improvement_points; DROP TABLE improvement_point_counts; "
        "PRAGMA user_version = 7");
  }
  StartStore();
  CloseStore();
  EXPECT_EQ(Rows(path_, kLists), lists);
  EXPECT_EQ(Rows(path_, kQueue), queue);
}

// Schema 9 -> 10 fills what the Borgingshuis counts from process_findings exactly as the write
// path keeps it: a database migrated from version 9 gives the same rows, and so the same
// Borgingshuis, as one that kept them from its first command.
TEST_F(SchemaTest, VersionNineDatabaseGetsItsBorgingshuisCountsAsTheWritePathKeepsThem) {
  nlohmann::json points = CompleteEvaluatie();
  points["verbeterpunten"].push_back({{"tekst", "Tab\there, regel\nen \\ schuine streep"},
                                      {"rol", "adviseur"},
                                      {"niveau", "gesprek"}});
  for (int i = 0; i < 6; ++i) {
    const std::string id = CreateProcess("Proces " + std::to_string(i));
    std::vector<WalkStep> steps = {{SaveProduct{"kadernotitie", 0, CompleteKadernotitie()},
                                    Adviseur(), "2026-03-02T09:00:00.000Z"}};
    if (i > 0) {
      steps.push_back({AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"});
    }
    if (i > 1) {
      steps.push_back({SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(),
                       "2026-03-03T10:00:00.000Z"});
    }
    if (i > 2) {
      for (WalkStep& step : StandardWalkFromGesprek()) steps.push_back(std::move(step));
      if (i == 3) steps.resize(steps.size() - 9);  // in duiden
      if (i == 5) {  // points in two cells, one text with a tab, a newline and a backslash
        steps.insert(steps.end() - 1,
                     {SaveProduct{"evaluatie", 0, points}, Manager(), "2026-05-01T10:00:00.000Z"});
      }
    }
    for (WalkStep& step : steps) {
      auto result = Submit(id, std::move(step.command), step.actor, step.at);
      ASSERT_TRUE(result.committed()) << i << ": " << result.status.message();
    }
  }
  ASSERT_TRUE(SubmitAs(org_b_, "p-b", navolg::CreateProcess{"p-b", "Elders"}, Adviseur(),
                       At("2026-03-01T09:00:00.000Z"))
                  .committed());

  const std::vector<std::string> kKept = {
      "SELECT * FROM check_statuses ORDER BY 1, 2, 3, 4, 5",
      "SELECT * FROM check_counts ORDER BY 1, 2, 3, 4",
      "SELECT * FROM findings_processes ORDER BY 1",
      "SELECT * FROM improvement_points ORDER BY 1, 2, 3, 4, 5",
      "SELECT * FROM improvement_point_counts ORDER BY 1, 2, 3"};
  auto borgingshuis = [&](std::int64_t organisation) {
    auto findings = reads_->OrganisationFindings(ScopeOf(organisation));
    EXPECT_TRUE(findings.ok()) << findings.status().message();
    std::vector<std::string> lines = {"processes " + std::to_string(findings->processes)};
    for (const auto& count : findings->statuses) {
      lines.push_back(count.workflow_key + " " + count.check_key + " " +
                      CheckStatusName(count.status) + " " + std::to_string(count.processes));
    }
    for (const auto& cell : findings->points) {
      lines.push_back(cell.cell.level + " " + cell.cell.role + " " + std::to_string(cell.total));
      for (const auto& point : cell.newest) {
        lines.push_back(point.process_title + ": " + point.text + " @" + std::to_string(point.seq));
      }
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  const auto house_a = borgingshuis(org_a_);
  const auto house_b = borgingshuis(org_b_);
  CloseStore();
  std::vector<std::vector<std::string>> kept;
  for (const std::string& sql : kKept) kept.push_back(Rows(path_, sql));
  ASSERT_EQ(kept[2], (std::vector<std::string>{"1|6|", "2|1|"}));
  ASSERT_EQ(kept[4],
            (std::vector<std::string>{"1|gesprek|adviseur|1|", "1|organisatie|manager|2|"}));
  ASSERT_EQ(std::count_if(house_a.begin(), house_a.end(),
                          [](const std::string& line) {
                            return line.rfind("Proces 5: Tab\there, regel\nen \\ schuine", 0) == 0;
                          }),
            1)
      << ::testing::PrintToString(house_a);
  {
    auto raw_owned = RawWriter(path_);
    storage::sql::Database& raw = *raw_owned;
    raw.exec(
        "DROP TABLE check_statuses; DROP TABLE check_counts; DROP TABLE findings_processes; "
        "DROP TABLE improvement_points; DROP TABLE improvement_point_counts; "
        "PRAGMA user_version = 9");
  }
  StartStore();
  EXPECT_EQ(borgingshuis(org_a_), house_a);
  EXPECT_EQ(borgingshuis(org_b_), house_b);
  CloseStore();
  for (std::size_t i = 0; i < kKept.size(); ++i)
    EXPECT_EQ(Rows(path_, kKept[i]), kept[i]) << kKept[i];
}

TEST_F(SchemaTest, DatabaseOfANewerNavolgIsRefusedUnchanged) {
  CloseStore();
  {
    auto raw_owned = RawWriter(path_);
    storage::sql::Database& raw = *raw_owned;
    raw.exec("PRAGMA user_version = 99");
  }
  ASSERT_NO_FATAL_FAILURE(ExpectRefusedUnchanged(path_, "nieuwere navolg (schemaversie 99"));
}

TEST_F(SchemaTest, DatabaseOfAnotherProgramIsRefusedUnchanged) {
  const std::string other = (dir_ / "recepten.db").string();
  {
    storage::sql::SqliteDatabase raw(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE recepten (naam TEXT)");
    raw.exec("INSERT INTO recepten VALUES ('stamppot')");
    ASSERT_EQ(Pragma(raw, "application_id"), 0);
    ASSERT_EQ(Pragma(raw, "user_version"), 0);
  }
  ASSERT_NO_FATAL_FAILURE(ExpectRefusedUnchanged(other, "van een ander programma"));
}

// Even without tables: the application id says whose file it is.
TEST_F(SchemaTest, EmptyDatabaseMarkedByAnotherProgramIsRefusedUnchanged) {
  const std::string other = (dir_ / "ander.db").string();
  {
    storage::sql::SqliteDatabase raw(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA application_id = 1234");
  }
  ASSERT_NO_FATAL_FAILURE(ExpectRefusedUnchanged(other, "van een ander programma"));
}

TEST_F(SchemaTest, AuditEventsCannotBeChangedOrDeletedThroughRawSql) {
  const std::string id = CreateProcess();
  ASSERT_TRUE(Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                     "2026-03-02T09:00:00.000Z", 1)
                  .committed());
  const std::string before = DumpDatabase(path_);

  auto raw_owned = RawWriter(path_);
  storage::sql::Database& raw = *raw_owned;
  raw.exec("PRAGMA busy_timeout = 10000");
  const std::vector<std::string> attempts = {
      "UPDATE events SET type = 'vervalst' WHERE seq = 2",
      "UPDATE events SET line = '{}'",
      "DELETE FROM events WHERE seq = 2",
      "DELETE FROM events",
      // An upsert that would overwrite is an update.
      "INSERT INTO events (process_id, seq, type, line) SELECT process_id, seq, 'x', 'y' "
      "FROM events WHERE true ON CONFLICT (process_id, seq) DO UPDATE SET line = excluded.line",
      // REPLACE deletes the old row without firing delete triggers (recursive_triggers is off).
      "INSERT OR REPLACE INTO events (process_id, seq, type, line) "
      "SELECT process_id, seq, type, 'vervalst' FROM events WHERE seq = 1",
      "REPLACE INTO events (process_id, seq, type, line) "
      "SELECT process_id, seq, type, 'vervalst' FROM events WHERE seq = 2",
  };
  for (const std::string& sql : attempts) {
    SCOPED_TRACE(sql);
    try {
      raw.exec(sql);
      ADD_FAILURE() << "the statement succeeded";
    } catch (const storage::sql::Exception& e) {
      EXPECT_STREQ(e.what(), "audit events are append-only");
    }
  }
  EXPECT_DATABASE_UNCHANGED(path_, before);

  // Appending stays possible: the next command is recorded.
  auto next =
      Submit(id, AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z", 2);
  EXPECT_TRUE(next.committed()) << next.status.message();
  EXPECT_EQ(CountRows(raw, "events"), 3);
}

}  // namespace
}  // namespace navolg
