// Many threads submitting through one group committer: optimistic concurrency loses no update
// on a shared process, independent processes are committed together in one transaction, and
// another connection writing in between (the command line) does not stop the writer.
#include <future>
#include <map>
#include <numeric>
#include <sstream>

#include "engine/audit_chain.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

constexpr int kThreads = 8;

void ExpectChainVerifies(storage::ReadStore& reads, std::int64_t organisation_id,
                         const std::string& id, std::int64_t events) {
  std::stringstream exported;
  ASSERT_TRUE(reads.ExportTrail(ScopeOf(organisation_id), id, exported).ok());
  VerifyReport report = VerifyExport(exported);
  EXPECT_TRUE(report.intact) << id << ": " << report.reason;
  EXPECT_EQ(report.events, events) << id;
}

class ConcurrencyTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    definition_ = LoadWorkflow("standaard-participatie");
  }
  Definition definition_;
};

// Each thread reads the version, saves a new kadernotitie version stating it, and retries
// on kAborted. Every acknowledged save must be in the trail exactly once, right after the
// version it stated: no update is lost or merged.
TEST_F(ConcurrencyTest, SaversOfOneProcessLoseNoUpdate) {
  constexpr int kSavesPerThread = 4;
  const std::string id = CreateProcess();

  struct Outcome {
    std::vector<Event> acked;
    int aborted = 0;
    std::vector<std::string> errors;
  };
  std::vector<std::future<Outcome>> futures;
  for (int t = 0; t < kThreads; ++t) {
    futures.push_back(std::async(std::launch::async, [this, t, &id] {
      Outcome outcome;
      for (int i = 0; i < kSavesPerThread;) {
        auto record = reads_->GetProcess(ScopeOf(org_a_), id);
        if (!record.ok()) {
          outcome.errors.push_back(record.status().message());
          return outcome;
        }
        const std::int64_t seen = record->summary.version;
        nlohmann::json content = CompleteKadernotitie();
        content["doel"] =
            "Versie van schrijver " + std::to_string(t) + ", nummer " + std::to_string(i);
        auto result = Submit(id, SaveProduct{"kadernotitie", 0, content}, Adviseur(),
                             "2026-03-02T09:00:00.000Z", seen);
        if (result.status.code() == Code::kAborted) {
          ++outcome.aborted;
          continue;
        }
        if (!result.committed() || result.events.size() != 1 || result.events[0].seq != seen + 1) {
          outcome.errors.push_back(result.status.message() + " / " +
                                   std::to_string(result.events.size()) + " events");
          return outcome;
        }
        outcome.acked.push_back(result.events[0]);
        ++i;
      }
      return outcome;
    }));
  }
  std::vector<Outcome> outcomes = AllWithin(futures, std::chrono::seconds(120));

  std::map<std::int64_t, Event> acked_by_seq;
  int aborted = 0;
  for (const Outcome& outcome : outcomes) {
    for (const std::string& error : outcome.errors) ADD_FAILURE() << error;
    aborted += outcome.aborted;
    for (const Event& event : outcome.acked) {
      EXPECT_TRUE(acked_by_seq.emplace(event.seq, event).second)
          << "two saves acknowledged with seq " << event.seq;
    }
  }
  constexpr std::int64_t kSaves = kThreads * kSavesPerThread;
  ASSERT_EQ(static_cast<std::int64_t>(acked_by_seq.size()), kSaves);

  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  std::vector<Event> stored;
  ASSERT_NO_FATAL_FAILURE(ReadStoredEvents(db, id, stored));
  ASSERT_EQ(static_cast<std::int64_t>(stored.size()), 1 + kSaves);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].seq, static_cast<std::int64_t>(i + 1));
    if (i == 0) continue;
    EXPECT_EQ(stored[i].type, "product.saved");
    EXPECT_EQ(stored[i].data["version"], static_cast<std::int64_t>(i));
    EXPECT_EQ(stored[i], acked_by_seq[stored[i].seq]) << "seq " << stored[i].seq;
  }
  EXPECT_EQ(CountRows(db, "product_versions"), kSaves);
  ASSERT_NO_FATAL_FAILURE(ExpectProjectionsMatchTrail(path_, definition_, org_a_, id));
  ASSERT_NO_FATAL_FAILURE(ExpectChainVerifies(*reads_, org_a_, id, 1 + kSaves));

  const storage::CommitterStats stats = committer_->stats();
  EXPECT_EQ(stats.commands, static_cast<std::uint64_t>(1 + kSaves));
  EXPECT_EQ(stats.refused, static_cast<std::uint64_t>(aborted));
  EXPECT_EQ(stats.failed, 0u);
}

