// What the writer leaves to other threads, and what it must still guarantee:
//   - commands decided ahead by a submitting thread are written only if the process is still
//     in the state they were decided on (else decided again);
//   - under durability full no caller is answered before the WAL fsync that covers its
//     commit, and a failed fsync stops the committer with a clear error;
//   - checkpoints run beside the writer and keep the WAL from growing under steady load.
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <sstream>

#include "engine/audit_chain.h"
#include "storage/write_path.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using namespace std::chrono_literals;

storage::CommandRequest SaveKadernotitie(std::int64_t organisation_id, const std::string& id,
                                         const std::string& onderwerp, const char* at) {
  auto content = CompleteKadernotitie();
  content["onderwerp"] = onderwerp;
  storage::CommandRequest request;
  request.organisation_id = organisation_id;
  request.process_id = id;
  request.command = SaveProduct{"kadernotitie", 0, content};
  request.actor = Adviseur();
  request.at = At(at);
  return request;
}

void ExpectChainVerifies(storage::ReadStore& reads, std::int64_t organisation_id,
                         const std::string& id, std::int64_t events) {
  std::stringstream exported;
  ASSERT_TRUE(reads.ExportTrail(organisation_id, id, exported).ok());
  VerifyReport report = VerifyExport(exported);
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_EQ(report.events, events);
}

std::int64_t FileSize(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<std::int64_t>(info.st_size) : -1;
}

class OffloadTest : public StoreFixture {};

// A command decided ahead on version 1 arrives after another command made version 2: the
// writer must not write the stale decision (its event would chain onto version 1) but decide
// it again, so both saves are in the trail, in order, and the chain verifies.
TEST_F(OffloadTest, ADecisionMadeOnAStateThatHasSinceChangedIsDecidedAgain) {
  const std::string id = CreateProcess();
  auto late = SaveKadernotitie(org_a_, id, "Tweede", "2026-03-02T10:00:00.000Z");
  committer_->DecideAhead(late);
  ASSERT_TRUE(late.ahead.has_value()) << "the process is cached after its creation";
  ASSERT_EQ(late.ahead->before->version, 1);

  auto first = committer_->Submit(SaveKadernotitie(org_a_, id, "Eerste", "2026-03-02T09:00:00.000Z"));
  ASSERT_TRUE(first.committed()) << first.status.message();
  auto second = committer_->Submit(std::move(late));
  ASSERT_TRUE(second.committed()) << second.status.message();

  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(second.events[0].seq, 3);
  EXPECT_EQ(second.events[0].prev, first.events[0].hash);
  auto trail = reads_->GetTrail(org_a_, id);
  ASSERT_TRUE(trail.ok());
  ASSERT_EQ(trail->events.size(), 3u);
  EXPECT_EQ(trail->events[1].data["content"]["onderwerp"], "Eerste");
  EXPECT_EQ(trail->events[2].data["content"]["onderwerp"], "Tweede");
  ExpectChainVerifies(*reads_, org_a_, id, 3);
}

// The subtle case: a command rolled back leaves a *different* version-2 state behind. A
// decision made on the rolled-back version 2 has the right version number but the wrong
// predecessor; only the identity of the cached state tells them apart.
TEST_F(OffloadTest, ADecisionOnARolledBackStateOfTheSameVersionIsNotWritten) {
  const std::string id = CreateProcess();
  committer_.reset();
  auto db = storage::OpenForWriting({path_});
  ASSERT_TRUE(db.ok());
  auto catalog = storage::WorkflowCatalog::Load(**db);
  ASSERT_TRUE(catalog.ok());
  storage::WritePath writer(**db, *catalog);

  (*db)->exec("BEGIN IMMEDIATE");
  (*db)->exec("SAVEPOINT command");
  auto rolled_back = SaveKadernotitie(org_a_, id, "Teruggedraaid", "2026-03-02T09:00:00.000Z");
  ASSERT_TRUE(writer.Apply(rolled_back).committed());
  // Decided on the version 2 that is about to be rolled back.
  auto late = SaveKadernotitie(org_a_, id, "Later", "2026-03-02T11:00:00.000Z");
  late.ahead = writer.DecideAhead(late);
  ASSERT_TRUE(late.ahead.has_value());
  ASSERT_EQ(late.ahead->before->version, 2);
  (*db)->exec("ROLLBACK TO command");
  (*db)->exec("RELEASE command");
  writer.Forget(id);

  auto kept = SaveKadernotitie(org_a_, id, "Bewaard", "2026-03-02T10:00:00.000Z");
  auto kept_result = writer.Apply(kept);
  ASSERT_TRUE(kept_result.committed());
  auto late_result = writer.Apply(late);
  ASSERT_TRUE(late_result.committed()) << late_result.status.message();
  (*db)->exec("COMMIT");

  ASSERT_EQ(late_result.events.size(), 1u);
  EXPECT_EQ(late_result.events[0].seq, 3);
  EXPECT_EQ(late_result.events[0].prev, kept_result.events[0].hash);
  auto reads = storage::ReadStore::Open(path_, *catalog);
  ASSERT_TRUE(reads.ok());
  ExpectChainVerifies(**reads, org_a_, id, 3);
}

