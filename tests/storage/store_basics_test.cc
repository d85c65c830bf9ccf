#include <sstream>

#include "engine/audit_chain.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class StoreBasicsTest : public StoreFixture {};

TEST_F(StoreBasicsTest, CommandsAreStoredAndReadBack) {
  std::string id = CreateProcess();
  auto saved = Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                      "2026-03-02T09:00:00.000Z", 1);
  ASSERT_TRUE(saved.committed()) << saved.status.message();
  ASSERT_EQ(saved.events.size(), 1u);
  EXPECT_EQ(saved.state->version, 2);

  auto record = reads_->GetProcess(ScopeOf(org_a_), id);
  ASSERT_TRUE(record.ok()) << record.status().message();
  EXPECT_EQ(record->summary.version, 2);
  EXPECT_EQ(record->state.state, "kaders");
  EXPECT_EQ(record->state.Instances("kadernotitie").size(), 1u);
  EXPECT_EQ(record->state.head_hash, saved.state->head_hash);

  // Another organisation does not see it.
  EXPECT_EQ(reads_->GetProcess(ScopeOf(org_b_), id).status().code(), Code::kNotFound);

  std::stringstream export_text;
  ASSERT_TRUE(reads_->ExportTrail(ScopeOf(org_a_), id, export_text).ok());
  VerifyReport report = VerifyExport(export_text);
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_EQ(report.events, 2);
}

TEST_F(StoreBasicsTest, StaleVersionIsRefusedAndChangesNothing) {
  std::string id = CreateProcess();
  ASSERT_TRUE(Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                     "2026-03-02T09:00:00.000Z", 1)
                  .committed());
  auto stale = Submit(id, SaveProduct{"kadernotitie", 0, {{"onderwerp", "Anders"}}}, Adviseur(),
                      "2026-03-02T10:00:00.000Z", 1);
  EXPECT_EQ(stale.status.code(), Code::kAborted);
  auto record = reads_->GetProcess(ScopeOf(org_a_), id);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->summary.version, 2);
  EXPECT_EQ(record->state.Instances("kadernotitie")[0].current.content["onderwerp"],
            "Herinrichting Marktplein");
}

}  // namespace
}  // namespace navolg