// Each thread drives its own processes through five commands each. Every command is
// acknowledged and recorded; and with eight submitters and a writer that waits for the disk
// on every commit, commands pile up while it waits, so over 120 commands at least one
// transaction carries more than one. (Only a machine that schedules every submitter after
// the writer's every commit could fail this; 120 commands make that vanishingly unlikely.)
TEST_F(ConcurrencyTest, WritersOfDifferentProcessesAreCommittedTogether) {
  constexpr int kProcessesPerThread = 3;
  struct Outcome {
    std::map<std::string, std::vector<Event>> acked;
    std::vector<std::string> errors;
  };
  std::vector<std::future<Outcome>> futures;
  for (int t = 0; t < kThreads; ++t) {
    futures.push_back(std::async(std::launch::async, [this, t] {
      Outcome outcome;
      for (int p = 0; p < kProcessesPerThread; ++p) {
        const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
        const std::vector<std::pair<Command, Actor>> commands = {
            {navolg::CreateProcess{id, "Proces " + std::to_string(t) + "-" + std::to_string(p)},
             Adviseur()},
            {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur()},
            {AdoptProduct{"kadernotitie", 0, ""}, Bestuur()},
            {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager()},
            {TakeTransition{"naar_gesprek", std::nullopt}, Adviseur()},
        };
        std::vector<Event>& acked = outcome.acked[id];
        for (const auto& [command, actor] : commands) {
          std::optional<std::int64_t> expected;
          if (!acked.empty()) expected = acked.back().seq;
          auto result = Submit(id, command, actor, "2026-03-03T09:00:00.000Z", expected);
          if (!result.committed() || result.events.empty()) {
            outcome.errors.push_back(id + ": " + result.status.message() +
                                     (result.refusal ? result.refusal->detail : ""));
            break;
          }
          acked.insert(acked.end(), result.events.begin(), result.events.end());
        }
      }
      return outcome;
    }));
  }
  std::vector<Outcome> outcomes = AllWithin(futures, std::chrono::seconds(120));

  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  std::size_t processes = 0;
  for (const Outcome& outcome : outcomes) {
    for (const std::string& error : outcome.errors) ADD_FAILURE() << error;
    for (const auto& [id, acked] : outcome.acked) {
      SCOPED_TRACE(id);
      ++processes;
      std::vector<Event> stored;
      ASSERT_NO_FATAL_FAILURE(ReadStoredEvents(db, id, stored));
      EXPECT_EQ(stored, acked);
      EXPECT_EQ(stored.back().type, "transition.taken");
      ASSERT_NO_FATAL_FAILURE(ExpectProjectionsMatchTrail(path_, definition_, org_a_, id));
      ASSERT_NO_FATAL_FAILURE(
          ExpectChainVerifies(*reads_, org_a_, id, static_cast<std::int64_t>(acked.size())));
    }
  }
  EXPECT_EQ(processes, static_cast<std::size_t>(kThreads * kProcessesPerThread));
  EXPECT_EQ(CountRows(db, "processes"), kThreads * kProcessesPerThread);

  const storage::CommitterStats stats = committer_->stats();
  constexpr std::uint64_t kCommands = kThreads * kProcessesPerThread * 5;
  EXPECT_EQ(stats.commands, kCommands);
  EXPECT_EQ(stats.refused + stats.failed + stats.rejected_busy, 0u);
  const std::uint64_t batches = std::accumulate(
      std::begin(stats.batch_size_buckets), std::end(stats.batch_size_buckets), std::uint64_t{0});
  EXPECT_EQ(batches, stats.transactions);
  EXPECT_LT(stats.transactions, kCommands) << "every command had a transaction of its own";
  EXPECT_GE(batches - stats.batch_size_buckets[0], 1u) << "no batch held more than one command";
}

