// The writer's rollback scopes (storage/writer.h) and its cache: whatever a savepoint
// or a batch rolls back, the writer cache forgets, so the next command on that process reads
// it from the database and its event chains onto what is really stored.
#include <sstream>

#include "engine/audit_chain.h"
#include "storage/writer_cache.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/writer_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class WriterScopesTest : public StoreFixture {
 protected:
  // The committer closed, and the writer's SQLite side opened on the same file instead.
  void OpenWriter() {
    committer_.reset();
    auto writer = storage::Writer::Open({path_});
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    writer_ = std::move(*writer);
  }

  storage::CommandRequest Save(const std::string& id, const std::string& onderwerp,
                               const char* at) {
    auto content = CompleteKadernotitie();
    content["onderwerp"] = onderwerp;
    storage::CommandRequest request;
    request.organisation_id = org_a_;
    request.process_id = id;
    request.command = SaveProduct{"kadernotitie", 0, content};
    request.actor = Adviseur();
    request.at = At(at);
    return request;
  }

  std::int64_t StoredEvents(const std::string& id) {
    storage::sql::Statement count(writer_->db(),
                                  "SELECT count(*) FROM events WHERE process_id = ?");
    count.bind(1, id);
    count.executeStep();
    return count.getColumn(0).getInt64();
  }

  void ExpectChainVerifies(const std::string& id, std::int64_t events) {
    auto reads = storage::ReadStore::Open(path_, writer_->catalog());
    ASSERT_TRUE(reads.ok());
    std::stringstream exported;
    ASSERT_TRUE((*reads)->ExportTrail(ScopeOf(org_a_), id, exported).ok());
    VerifyReport report = VerifyExport(exported);
    EXPECT_TRUE(report.intact) << report.reason;
    EXPECT_EQ(report.events, events);
  }

  std::unique_ptr<storage::Writer> writer_;
};

TEST_F(WriterScopesTest, ASavepointNotReleasedRollsBackAndTheCacheForgetsTheProcess) {
  const std::string id = CreateProcess();
  OpenWriter();
  auto transaction = storage::BatchTransaction::Begin(*writer_);
  ASSERT_TRUE(transaction.ok());
  auto first = Save(id, "Eerste", "2026-03-02T09:00:00.000Z");
  ASSERT_TRUE(ApplyInSavepoint(*writer_, *transaction, first).committed());
  {
    auto rolled_back = Save(id, "Teruggedraaid", "2026-03-02T10:00:00.000Z");
    auto savepoint = storage::CommandSavepoint::Open(*transaction, id);
    ASSERT_TRUE(savepoint.ok());
    ASSERT_TRUE(writer_->write_path().Apply(rolled_back).committed());
    ASSERT_EQ(writer_->cache().State(id)->version, 3);
  }  // not released

  EXPECT_EQ(writer_->cache().State(id), nullptr) << "a rolled-back state must not stay cached";
  EXPECT_EQ(StoredEvents(id), 2) << "the rolled-back event is gone, the released one kept";

  auto next = Save(id, "Daarna", "2026-03-02T11:00:00.000Z");
  auto result = ApplyInSavepoint(*writer_, *transaction, next);
  ASSERT_TRUE(result.committed()) << result.status.message();
  ASSERT_TRUE(transaction->Commit().ok());
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events[0].seq, 3) << "read again from the database: version 2";
  ASSERT_NE(writer_->cache().State(id), nullptr);
  EXPECT_EQ(writer_->cache().State(id)->version, 3);
  ExpectChainVerifies(id, 3);
}

TEST_F(WriterScopesTest, ABatchNotCommittedRollsBackAndTheCacheForgetsEveryProcess) {
  const std::string one = CreateProcess("Een");
  const std::string two = CreateProcess("Twee");
  OpenWriter();
  {
    auto transaction = storage::BatchTransaction::Begin(*writer_);
    ASSERT_TRUE(transaction.ok());
    for (const std::string& id : {one, two}) {
      auto save = Save(id, "Niet vastgelegd", "2026-03-02T09:00:00.000Z");
      ASSERT_TRUE(ApplyInSavepoint(*writer_, *transaction, save).committed());
      ASSERT_NE(writer_->cache().State(id), nullptr);
    }
  }  // not committed

  EXPECT_EQ(writer_->cache().size(), 0u);
  EXPECT_EQ(StoredEvents(one), 1);
  EXPECT_EQ(StoredEvents(two), 1);

  auto transaction = storage::BatchTransaction::Begin(*writer_);
  ASSERT_TRUE(transaction.ok());
  auto save = Save(one, "Vastgelegd", "2026-03-02T10:00:00.000Z");
  auto result = ApplyInSavepoint(*writer_, *transaction, save);
  ASSERT_TRUE(result.committed()) << result.status.message();
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(result.events[0].seq, 2);
  ExpectChainVerifies(one, 2);
}

TEST(WriterCacheTest, ForgettingAProcessDropsItsStateAndItsFindings) {
  storage::WriterCache cache;
  auto state = std::make_shared<ProcessState>();
  state->id = "p-1";
  cache.PutState(state);
  cache.PutFindings("p-1", "statuses\npoints");
  EXPECT_EQ(cache.State("p-1"), state);
  EXPECT_EQ(cache.Findings("p-1"), "statuses\npoints");
  EXPECT_EQ(cache.Findings("p-2"), std::nullopt);

  cache.Forget("p-1");
  EXPECT_EQ(cache.State("p-1"), nullptr);
  EXPECT_EQ(cache.Findings("p-1"), std::nullopt);
}

TEST(WriterCacheTest, PastItsBoundTheCacheStartsOver) {
  storage::WriterCache cache;
  for (std::size_t i = 0; i < storage::WriterCache::kMaxProcesses; ++i) {
    cache.PutFindings("p-" + std::to_string(i), "row");
  }
  EXPECT_EQ(cache.size(), storage::WriterCache::kMaxProcesses);
  cache.PutFindings("p-0", "again");  // a process it has: no room needed
  EXPECT_EQ(cache.size(), storage::WriterCache::kMaxProcesses);
  auto state = std::make_shared<ProcessState>();
  state->id = "p-new";
  cache.PutState(state);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.State("p-new"), state);
}

}  // namespace
}  // namespace navolg