// Under durability full, a commit other connections can already read is not answered until
// the WAL fsync after it has returned.
TEST_F(OffloadTest, NoCallerIsAnsweredBeforeTheFsyncThatCoversItsCommit) {
  std::mutex mutex;
  std::condition_variable changed;
  bool hold = false;  // fsyncs pass until the command under test
  int syncs_waiting = 0;
  storage::CommitterOptions options;
  options.before_wal_sync = [&] {
    std::unique_lock lock(mutex);
    ++syncs_waiting;
    changed.notify_all();
    changed.wait(lock, [&] { return !hold; });
    return Status();
  };
  ASSERT_NO_FATAL_FAILURE(StartStoreWith({"", storage::Durability::kFull}, options));
  const std::string process = CreateProcess();
  {
    std::lock_guard lock(mutex);
    hold = true;
    syncs_waiting = 0;
  }
  auto answer = std::async(std::launch::async, [&] {
    return committer_->Submit(SaveKadernotitie(org_a_, process, "Wacht op de schijf",
                                               "2026-03-02T09:00:00.000Z"));
  });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return syncs_waiting > 0; }));
  }
  // Committed: another connection reads version 2. Not yet on disk: no answer.
  auto record = reads_->GetProcess(org_a_, process);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->summary.version, 2);
  EXPECT_EQ(answer.wait_for(300ms), std::future_status::timeout);
  const auto syncs_before = committer_->stats().wal_syncs;
  {
    std::lock_guard lock(mutex);
    hold = false;
  }
  changed.notify_all();
  ASSERT_EQ(answer.wait_for(10s), std::future_status::ready);
  auto result = answer.get();
  EXPECT_TRUE(result.committed()) << result.status.message();
  EXPECT_GT(committer_->stats().wal_syncs, syncs_before);
}

// While an fsync runs, the callers of a new batch could not be answered sooner anyway: the
// writer keeps its transaction open and takes in whatever arrives, so one commit and one fsync
// serve them all.
TEST_F(OffloadTest, CommandsArrivingDuringAnFsyncShareOneTransaction) {
  std::mutex mutex;
  std::condition_variable changed;
  bool hold = false;
  int syncs_waiting = 0;
  storage::CommitterOptions options;
  options.before_wal_sync = [&] {
    std::unique_lock lock(mutex);
    ++syncs_waiting;
    changed.notify_all();
    changed.wait(lock, [&] { return !hold; });
    return Status();
  };
  ASSERT_NO_FATAL_FAILURE(StartStoreWith({"", storage::Durability::kFull}, options));
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(CreateProcess("Proces " + std::to_string(i)));
  {
    std::lock_guard lock(mutex);
    hold = true;
    syncs_waiting = 0;
  }
  const auto before = committer_->stats();
  auto first = committer_->SubmitAsync(
      SaveKadernotitie(org_a_, ids[0], "Eerst", "2026-03-02T09:00:00.000Z"));
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return syncs_waiting > 0; }));
  }
  std::vector<std::future<storage::CommandResult>> during;
  for (int i = 1; i < 6; ++i) {
    during.push_back(committer_->SubmitAsync(
        SaveKadernotitie(org_a_, ids[i], "Tijdens", "2026-03-02T09:00:01.000Z")));
  }
  {
    std::lock_guard lock(mutex);
    hold = false;
  }
  changed.notify_all();
  EXPECT_TRUE(first.get().committed());
  for (auto& result : AllWithin(during, std::chrono::seconds(10))) {
    EXPECT_TRUE(result.committed()) << result.status.message();
  }
  EXPECT_EQ(committer_->stats().transactions - before.transactions, 2u)
      << "the first command, then the five that arrived during its fsync";
}

