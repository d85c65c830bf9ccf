// navolg backup and navolg backup verify, run as an operator would: on a database with
// finished, stopped and running processes, while commands keep being committed, on a copy
// edited behind navolg's back, and with a file that already exists.
#include <sys/stat.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "storage/directory.h"
#include "storage/group_committer.h"
#include "storage/sql/sqlite.h"
#include "tests/cli/cli_runner.h"
#include "tests/storage/process_walks.h"
#include "tests/storage/tamper.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class BackupCliTest : public CliTest {
 protected:
  std::string Db() const { return File("navolg.db").string(); }
  std::string Copy() const { return File("kopie.db").string(); }

  // Organisation utrecht with the standard workflow, and a committer on it as navolg serve has.
  void OpenStore() {
    ASSERT_EQ(Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"}).exit_code, 0);
    auto db = storage::OpenConnection({Db()});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(storage::RegisterWorkflow(**db, LoadWorkflow("standaard-participatie"),
                                          At("2026-01-01T00:00:00.000Z"))
                    .ok());
    auto committer = storage::GroupCommitter::Start({Db()}, {});
    ASSERT_TRUE(committer.ok()) << committer.status().message();
    committer_ = std::move(*committer);
  }

  storage::CommandResult Submit(const std::string& id, Command command, Actor actor, Time at) {
    storage::CommandRequest request;
    request.organisation_id = 1;
    request.process_id = id;
    request.workflow_key = "standaard-participatie";
    request.command = std::move(command);
    request.actor = std::move(actor);
    request.at = at;
    return committer_->Submit(std::move(request));
  }

  std::string Walk(const char* title, WalkEnd end) {
    const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
    for (const WalkStep& step : WalkOfProcess(id, title, end)) {
      EXPECT_TRUE(Submit(id, step.command, step.actor, At(step.at)).committed()) << step.at;
    }
    return id;
  }

  static std::int64_t VersionIn(const std::string& path, const std::string& id) {
    storage::sql::SqliteDatabase db(path, SQLite::OPEN_READONLY);
    storage::sql::Statement query(db, "SELECT version FROM processes WHERE id = ?");
    query.bind(1, id);
    return query.executeStep() ? query.getColumn(0).getInt64() : 0;
  }

  std::unique_ptr<storage::GroupCommitter> committer_;
};

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST_F(BackupCliTest, ABackupOfFinishedStoppedAndRunningProcessesVerifies) {
  ASSERT_NO_FATAL_FAILURE(OpenStore());
  const std::string finished = Walk("Marktplein", WalkEnd::kFinished);
  const std::string stopped = Walk("Speeltuin", WalkEnd::kStopped);
  const std::string running = Walk("Fietspad", WalkEnd::kRunning);
  committer_.reset();

  ::umask(022);  // the usual umask, which would give 0644 (the child inherits it)
  RunResult backup = Navolg({"backup", "--db", Db(), "--out", Copy()});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_TRUE(Contains(backup.out, "Reservekopie gemaakt: " + Copy())) << backup.out;
  EXPECT_TRUE(Contains(backup.out, "processen       3")) << backup.out;
  const std::int64_t events =
      VersionIn(Db(), finished) + VersionIn(Db(), stopped) + VersionIn(Db(), running);
  EXPECT_TRUE(Contains(backup.out, "gebeurtenissen  " + std::to_string(events))) << backup.out;
  EXPECT_TRUE(Contains(backup.out, " bytes)")) << backup.out;
  EXPECT_EQ(ModeOf(Copy()), 0600u);

  RunResult verify = Navolg({"backup", "verify", Copy()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  for (const std::string& id : {finished, stopped, running}) {
    EXPECT_TRUE(Contains(verify.out, "in orde     " + id)) << verify.out;
  }
  EXPECT_TRUE(Contains(verify.out, "3 processen gecontroleerd, 0 beschadigd")) << verify.out;
  EXPECT_TRUE(Contains(verify.out, "Oordeel: in orde")) << verify.out;
}

// A writer keeps committing (through the write path, as navolg serve does) while the real
// binary makes the copy: the copy holds every command acknowledged before it began, and
// verifies.
TEST_F(BackupCliTest, ABackupWhileCommandsAreCommittedHoldsEveryAcknowledgedOne) {
  ASSERT_NO_FATAL_FAILURE(OpenStore());
  Walk("Vooraf", WalkEnd::kFinished);
  std::mutex mutex;
  std::map<std::string, std::int64_t> acknowledged;  // process -> version
  std::int64_t commits = 0;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    std::string id;
    for (int n = 0; !stop; ++n) {
      Command command =
          NextLoadCommand(n, id, storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value());
      auto result = Submit(id, command, Adviseur(), At("2026-03-02T09:00:00.000Z"));
      if (!result.committed()) {
        ADD_FAILURE() << result.status.message();
        return;
      }
      std::lock_guard lock(mutex);
      acknowledged[id] = result.state->version;
      ++commits;
    }
  });
  auto commits_so_far = [&] {
    std::lock_guard lock(mutex);
    return commits;
  };
  while (commits_so_far() < 10) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::map<std::string, std::int64_t> before_backup;
  {
    std::lock_guard lock(mutex);
    before_backup = acknowledged;
  }
  const std::int64_t commits_before = commits_so_far();
  RunResult backup = Navolg({"backup", "--db", Db(), "--out", Copy()});
  const std::int64_t commits_after = commits_so_far();
  stop = true;
  writer.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_GT(commits_after, commits_before) << "the writer should have committed meanwhile";

  for (const auto& [id, version] : before_backup) {
    EXPECT_GE(VersionIn(Copy(), id), version) << id << " lost acknowledged commands";
  }
  RunResult verify = Navolg({"backup", "verify", Copy()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_TRUE(Contains(verify.out, "Oordeel: in orde")) << verify.out;
}

TEST_F(BackupCliTest, AnEditedCopyFailsVerifyAndNamesTheProcess) {
  ASSERT_NO_FATAL_FAILURE(OpenStore());
  const std::string finished = Walk("Marktplein", WalkEnd::kFinished);
  const std::string running = Walk("Fietspad", WalkEnd::kRunning);
  committer_.reset();
  ASSERT_EQ(Navolg({"backup", "--db", Db(), "--out", Copy()}).exit_code, 0);
  TamperWithDatabase(Copy(),
                     "UPDATE events SET line = replace(line, 'Fietspad', 'Autoweg') "
                     "WHERE process_id = '" +
                         running + "' AND seq = 1");

  RunResult verify = Navolg({"backup", "verify", Copy()});
  EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
  const std::vector<std::string> lines = Lines(verify.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].rfind("BESCHADIGD " + running, 0), 0u) << verify.out;  // damaged first
  EXPECT_TRUE(Contains(verify.out, "in orde     " + finished)) << verify.out;
  EXPECT_TRUE(Contains(verify.out, "NIET in orde")) << verify.out;
  // The original is untouched and still verifies.
  EXPECT_EQ(Navolg({"audit", "check", "--db", Db()}).exit_code, 0);
}

TEST_F(BackupCliTest, AnExistingFileIsRefusedAndLeftAsItWas) {
  ASSERT_NO_FATAL_FAILURE(OpenStore());
  committer_.reset();
  WriteAll(Copy(), "de reservekopie van gisteren\n");
  RunResult backup = Navolg({"backup", "--db", Db(), "--out", Copy()});
  EXPECT_EQ(backup.exit_code, 1);
  EXPECT_TRUE(Contains(backup.err, "'" + Copy() + "' bestaat al; navolg overschrijft geen bestand"))
      << backup.err;
  EXPECT_EQ(ReadAll(Copy()), "de reservekopie van gisteren\n");

  RunResult missing =
      Navolg({"backup", "--db", File("geen.db").string(), "--out", File("x.db").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Contains(missing.err, "bestaat niet")) << missing.err;
  EXPECT_FALSE(fs::exists(File("x.db")));
  EXPECT_FALSE(fs::exists(File("geen.db")));

  EXPECT_EQ(Navolg({"backup", "--db", Db()}).exit_code, 2);  // no --out
  EXPECT_EQ(Navolg({"backup", "verify"}).exit_code, 2);
  RunResult no_copy = Navolg({"backup", "verify", File("nergens.db").string()});
  EXPECT_EQ(no_copy.exit_code, 1);
  EXPECT_TRUE(Contains(no_copy.err, "bestaat niet")) << no_copy.err;
  RunResult help = Navolg({"backup", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(Contains(help.out, "navolg backup verify BESTAND")) << help.out;
}

}  // namespace
}  // namespace navolg
