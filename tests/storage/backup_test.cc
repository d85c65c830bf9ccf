// storage/backup.h: a backup is one consistent snapshot, also while a writer keeps committing
// between its steps; it is a single file of mode 0600 that verifies; verifying never writes
// it; and damage in a copy is found and named.
#include "storage/backup.h"

#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "storage/sql/sqlite.h"
#include "tests/storage/process_walks.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/tamper.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class BackupTest : public StoreFixture {
 protected:
  std::string Out(const std::string& name = "kopie.db") const { return (dir_ / name).string(); }

  static std::int64_t VersionIn(const std::string& path, const std::string& id) {
    auto db_owned = RawReader(path);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement query(db, "SELECT version FROM processes WHERE id = ?");
    query.bind(1, id);
    return query.executeStep() ? query.getColumn(0).getInt64() : 0;
  }
};

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST_F(BackupTest, ACopyOfFinishedStoppedAndRunningProcessesVerifies) {
  const std::string finished = Walk("Marktplein", WalkEnd::kFinished);
  const std::string stopped = Walk("Speeltuin", WalkEnd::kStopped);
  const std::string running = Walk("Fietspad", WalkEnd::kRunning);
  ::umask(022);
  auto summary = storage::CreateBackup(path_, Out());
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->organisations, 2);
  EXPECT_EQ(summary->processes, 3);
  EXPECT_EQ(summary->events,
            VersionIn(path_, finished) + VersionIn(path_, stopped) + VersionIn(path_, running));
  EXPECT_GT(summary->bytes, 0);
  EXPECT_EQ(ModeOf(Out()), 0600u);
  // One self-contained file: not in WAL mode, nothing beside it.
  EXPECT_EQ(ReadBytes(Out()).substr(18, 2), std::string("\x01\x01", 2));
  EXPECT_FALSE(std::filesystem::exists(Out() + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(Out() + "-journal"));
  EXPECT_EQ(DumpDatabase(Out()), DumpDatabase(path_));

  const std::string before = ReadBytes(Out());
  auto check = storage::VerifyBackup(Out());
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->intact());
  EXPECT_EQ(check->integrity.processes.size(), 3u);
  EXPECT_EQ(check->integrity.fully_checked, 3);
  EXPECT_EQ(check->summary.events, summary->events);
  EXPECT_EQ(ReadBytes(Out()), before) << "verifying must not write the copy";
  EXPECT_FALSE(std::filesystem::exists(Out() + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(Out() + "-shm"));
}

// The writer commits a command after every step of the copy: the copy must still be the one
// snapshot taken when it began (with every command acknowledged before), and verify.
TEST_F(BackupTest, AWriterCommittingBetweenStepsNeitherRestartsNorTearsTheCopy) {
  for (int i = 0; i < 4; ++i) Walk("Vooraf", WalkEnd::kFinished);
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::string, std::int64_t> acknowledged;  // process -> version
  std::int64_t commits = 0;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    std::string id;
    for (int n = 0; !stop; ++n) {
      // Five commands per process: created, then four versions of its kadernotitie.
      Command command =
          NextLoadCommand(n, id, storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value());
      auto result = Submit(id, command, Adviseur(), "2026-03-02T09:00:00.000Z");
      ASSERT_TRUE(result.committed()) << result.status.message();
      std::lock_guard lock(mutex);
      acknowledged[id] = result.state->version;
      ++commits;
      changed.notify_all();
    }
  });
  auto wait_for_commits = [&](std::int64_t count) {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(60), [&] { return commits >= count; }));
  };
  wait_for_commits(10);
  std::map<std::string, std::int64_t> before_backup;
  std::int64_t commits_at_start = 0;
  {
    std::lock_guard lock(mutex);
    before_backup = acknowledged;
    commits_at_start = commits;
  }
  int steps = 0;
  int copied_before = 0;
  storage::BackupOptions options;
  options.pages_per_step = 2;
  options.progress = [&](int copied, int total) {
    EXPECT_LE(copied, total);
    ++steps;
    if (copied < copied_before) {
      ADD_FAILURE() << "the copy started over after a commit (" << copied_before << " -> " << copied
                    << " pages); it would never finish under a busy writer";
      stop = true;
    }
    copied_before = copied;
    if (stop) return;
    std::int64_t now = 0;
    {
      std::lock_guard lock(mutex);
      now = commits;
    }
    wait_for_commits(now + 1);
  };
  auto summary = storage::CreateBackup(path_, Out(), options);
  stop = true;
  writer.join();
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_GT(steps, 20) << "the copy should take many steps";
  std::int64_t commits_during = 0;
  {
    std::lock_guard lock(mutex);
    commits_during = commits - commits_at_start;
  }
  EXPECT_GE(commits_during, steps);

  for (const auto& [id, version] : before_backup) {
    EXPECT_GE(VersionIn(Out(), id), version) << id << " lost acknowledged commands";
  }
  auto check = storage::VerifyBackup(Out());
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->intact());
  for (const storage::ProcessVerdict& verdict : check->integrity.processes) {
    EXPECT_FALSE(verdict.damage) << verdict.process_id << ": " << *verdict.damage;
  }
  // One snapshot: fewer events than the database has now that the writer went on.
  EXPECT_LT(check->summary.events, storage::CreateBackup(path_, Out("later.db"))->events);
}

TEST_F(BackupTest, AnEditedCopyIsFoundAndNamed) {
  const std::string finished = Walk("Marktplein", WalkEnd::kFinished);
  const std::string running = Walk("Fietspad", WalkEnd::kRunning);
  ASSERT_TRUE(storage::CreateBackup(path_, Out()).ok());
  TamperWithDatabase(Out(),
                     "UPDATE events SET line = replace(line, 'Marktplein', 'Marktplijn') "
                     "WHERE process_id = '" +
                         finished + "' AND seq = 1");
  auto check = storage::VerifyBackup(Out());
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_FALSE(check->intact());
  EXPECT_EQ(check->integrity.damaged, 1);
  ASSERT_EQ(check->integrity.processes.size(), 2u);
  EXPECT_EQ(check->integrity.processes[0].process_id, finished);  // damaged ones first
  EXPECT_TRUE(check->integrity.processes[0].damage);
  EXPECT_FALSE(check->integrity.processes[1].damage);
}

TEST_F(BackupTest, AnExistingFileIsNeverOverwritten) {
  WriteFile(Out(), "iets anders\n");
  auto refused = storage::CreateBackup(path_, Out());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("bestaat al"), std::string::npos);
  EXPECT_EQ(ReadBytes(Out()), "iets anders\n");
}

TEST_F(BackupTest, WhatIsNoNavolgDatabaseIsRefusedAndLeavesNothing) {
  auto missing = storage::CreateBackup((dir_ / "geen.db").string(), Out());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  {
    storage::sql::SqliteDatabase other((dir_ / "ander.db").string(),
                                       SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("CREATE TABLE t (x)");
  }
  auto foreign = storage::CreateBackup((dir_ / "ander.db").string(), Out());
  EXPECT_EQ(foreign.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(foreign.status().message().find("geen navolg-database"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(Out()));

  EXPECT_EQ(storage::VerifyBackup(Out()).status().code(), Code::kNotFound);
  WriteFile(Out(), "boodschappen: brood, kaas\n");
  auto text = storage::VerifyBackup(Out());
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(ReadBytes(Out()), "boodschappen: brood, kaas\n");
}

}  // namespace
}  // namespace navolg