// When the disk does not confirm an fsync, the commands it covered are written but not known
// to be safe: they get an error that says so, and every later command is refused with it
// instead of being acknowledged on a disk that lost writes before.
TEST_F(OffloadTest, AFailedFsyncIsReportedAndStopsFurtherCommands) {
  std::atomic<bool> fail{false};
  storage::CommitterOptions options;
  options.before_wal_sync = [&] {
    return fail ? Status(Code::kUnavailable, "invoer/uitvoerfout (proef)") : Status();
  };
  ASSERT_NO_FATAL_FAILURE(StartStoreWith({"", storage::Durability::kFull}, options));
  const std::string id = CreateProcess();
  fail = true;
  auto unconfirmed = committer_->Submit(SaveKadernotitie(org_a_, id, "Onbevestigd",
                                                         "2026-03-02T09:00:00.000Z"));
  EXPECT_FALSE(unconfirmed.committed());
  EXPECT_EQ(unconfirmed.status.code(), Code::kInternal);
  EXPECT_NE(unconfirmed.status.message().find("Niet bevestigd"), std::string::npos)
      << unconfirmed.status.message();
  EXPECT_NE(unconfirmed.status.message().find("invoer/uitvoerfout (proef)"), std::string::npos);

  fail = false;  // a later fsync that succeeds proves nothing about the lost one
  auto refused = committer_->Submit(SaveKadernotitie(org_a_, id, "Daarna",
                                                     "2026-03-02T10:00:00.000Z"));
  EXPECT_FALSE(refused.committed());
  EXPECT_NE(refused.status.message().find("neemt geen opdrachten meer aan"), std::string::npos)
      << refused.status.message();
  auto record = reads_->GetProcess(org_a_, id);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->summary.version, 2) << "the refused command wrote nothing";
}

// Steady load with no pause: the checkpointer and the writer together keep the WAL near
// SQLite's threshold of 1,000 pages instead of letting it grow with every command.
TEST_F(OffloadTest, TheWalStaysBoundedUnderSteadyLoad) {
  ASSERT_NO_FATAL_FAILURE(StartStoreWith({"", storage::Durability::kNormal}, {}));
  constexpr int kThreads = 4;
  constexpr int kSaves = 400;  // each a ~1 kB kadernotitie version: ~5 MB of pages in all
  std::vector<std::string> ids;
  for (int t = 0; t < kThreads; ++t) ids.push_back(CreateProcess("Proces " + std::to_string(t)));
  std::atomic<std::int64_t> largest_wal{0};
  std::vector<std::future<int>> futures;
  for (int t = 0; t < kThreads; ++t) {
    futures.push_back(std::async(std::launch::async, [&, t] {
      int committed = 0;
      for (int i = 0; i < kSaves; ++i) {
        auto result = committer_->Submit(SaveKadernotitie(
            org_a_, ids[t], "Versie " + std::to_string(i) + std::string(600, 'x'),
            "2026-03-02T09:00:00.000Z"));
        committed += result.committed() ? 1 : 0;
        const auto wal = FileSize(path_ + "-wal");
        std::int64_t seen = largest_wal.load();
        while (wal > seen && !largest_wal.compare_exchange_weak(seen, wal)) {
        }
      }
      return committed;
    }));
  }
  for (auto& committed : AllWithin(futures, std::chrono::seconds(120))) EXPECT_EQ(committed, kSaves);
  // 1,000 pages of 4 KiB is 4 MB; the log may overshoot while a checkpoint runs.
  EXPECT_LT(largest_wal.load(), 12 * 1024 * 1024) << "the WAL grew with the load";
  EXPECT_GT(FileSize(path_), 4 * 1024 * 1024) << "pages reached the database file";
  for (const auto& id : ids) ExpectChainVerifies(*reads_, org_a_, id, kSaves + 1);
}

}  // namespace
}  // namespace navolg
