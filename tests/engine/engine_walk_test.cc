// Walks the standard process from kaders to afgerond, and one to gestopt, the way an
// advisor, a manager and bestuur would, checking the trail and the state at each step.
#include <gtest/gtest.h>

#include "engine/audit_chain.h"
#include "engine/deadlines.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

class Walk {
 public:
  explicit Walk(const Definition& d) : d_(d) {}

  void Do(const Command& command, const Actor& actor, Time now) {
    Accepted accepted = ExpectAccepted(Execute(d_, state_, command, actor, now));
    for (Event& e : accepted.events) trail_.push_back(e);
    if (!accepted.events.empty()) state_ = std::move(accepted.state);
  }
  std::vector<std::string> TypesSince(std::size_t from) const {
    std::vector<std::string> types;
    for (std::size_t i = from; i < trail_.size(); ++i) types.push_back(trail_[i].type);
    return types;
  }

  const Definition& d_;
  ProcessState state_;
  std::vector<Event> trail_;
};

TEST(EngineWalkTest, StandardProcessFromKadersToAfgerond) {
  Definition d = LoadWorkflow("standaard-participatie");
  Walk w(d);
  w.Do(CreateProcess{"p-1", "Marktplein"}, Adviseur(), At("2026-03-01T09:00:00.000Z"));
  EXPECT_EQ(w.state_.state, "kaders");
  w.Do(SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
       At("2026-03-02T09:00:00.000Z"));
  w.Do(AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), At("2026-03-03T09:00:00.000Z"));
  w.Do(SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(),
       At("2026-03-03T10:00:00.000Z"));
  w.Do(TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), At("2026-03-04T09:00:00.000Z"));
  w.Do(SaveProduct{"gespreksplan", 0, CompleteGespreksplan()}, Adviseur(),
       At("2026-03-05T09:00:00.000Z"));
  w.Do(SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag("2026-03-10")}, Adviseur(),
       At("2026-03-11T09:00:00.000Z"));
  // Ids were assigned to the inbreng.
  const json& inbreng = w.state_.products["gespreksverslag"][0].current.content["inbreng"];
  EXPECT_EQ(inbreng[0]["id"], "inbreng-1");
  EXPECT_EQ(inbreng[1]["id"], "inbreng-2");
  std::size_t before = w.trail_.size();
  w.Do(TakeTransition{"naar_duiden", std::nullopt}, Adviseur(), At("2026-03-12T09:00:00.000Z"));
  EXPECT_EQ(w.TypesSince(before),
            (std::vector<std::string>{"transition.taken", "deadline.started"}));
  EXPECT_EQ(w.trail_.back().data["due"], "2026-04-09");  // 2026-03-10 + 30 days

  w.Do(SaveProduct{"opbrengstendocument",
                   0,
                   {{"samenvatting", "Twee punten"},
                    {"reacties",
                     {{{"inbreng", "inbreng-1"}, {"besluit", "overgenomen"}},
                      {{"inbreng", "inbreng-2"},
                       {"besluit", "niet_overgenomen"},
                       {"motivatie", "Parkeerbehoefte blijft"}}}},
                    {"advies", "Meer groen"}}},
       Adviseur(), At("2026-03-20T09:00:00.000Z"));
  w.Do(TakeTransition{"naar_terugkoppeling", std::nullopt}, Adviseur(),
       At("2026-03-21T09:00:00.000Z"));
  w.Do(SaveProduct{"terugkoppelingsbericht",
                   0,
                   {{"verzonden_op", "2026-03-25"},
                    {"kanalen", {"brief", "website"}},
                    {"doelgroepen", {"bewoners", "ondernemers"}},
                    {"bericht", "Dit deden we met uw inbreng"}}},
       Adviseur(), At("2026-03-25T09:00:00.000Z"));
  before = w.trail_.size();
  w.Do(TakeTransition{"naar_besluit", std::nullopt}, Adviseur(), At("2026-03-26T09:00:00.000Z"));
  EXPECT_EQ(w.TypesSince(before), (std::vector<std::string>{"transition.taken", "deadline.met"}));
  before = w.trail_.size();
  w.Do(SaveProduct{"besluit",
                   0,
                   {{"datum", "2026-04-15"},
                    {"orgaan", "gemeenteraad"},
                    {"samenvatting", "Plan vastgesteld"}}},
       Bestuur(), At("2026-04-15T20:00:00.000Z"));
  EXPECT_EQ(w.TypesSince(before), (std::vector<std::string>{"product.saved", "deadline.started"}));
  EXPECT_EQ(w.trail_.back().data["due"], "2026-04-29");
  w.Do(
      SaveProduct{
          "besluitterugkoppeling",
          0,
          {{"verzonden_op", "2026-04-20"}, {"kanalen", {"brief"}}, {"bericht", "De raad besloot"}}},
      Adviseur(), At("2026-04-20T09:00:00.000Z"));
  w.Do(TakeTransition{"naar_evaluatie", std::nullopt}, Adviseur(), At("2026-04-21T09:00:00.000Z"));
  w.Do(SaveProduct{"evaluatie",
                   0,
                   {{"wat_ging_goed", "Opkomst"},
                    {"verbeterpunten",
                     {{{"tekst", "Eerder capaciteit regelen"},
                       {"rol", "manager"},
                       {"niveau", "organisatie"}}}}}},
       Manager(), At("2026-05-01T09:00:00.000Z"));
  w.Do(TakeTransition{"afronden", std::nullopt}, Manager(), At("2026-05-02T09:00:00.000Z"));

  EXPECT_EQ(w.state_.state, "afgerond");
  EXPECT_TRUE(w.state_.closed_at.has_value());
  for (const DeadlineState& deadline : w.state_.deadlines) EXPECT_FALSE(deadline.open());
  // The trail is a gapless chain and replays to the same state.
  for (std::size_t i = 0; i < w.trail_.size(); ++i) {
    EXPECT_EQ(w.trail_[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(w.trail_[i].prev, i == 0 ? GenesisHash() : w.trail_[i - 1].hash);
  }
  auto replayed = Replay(d, w.trail_);
  ASSERT_TRUE(replayed.ok()) << replayed.status().message();
  EXPECT_EQ(replayed->state, "afgerond");
  EXPECT_EQ(replayed->version, w.state_.version);
  EXPECT_EQ(replayed->head_hash, w.state_.head_hash);
}

TEST(EngineWalkTest, StopAfterGesprekNeedsFeedbackDate) {
  Definition d = LoadWorkflow("standaard-participatie");
  Walk w(d);
  w.Do(CreateProcess{"p-2", "Speeltuin"}, Manager(), At("2026-03-01T09:00:00.000Z"));
  w.Do(SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
       At("2026-03-02T09:00:00.000Z"));
  w.Do(AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), At("2026-03-03T09:00:00.000Z"));
  w.Do(SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(),
       At("2026-03-03T10:00:00.000Z"));
  w.Do(TakeTransition{"naar_gesprek", std::nullopt}, Manager(), At("2026-03-04T09:00:00.000Z"));
  w.Do(SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag("2026-03-10")}, Adviseur(),
       At("2026-03-11T09:00:00.000Z"));
  w.Do(SaveProduct{"stopbericht", 0, {{"reden", "Project geschrapt"}}}, Bestuur(),
       At("2026-03-12T09:00:00.000Z"));
  Refusal refusal =
      ExpectRefused(Execute(d, w.state_, StopProcess{}, Bestuur(), At("2026-03-12T10:00:00.000Z")));
  ASSERT_EQ(refusal.problems.size(), 1u);
  EXPECT_EQ(refusal.problems[0].code, "veld_ontbreekt");
  EXPECT_EQ(refusal.problems[0].field, "teruggekoppeld_op");
  EXPECT_EQ(refusal.detail, "'Proces stoppen' kan nog niet: 1 voorwaarde is niet vervuld.");
  w.Do(SaveProduct{"stopbericht",
                   0,
                   {{"reden", "Project geschrapt"},
                    {"teruggekoppeld_op", "2026-03-12"},
                    {"kanalen", {"brief"}}}},
       Bestuur(), At("2026-03-12T11:00:00.000Z"));
  w.Do(StopProcess{}, Bestuur(), At("2026-03-12T12:00:00.000Z"));
  EXPECT_EQ(w.state_.state, "gestopt");
  EXPECT_EQ(w.trail_.back().type, "process.stopped");
}

}  // namespace
}  // namespace navolg
