// A manager hands a process over to another adviseur and reminds the assignee of a deadline
// (engine.h, HandOver and RemindOfDeadline): events in the trail, the assignee follows, and
// every refusal says why.
#include <gtest/gtest.h>

#include "engine/assignee.h"
#include "engine/event_description.h"
#include "engine/state_codec.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;

TEST(HandoverTest, TheProcessGoesToTheNewAdviseurAndTheTrailSaysFromWhom) {
  ProcessDriver driver = WalkTo(Standard(), "gesprek");
  ASSERT_EQ(CurrentAssignee(Standard(), driver.state()), "u-adviseur");

  auto events =
      driver.Do(HandOver{"u-tweede", std::string("Bram is met verlof")}, Manager(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "process.handed_over");
  EXPECT_EQ(events[0].data["from"], "u-adviseur");
  EXPECT_EQ(events[0].data["to"], "u-tweede");
  EXPECT_EQ(events[0].data["toelichting"], "Bram is met verlof");
  EXPECT_EQ(CurrentAssignee(Standard(), driver.state()), "u-tweede");
  EXPECT_EQ(DescribeEvent(events[0], Standard(), {{"u-adviseur", "Bram"}, {"u-tweede", "Sara"}}),
            "Proces overgedragen van Bram aan Sara (toelichting: Bram is met verlof)");

  // The old assignee is out of reach now, the new one in reach.
  EXPECT_FALSE(WithinReach(Standard(), driver.state(), Adviseur(), Reach::kAssignedProcess));
  EXPECT_TRUE(WithinReach(Standard(), driver.state(), Actor{"u-tweede", "adviseur"},
                          Reach::kAssignedProcess));

  // The hand-over survives a replay and the snapshot.
  auto replayed = Replay(Standard(), driver.trail());
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(CurrentAssignee(Standard(), *replayed), "u-tweede");
  auto decoded = DecodeState(EncodeState(driver.state()));
  ASSERT_TRUE(decoded.ok());
  ASSERT_TRUE(decoded->handover.has_value());
  EXPECT_EQ(decoded->handover->to, "u-tweede");
  EXPECT_EQ(decoded->handover->from, "u-adviseur");
}

TEST(HandoverTest, ALaterSaveOfTheAssigneeFieldAssignsAnew) {
  ProcessDriver driver = WalkTo(Standard(), "kaders");
  driver.Do(HandOver{"u-tweede", std::nullopt}, Manager(), driver.Later());
  EXPECT_EQ(CurrentAssignee(Standard(), driver.state()), "u-tweede");
  nlohmann::json capaciteit = CompleteCapaciteit();
  capaciteit["adviseur"] = "u-derde";
  driver.Do(SaveProduct{"capaciteit", 0, capaciteit}, Manager(), driver.Later());
  EXPECT_EQ(CurrentAssignee(Standard(), driver.state()), "u-derde");
}

TEST(HandoverTest, RefusedWhereItCannotBe) {
  ProcessDriver driver = WalkTo(Standard(), "gesprek");
  const Time later = driver.Later();
  EXPECT_EQ(RefusalCode(driver.Try(HandOver{"u-tweede", std::nullopt}, Adviseur(), later)),
            "rol_niet_toegestaan");
  EXPECT_EQ(RefusalCode(driver.Try(HandOver{"u-tweede", std::nullopt}, Bestuur(), later)),
            "rol_niet_toegestaan");
  EXPECT_EQ(RefusalCode(driver.Try(HandOver{"  ", std::nullopt}, Manager(), later)),
            "veld_ontbreekt");
  EXPECT_EQ(RefusalCode(driver.Try(HandOver{"u-adviseur", std::nullopt}, Manager(), later)),
            "al_toegewezen");
  EXPECT_EQ(
      RefusalCode(driver.Try(HandOver{"u-tweede", std::string(20'001, 'x')}, Manager(), later)),
      "te_lang");
  ProcessDriver ended = WalkTo(Standard(), "afgerond");
  EXPECT_EQ(RefusalCode(ended.Try(HandOver{"u-tweede", std::nullopt}, Manager(), ended.Later())),
            "proces_afgesloten");
  ProcessDriver beleid = WalkTo(Beleid(), "concept");
  EXPECT_EQ(RefusalCode(beleid.Try(HandOver{"u-tweede", std::nullopt}, Manager(), beleid.Later())),
            "geen_toewijzing");
}

TEST(ReminderTest, TheAssigneeIsRemindedOfAnOpenDeadline) {
  ProcessDriver driver = WalkTo(Standard(), "duiden");
  auto events = driver.Do(RemindOfDeadline{"terugkoppeling", std::string("Lukt het deze week?")},
                          Manager(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "deadline.reminded");
  EXPECT_EQ(events[0].data["to"], "u-adviseur");
  EXPECT_EQ(events[0].data["deadline"], "terugkoppeling");
  const DeadlineState* deadline = driver.state().LatestDeadline("terugkoppeling");
  ASSERT_NE(deadline, nullptr);
  EXPECT_EQ(deadline->reminder_count, 1);
  ASSERT_TRUE(deadline->last_reminder.has_value());
  EXPECT_EQ(deadline->last_reminder->bericht, "Lukt het deze week?");
  EXPECT_EQ(deadline->last_reminder->by, Manager());
  // The reminder names the deadline's own date, in Dutch in the trail and ISO in the event.
  EXPECT_EQ(events[0].data["due"], FormatDate(deadline->due));
  EXPECT_EQ(DescribeEvent(events[0], Standard(), {{"u-adviseur", "Bram"}}),
            "Herinnering aan Bram: Terugkoppeling aan deelnemers, uiterlijk " +
                DutchDate(deadline->due) + " (bericht: Lukt het deze week?)");

  driver.Do(RemindOfDeadline{"terugkoppeling", std::nullopt}, Manager(), driver.Later());
  auto decoded = DecodeState(EncodeState(driver.state()));
  ASSERT_TRUE(decoded.ok());
  const DeadlineState* kept = decoded->LatestDeadline("terugkoppeling");
  EXPECT_EQ(kept->reminder_count, 2);
  EXPECT_EQ(kept->last_reminder->bericht, "");
}

TEST(ReminderTest, RefusedWhereItCannotBe) {
  ProcessDriver driver = WalkTo(Standard(), "duiden");
  const Time later = driver.Later();
  EXPECT_EQ(
      RefusalCode(driver.Try(RemindOfDeadline{"terugkoppeling", std::nullopt}, Adviseur(), later)),
      "rol_niet_toegestaan");
  EXPECT_EQ(
      RefusalCode(driver.Try(RemindOfDeadline{"bestaat_niet", std::nullopt}, Manager(), later)),
      "termijn_onbekend");
  EXPECT_EQ(RefusalCode(driver.Try(RemindOfDeadline{"besluitterugkoppeling", std::nullopt},
                                   Manager(), later)),
            "termijn_niet_open");
  ProcessDriver kaders = WalkTo(Standard(), "kaders");
  EXPECT_EQ(RefusalCode(kaders.Try(RemindOfDeadline{"terugkoppeling", std::nullopt}, Manager(),
                                   kaders.Later())),
            "termijn_niet_open");
}

TEST(ProductTagTest, ChangesWithTheInstanceOrThePhaseOnly) {
  ProcessDriver driver = WalkTo(Standard(), "kaders");
  const std::string kaders = ProductTag(driver.state(), "kadernotitie", 0);
  const std::string capaciteit = ProductTag(driver.state(), "capaciteit", 0);
  nlohmann::json more = CompleteCapaciteit();
  more["uren"] = 200;
  driver.Do(SaveProduct{"capaciteit", 0, more}, Manager(), driver.Later());
  EXPECT_EQ(ProductTag(driver.state(), "kadernotitie", 0), kaders) << "another product saved";
  EXPECT_NE(ProductTag(driver.state(), "capaciteit", 0), capaciteit);
  EXPECT_EQ(ProductTag(driver.state(), "kadernotitie", 1), kaders) << "0 and 1: the one instance";
  // Never saved: "p0.", whatever else happens in the phase.
  EXPECT_EQ(ProductTag(driver.state(), "gespreksplan", 0).rfind("p0.", 0), 0u);
  const std::string plan = ProductTag(driver.state(), "gespreksplan", 0);
  driver.Do(TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), driver.Later());
  EXPECT_NE(ProductTag(driver.state(), "gespreksplan", 0), plan) << "a new phase";
  EXPECT_NE(ProductTag(driver.state(), "kadernotitie", 0), kaders);
}

}  // namespace
}  // namespace navolg
