// Commands decided ahead by a submitting thread (WritePath::DecideAhead) are written only if
// the process is still in the very state they were decided on; otherwise the writer decides
// them again, so the audit chain never forks.
#include <sstream>

#include "engine/audit_chain.h"
#include "storage/writer.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/writer_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;

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
  ASSERT_TRUE(reads.ExportTrail(ScopeOf(organisation_id), id, exported).ok());
  VerifyReport report = VerifyExport(exported);
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_EQ(report.events, events);
}

class DecideAheadTest : public StoreFixture {};

// A command decided ahead on version 1 arrives after another command made version 2: the
// writer must not write the stale decision (its event would chain onto version 1) but decide
// it again, so both saves are in the trail, in order, and the chain verifies.
TEST_F(DecideAheadTest, ADecisionMadeOnAStateThatHasSinceChangedIsDecidedAgain) {
  const std::string id = CreateProcess();
  auto late = SaveKadernotitie(org_a_, id, "Tweede", "2026-03-02T10:00:00.000Z");
  committer_->DecideAhead(late);
  ASSERT_TRUE(late.ahead.has_value()) << "the process is cached after its creation";
  ASSERT_EQ(late.ahead->before->version, 1);

  auto first =
      committer_->Submit(SaveKadernotitie(org_a_, id, "Eerste", "2026-03-02T09:00:00.000Z"));
  ASSERT_TRUE(first.committed()) << first.status.message();
  auto second = committer_->Submit(std::move(late));
  ASSERT_TRUE(second.committed()) << second.status.message();

  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(second.events[0].seq, 3);
  EXPECT_EQ(second.events[0].prev, first.events[0].hash);
  auto trail = reads_->GetTrail(ScopeOf(org_a_), id);
  ASSERT_TRUE(trail.ok());
  ASSERT_EQ(trail->events.size(), 3u);
  EXPECT_EQ(trail->events[1].data["content"]["onderwerp"], "Eerste");
  EXPECT_EQ(trail->events[2].data["content"]["onderwerp"], "Tweede");
  ExpectChainVerifies(*reads_, org_a_, id, 3);
}

// The subtle case: a command rolled back leaves a *different* version-2 state behind. A
// decision made on the rolled-back version 2 has the right version number but the wrong
// predecessor; only the identity of the cached state tells them apart.
TEST_F(DecideAheadTest, ADecisionOnARolledBackStateOfTheSameVersionIsNotWritten) {
  const std::string id = CreateProcess();
  committer_.reset();
  auto writer = storage::Writer::Open({path_});
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  storage::WritePath& write_path = (*writer)->write_path();

  auto transaction = storage::BatchTransaction::Begin(**writer);
  ASSERT_TRUE(transaction.ok());
  auto late = SaveKadernotitie(org_a_, id, "Later", "2026-03-02T11:00:00.000Z");
  {
    auto rolled_back = SaveKadernotitie(org_a_, id, "Teruggedraaid", "2026-03-02T09:00:00.000Z");
    auto savepoint = storage::CommandSavepoint::Open(*transaction, id);
    ASSERT_TRUE(savepoint.ok());
    ASSERT_TRUE(write_path.Apply(rolled_back).committed());
    // Decided on the version 2 that is about to be rolled back.
    late.ahead = write_path.DecideAhead(late);
    ASSERT_TRUE(late.ahead.has_value());
    ASSERT_EQ(late.ahead->before->version, 2);
  }  // not released

  auto kept = SaveKadernotitie(org_a_, id, "Bewaard", "2026-03-02T10:00:00.000Z");
  auto kept_result = ApplyInSavepoint(**writer, *transaction, kept);
  ASSERT_TRUE(kept_result.committed()) << kept_result.status.message();
  auto late_result = ApplyInSavepoint(**writer, *transaction, late);
  ASSERT_TRUE(late_result.committed()) << late_result.status.message();
  ASSERT_TRUE(transaction->Commit().ok());

  ASSERT_EQ(late_result.events.size(), 1u);
  EXPECT_EQ(late_result.events[0].seq, 3);
  EXPECT_EQ(late_result.events[0].prev, kept_result.events[0].hash);
  auto reads = storage::ReadStore::Open(path_, (*writer)->catalog());
  ASSERT_TRUE(reads.ok());
  ExpectChainVerifies(**reads, org_a_, id, 3);
}

}  // namespace
}  // namespace navolg