// A command that fails halfway through its writes (here: a trigger planted for the test makes
// the product_versions insert fail after the event was inserted) is rolled back to its
// savepoint: nothing of it remains, and the commands committed in the same transaction are
// not affected.
TEST_F(ConcurrencyTest, CommandFailingHalfwayLeavesNothingAndSparesItsBatch) {
  constexpr int kCommandsPerThread = 6;
  std::vector<std::string> ids;
  for (int t = 0; t < kThreads; ++t) ids.push_back(CreateProcess("Proces " + std::to_string(t)));
  {
    auto raw_owned = RawWriter(path_);
    storage::sql::Database& raw = *raw_owned;
    FailInserts(raw, "product_versions", "NEW.content LIKE '%MISLUKT%'", "test: mislukt");
  }
  struct Outcome {
    std::vector<Event> acked;
    int failed = 0;
    std::vector<std::string> errors;
  };
  std::vector<std::future<Outcome>> futures;
  for (int t = 0; t < kThreads; ++t) {
    futures.push_back(std::async(std::launch::async, [this, t, &ids] {
      Outcome outcome;
      for (int i = 0; i < kCommandsPerThread; ++i) {
        const bool fail = (i + t) % 2 == 0;
        nlohmann::json content = CompleteKadernotitie();
        content["doel"] = (fail ? "MISLUKT " : "Goed ") + std::to_string(i);
        auto result = Submit(ids[t], SaveProduct{"kadernotitie", 0, content}, Adviseur(),
                             "2026-03-02T09:00:00.000Z");
        if (fail && result.status.code() == Code::kInternal &&
            result.status.message() == "opdracht vastleggen: test: mislukt" &&
            result.events.empty()) {
          ++outcome.failed;
        } else if (!fail && result.committed() && result.events.size() == 1) {
          outcome.acked.push_back(result.events[0]);
        } else {
          outcome.errors.push_back((fail ? "should fail: " : "should succeed: ") +
                                   result.status.message() + " (code " +
                                   std::to_string(static_cast<int>(result.status.code())) + ", " +
                                   std::to_string(result.events.size()) + " events)");
        }
      }
      return outcome;
    }));
  }
  std::vector<Outcome> outcomes = AllWithin(futures, std::chrono::seconds(120));

  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  for (int t = 0; t < kThreads; ++t) {
    for (const std::string& error : outcomes[t].errors) ADD_FAILURE() << error;
    EXPECT_EQ(outcomes[t].failed, kCommandsPerThread / 2);
    std::vector<Event> stored;
    ASSERT_NO_FATAL_FAILURE(ReadStoredEvents(db, ids[t], stored));
    ASSERT_EQ(stored.size(), outcomes[t].acked.size() + 1);
    EXPECT_EQ(std::vector<Event>(stored.begin() + 1, stored.end()), outcomes[t].acked);
    ASSERT_NO_FATAL_FAILURE(ExpectProjectionsMatchTrail(path_, definition_, org_a_, ids[t]));
  }
  storage::sql::Statement leftovers(db, "SELECT count(*) FROM events WHERE line LIKE '%MISLUKT%'");
  leftovers.executeStep();
  EXPECT_EQ(leftovers.getColumn(0).getInt64(), 0);
  EXPECT_EQ(committer_->stats().failed,
            static_cast<std::uint64_t>(kThreads * kCommandsPerThread / 2));
}

// The command line adds organisations and users on a connection of its own while the server
// runs. The writer must not hold on to a read snapshot between commands: once another
// connection has committed, a stale snapshot can never be upgraded to a write, and every
// later transaction would fail as "bezet".
TEST_F(ConcurrencyTest, AnotherConnectionWritingBetweenCommandsDoesNotStopTheWriter) {
  const std::string id = CreateProcess();
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    {
      auto cli = storage::OpenConnection({path_});
      ASSERT_TRUE(cli.ok()) << cli.status().message();
      auto organisation = storage::AddOrganisation(**cli, "gemeente-x" + std::to_string(round),
                                                   "Gemeente X", At("2026-03-01T10:00:00.000Z"));
      ASSERT_TRUE(organisation.ok()) << organisation.status().message();
    }
    nlohmann::json content = CompleteKadernotitie();
    content["doel"] = "Ronde " + std::to_string(round);
    auto saved = Submit(id, SaveProduct{"kadernotitie", 0, content}, Adviseur(),
                        "2026-03-02T09:00:00.000Z", round + 1);
    ASSERT_TRUE(saved.committed()) << saved.status.message();
    EXPECT_EQ(saved.state->version, round + 2);
  }
  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  EXPECT_EQ(CountRows(db, "organisations"), 5);
  ASSERT_NO_FATAL_FAILURE(ExpectProjectionsMatchTrail(path_, definition_, org_a_, id));
}

}  // namespace
}  // namespace navolg
