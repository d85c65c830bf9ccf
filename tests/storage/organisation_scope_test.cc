// A request's organisation scope: it names one real organisation, and every read through it
// sees that organisation only.
#include "storage/organisation_scope.h"

#include <sstream>
#include <type_traits>

#include "storage/deadline_overview.h"
#include "storage/directory.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using storage::OrganisationScope;

// There is no scope, and no user, that nobody chose: no default, so no "0 = every organisation".
static_assert(!std::is_default_constructible_v<OrganisationScope>);
static_assert(!std::is_constructible_v<OrganisationScope, std::int64_t>);
static_assert(!std::is_default_constructible_v<storage::User>);

TEST(OrganisationScopeTest, NamesOnlyARealOrganisation) {
  for (std::int64_t id : {std::int64_t{0}, std::int64_t{-1}}) {
    auto scope = OrganisationScope::Of(id);
    EXPECT_FALSE(scope.ok()) << id;
    EXPECT_EQ(scope.status().code(), Code::kInvalidArgument) << id;
  }
  auto scope = OrganisationScope::Of(7);
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(scope->id(), 7);
}

class ScopedReadsTest : public StoreFixture {
 protected:
  // A standard process of organisation B, walked to duiden: it has events, products, findings
  // and an open deadline.
  std::string ProcessOfB() {
    const std::string id = storage::NewProcessId(At("2026-03-12T09:00:00.000Z")).value();
    const std::vector<std::pair<Command, Actor>> steps = {
        {navolg::CreateProcess{id, "Haven"}, Adviseur()},
        {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur()},
        {AdoptProduct{"kadernotitie", 0, ""}, Bestuur()},
        {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager()},
        {TakeTransition{"naar_gesprek", std::nullopt}, Adviseur()},
        {SaveProduct{"gespreksplan", 0, CompleteGespreksplan()}, Adviseur()},
        {SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag("2026-03-10")}, Adviseur()},
        {TakeTransition{"naar_duiden", std::nullopt}, Adviseur()},
    };
    for (const auto& [command, actor] : steps) {
      auto result = SubmitAs(org_b_, id, command, actor, At("2026-03-12T09:00:00.000Z"));
      EXPECT_TRUE(result.committed()) << result.status.message();
    }
    return id;
  }

  // What `scope` can read of process `id`, one entry per ReadStore read: whether it was found.
  struct Seen {
    bool process, trail, events, export_lines, listed, deadlines, findings, overview;
  };
  Seen SeenBy(const OrganisationScope& scope, const std::string& id) {
    Seen seen{};
    const Time now = At("2026-03-13T09:00:00.000Z");
    seen.process = NotFoundOrOk(reads_->GetProcess(scope, id).status());
    seen.trail = NotFoundOrOk(reads_->GetTrail(scope, id).status());
    seen.events = NotFoundOrOk(reads_->Trail(scope, id).status());
    std::ostringstream exported;
    seen.export_lines = NotFoundOrOk(reads_->ExportTrail(scope, id, exported));
    EXPECT_EQ(seen.export_lines, !exported.str().empty()) << "a refused export writes nothing";

    auto page = reads_->ListProcesses(scope, storage::ProcessListQuery{});
    EXPECT_TRUE(page.ok()) << page.status().message();
    for (const auto& listed : page->items) seen.listed |= listed.summary.id == id;
    auto deadlines = reads_->Deadlines(scope, storage::DeadlineFilter::kOpen, now, 14, 200);
    EXPECT_TRUE(deadlines.ok()) << deadlines.status().message();
    for (const auto& row : *deadlines) seen.deadlines |= row.process_id == id;
    auto findings = reads_->OrganisationFindings(scope);
    EXPECT_TRUE(findings.ok()) << findings.status().message();
    // Processes come counted, not named; B's is the only process.
    seen.findings = findings->processes > 0;
    for (const auto& count : findings->statuses) seen.findings |= count.processes > 0;
    storage::OverviewQuery query;
    query.filter = storage::DeadlineFilter::kOpen;
    query.now = now;
    auto overview = reads_->Overview(scope, query);
    EXPECT_TRUE(overview.ok()) << overview.status().message();
    for (const auto& row : overview->items) seen.overview |= row.process_id == id;
    return seen;
  }

  // True for ok, false for kNotFound; anything else fails the test.
  static bool NotFoundOrOk(const Status& status) {
    EXPECT_TRUE(status.ok() || status.code() == Code::kNotFound) << status.message();
    return status.ok();
  }
};

TEST_F(ScopedReadsTest, EveryReadInOneOrganisationMissesAnotherOrganisationsProcess) {
  const std::string id = ProcessOfB();

  const Seen by_b = SeenBy(ScopeOf(org_b_), id);
  EXPECT_TRUE(by_b.process && by_b.trail && by_b.events && by_b.export_lines && by_b.listed &&
              by_b.deadlines && by_b.findings && by_b.overview)
      << "organisation B must see its own process everywhere, or this test proves nothing";

  const Seen by_a = SeenBy(ScopeOf(org_a_), id);
  EXPECT_FALSE(by_a.process);
  EXPECT_FALSE(by_a.trail);
  EXPECT_FALSE(by_a.events);
  EXPECT_FALSE(by_a.export_lines);
  EXPECT_FALSE(by_a.listed);
  EXPECT_FALSE(by_a.deadlines);
  EXPECT_FALSE(by_a.findings);
  EXPECT_FALSE(by_a.overview);
}

TEST_F(ScopedReadsTest, OnlyTheOperatorsExportCrossesOrganisations) {
  const std::string id = ProcessOfB();
  std::ostringstream exported;
  ASSERT_TRUE(reads_->ExportTrailOfAnyOrganisation(id, exported).ok());
  EXPECT_NE(exported.str(), "");
  std::ostringstream nothing;
  EXPECT_EQ(reads_->ExportTrailOfAnyOrganisation("p-bestaat-niet", nothing).code(),
            Code::kNotFound);
  EXPECT_EQ(nothing.str(), "");
}

}  // namespace
}  // namespace navolg
