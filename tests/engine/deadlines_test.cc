// Deadlines: due dates in Europe/Amsterdam calendar days, rescheduling, meeting and starting
// again, the exact instant a deadline becomes overdue (also around DST changes), and the
// deadline.missed events the system records, exactly once per overdue deadline.
//
// Expected instants are worked out by hand: a due date D is overdue from 00:00 Amsterdam
// time on D + 1, which is 23:00Z on D in winter time (CET, UTC+1) and 22:00Z in summer time
// (CEST, UTC+2). In 2026 summer time runs from 29 March 01:00Z to 25 October 01:00Z.
#include "engine/deadlines.h"

#include <gtest/gtest.h>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

// A minimal workflow with two deadlines that run at the same time.
const Definition& TwoDeadlines() {
  static const Definition d = [] {
    ParsedDefinition parsed = ParseDefinition(json::parse(R"({
      "key": "twee-termijnen", "version": 1, "title": "Twee termijnen",
      "states": [{"key": "open", "title": "Open", "start": true},
                 {"key": "loopt", "title": "Loopt"},
                 {"key": "klaar", "title": "Klaar", "end": true}],
      "products": [{"key": "notitie", "title": "Notitie", "editors": ["adviseur"],
                    "editable_in": ["open"],
                    "fields": [{"key": "tekst", "type": "longtext", "required": true}]}],
      "transitions": [
        {"key": "starten", "title": "Starten", "from": ["open"], "to": "loopt",
         "roles": ["adviseur"], "guards": []},
        {"key": "afronden", "title": "Afronden", "from": ["loopt"], "to": "klaar",
         "roles": ["adviseur"], "guards": []}],
      "deadlines": [
        {"key": "kort", "title": "Kort", "starts": {"transition": "starten"},
         "due": {"from": "start", "add": [{"amount": 1, "unit": "days"}]},
         "met_by": {"transition": "afronden"}},
        {"key": "lang", "title": "Lang", "starts": {"transition": "starten"},
         "due": {"from": "start", "add": [{"amount": 3, "unit": "days"}]},
         "met_by": {"transition": "afronden"}}]
    })"));
    EXPECT_TRUE(parsed.errors.empty())
        << (parsed.errors.empty() ? "" : parsed.errors[0].path + " " + parsed.errors[0].message);
    return *parsed.definition;
  }();
  return d;
}

std::vector<Event> RecordMissed(ProcessDriver& driver, const char* now) {
  return driver.Do(RecordMissedDeadlines{}, Actor::System(), At(now));
}

json Missed(const char* key, std::int64_t instance, const char* due) {
  return {{"deadline", key}, {"instance", instance}, {"due", due}};
}

TEST(DeadlinesTest, TerugkoppelingDueFromTheLatestGespreksverslag) {
  struct Case {
    int termijn;
    std::vector<const char*> datums;  // verslag 1, 2, ...
    const char* due;
  };
  const Case cases[] = {
      {30, {"2026-03-10"}, "2026-04-09"},
      {30, {"2026-03-10", "2026-03-06"}, "2026-04-09"},  // the latest date, not the last verslag
      {30, {"2026-03-06", "2026-03-10"}, "2026-04-09"},
      {14, {"2026-02-20", "2026-03-11", "2026-03-01"}, "2026-03-25"},
      {1, {"2026-02-28"}, "2026-03-01"},
      {365, {"2026-03-10"}, "2027-03-10"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.termijn) + " days after " + c.datums.back());
    ProcessDriver driver = WalkTo(Standard(), "kaders", Readiness::kJustEntered);
    json kadernotitie = CompleteKadernotitie();
    kadernotitie["terugkoppeltermijn_dagen"] = c.termijn;
    driver.Do(SaveProduct{"kadernotitie", 0, kadernotitie}, Adviseur(), driver.Later());
    driver.Do(AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), driver.Later());
    driver.Do(SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), driver.Later());
    driver.Do(TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), driver.Later());
    driver.Do(SaveProduct{"gespreksplan", 0, CompleteGespreksplan()}, Adviseur(), driver.Later());
    for (std::size_t i = 0; i < c.datums.size(); ++i) {
      driver.Do(SaveProduct{"gespreksverslag", static_cast<std::int64_t>(i + 1),
                            CompleteGespreksverslag(c.datums[i])},
                Adviseur(), At("2026-03-11T12:00:00.000Z"));
    }
    // 2026-03-11T23:30Z is already 12 March in Amsterdam.
    std::vector<Event> events = driver.Do(TakeTransition{"naar_duiden", std::nullopt}, Adviseur(),
                                          At("2026-03-11T23:30:00.000Z"));
    ASSERT_EQ(EventTypes(events),
              (std::vector<std::string>{"transition.taken", "deadline.started"}));
    EXPECT_EQ(events[1].data, (json{{"deadline", "terugkoppeling"},
                                    {"instance", 1},
                                    {"started_on", "2026-03-12"},
                                    {"due", c.due}}));
    ASSERT_EQ(driver.state().deadlines.size(), 1u);
    EXPECT_EQ(FormatDate(driver.state().deadlines[0].due), c.due);
  }
}

TEST(DeadlinesTest, TerugkoppelingFollowsAVerslagAddedAfterGoingBack) {
  ProcessDriver driver = WalkTo(Standard(), "duiden");  // due 2026-04-09
  driver.Do(TakeTransition{"terug_naar_gesprek", "Jongeren nog spreken"}, Adviseur(),
            At("2026-03-20T10:00:00.000Z"));
  std::vector<Event> events =
      driver.Do(SaveProduct{"gespreksverslag", 2, CompleteGespreksverslag("2026-03-20")},
                Adviseur(), At("2026-03-20T18:00:00.000Z"));
  ASSERT_EQ(EventTypes(events),
            (std::vector<std::string>{"product.saved", "deadline.rescheduled"}));
  EXPECT_EQ(events[1].data, (json{{"deadline", "terugkoppeling"},
                                  {"instance", 1},
                                  {"due", "2026-04-19"},
                                  {"previous_due", "2026-04-09"}}));
  events = driver.Do(TakeTransition{"naar_duiden", std::nullopt}, Adviseur(),
                     At("2026-03-21T10:00:00.000Z"));
  EXPECT_EQ(EventTypes(events), std::vector<std::string>{"transition.taken"});
  ASSERT_EQ(driver.state().deadlines.size(), 1u);
  EXPECT_EQ(FormatDate(driver.state().deadlines[0].due), "2026-04-19");
}

TEST(DeadlinesTest, BesluitterugkoppelingStartsWithTheBesluitDatumAndFollowsIt) {
  struct Step {
    const char* product;
    json content;
    const char* at;
    std::vector<std::string> types;
    json deadline_event;  // data of the last event when it is a deadline event
    const char* due;      // of the open deadline afterwards; nullptr while none
  };
  json draft = CompleteBesluit("2026-04-15");
  draft.erase("datum");
  json with_kenmerk = CompleteBesluit("2026-04-15");
  with_kenmerk["kenmerk"] = "RB-2026-17";
  const Step steps[] = {
      {"besluit", draft, "2026-04-14T09:00:00.000Z", {"product.saved"}, nullptr, nullptr},
      // 22:30Z on 15 April is 16 April in Amsterdam: that is the start; the due date is not.
      {"besluit",
       CompleteBesluit("2026-04-15"),
       "2026-04-15T22:30:00.000Z",
       {"product.saved", "deadline.started"},
       {{"deadline", "besluitterugkoppeling"},
        {"instance", 1},
        {"started_on", "2026-04-16"},
        {"due", "2026-04-29"}},
       "2026-04-29"},
      {"besluit",
       with_kenmerk,
       "2026-04-17T09:00:00.000Z",
       {"product.saved"},
       nullptr,
       "2026-04-29"},
      {"besluitterugkoppeling",
       CompleteBesluitterugkoppeling(),
       "2026-04-18T09:00:00.000Z",
       {"product.saved"},
       nullptr,
       "2026-04-29"},
      {"besluit",
       CompleteBesluit("2026-04-20"),
       "2026-04-20T09:00:00.000Z",
       {"product.saved", "deadline.rescheduled"},
       {{"deadline", "besluitterugkoppeling"},
        {"instance", 1},
        {"due", "2026-05-04"},
        {"previous_due", "2026-04-29"}},
       "2026-05-04"},
  };
  ProcessDriver driver = WalkTo(Standard(), "besluit", Readiness::kJustEntered);
  for (const Step& step : steps) {
    SCOPED_TRACE(std::string(step.product) + " at " + step.at);
    const Actor actor = step.product == std::string("besluit") ? Bestuur() : Adviseur();
    std::vector<Event> events =
        driver.Do(SaveProduct{step.product, 0, step.content}, actor, At(step.at));
    ASSERT_EQ(EventTypes(events), step.types);
    if (!step.deadline_event.is_null()) {
      EXPECT_EQ(events.back().data, step.deadline_event);
    }
    const DeadlineState* latest = driver.state().LatestDeadline("besluitterugkoppeling");
    if (step.due == nullptr) {
      EXPECT_EQ(latest, nullptr);
    } else {
      ASSERT_NE(latest, nullptr);
      EXPECT_TRUE(latest->open());
      EXPECT_EQ(FormatDate(latest->due), step.due);
    }
  }
  std::vector<Event> events = driver.Do(TakeTransition{"naar_evaluatie", std::nullopt}, Adviseur(),
                                        At("2026-04-21T09:00:00.000Z"));
  ASSERT_EQ(EventTypes(events), (std::vector<std::string>{"transition.taken", "deadline.met"}));
  EXPECT_EQ(events[1].data, (json{{"deadline", "besluitterugkoppeling"},
                                  {"instance", 1},
                                  {"transition", "naar_evaluatie"}}));
}

TEST(DeadlinesTest, HerijkingDueMonthsAfterTheAmsterdamDateOfVaststelling) {
  struct Case {
    const char* vastgesteld_at;
    int months;
    const char* started_on;
    const char* due;
  };
  const Case cases[] = {
      {"2026-01-31T12:00:00.000Z", 1, "2026-01-31", "2026-02-28"},
      {"2026-01-31T23:30:00.000Z", 1, "2026-02-01", "2026-03-01"},  // 00:30 CET on 1 Feb
      {"2028-01-31T12:00:00.000Z", 1, "2028-01-31", "2028-02-29"},  // leap year
      {"2026-02-01T10:00:00.000Z", 12, "2026-02-01", "2027-02-01"},
      {"2028-02-29T10:00:00.000Z", 12, "2028-02-29", "2029-02-28"},
      {"2026-03-31T10:00:00.000Z", 60, "2026-03-31", "2031-03-31"},
      {"2026-06-30T22:30:00.000Z", 1, "2026-07-01", "2026-08-01"},  // 00:30 CEST on 1 July
      {"2026-08-31T21:59:59.999Z", 6, "2026-08-31", "2027-02-28"},  // 23:59:59.999 CEST
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.vastgesteld_at);
    ProcessDriver driver = WalkTo(Beleid(), "concept", Readiness::kJustEntered);
    driver.Do(SaveProduct{"beleid", 0, CompleteBeleid(c.months)}, Manager(),
              At("2026-01-06T09:00:00.000Z"));
    std::vector<Event> events =
        driver.Do(TakeTransition{"vaststellen", std::nullopt}, Bestuur(), At(c.vastgesteld_at));
    ASSERT_EQ(EventTypes(events),
              (std::vector<std::string>{"transition.taken", "deadline.started"}));
    EXPECT_EQ(events[1].data, (json{{"deadline", "herijking"},
                                    {"instance", 1},
                                    {"started_on", c.started_on},
                                    {"due", c.due}}));
  }
}

TEST(DeadlinesTest, HerijkingMetByHerijkenThenStartsAgainAsInstanceTwo) {
  ProcessDriver driver = WalkTo(Beleid(), "vastgesteld");  // 24 months from 2026-01-07
  std::vector<Event> events = driver.Do(TakeTransition{"herijken", std::nullopt}, Manager(),
                                        At("2027-01-10T09:00:00.000Z"));
  ASSERT_EQ(EventTypes(events), (std::vector<std::string>{"transition.taken", "deadline.met"}));
  EXPECT_EQ(events[1].data,
            (json{{"deadline", "herijking"}, {"instance", 1}, {"transition", "herijken"}}));
  events = driver.Do(SaveProduct{"beleid", 0, CompleteBeleid(12)}, Adviseur(),
                     At("2027-01-20T09:00:00.000Z"));
  EXPECT_EQ(EventTypes(events), std::vector<std::string>{"product.saved"});
  events = driver.Do(TakeTransition{"vaststellen", std::nullopt}, Bestuur(),
                     At("2027-02-01T09:00:00.000Z"));
  ASSERT_EQ(EventTypes(events), (std::vector<std::string>{"transition.taken", "deadline.started"}));
  EXPECT_EQ(events[1].data, (json{{"deadline", "herijking"},
                                  {"instance", 2},
                                  {"started_on", "2027-02-01"},
                                  {"due", "2028-02-01"}}));
  const auto& deadlines = driver.state().deadlines;
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(FormatDate(deadlines[0].due), "2028-01-07");
  EXPECT_EQ(deadlines[0].met_at, At("2027-01-10T09:00:00.000Z"));
  EXPECT_TRUE(deadlines[1].open());
}

TEST(DeadlinesTest, OverdueFromMidnightAmsterdamAfterTheDueDate) {
  struct Case {
    const char* due;
    const char* last_in_time;
    const char* first_overdue;
  };
  const Case cases[] = {
      {"2026-01-15", "2026-01-15T22:59:59.999Z", "2026-01-15T23:00:00.000Z"},  // CET
      {"2026-07-15", "2026-07-15T21:59:59.999Z", "2026-07-15T22:00:00.000Z"},  // CEST
      {"2026-03-28", "2026-03-28T22:59:59.999Z", "2026-03-28T23:00:00.000Z"},  // 29 Mar 00:00 CET
      {"2026-03-29", "2026-03-29T21:59:59.999Z", "2026-03-29T22:00:00.000Z"},  // 30 Mar CEST
      {"2026-10-24", "2026-10-24T21:59:59.999Z", "2026-10-24T22:00:00.000Z"},  // 25 Oct CEST
      {"2026-10-25", "2026-10-25T22:59:59.999Z", "2026-10-25T23:00:00.000Z"},  // 26 Oct CET
      {"2026-12-31", "2026-12-31T22:59:59.999Z", "2026-12-31T23:00:00.000Z"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.due);
    DeadlineState deadline;
    deadline.key = "terugkoppeling";
    deadline.due = *ParseDate(c.due);
    EXPECT_FALSE(IsOverdue(deadline, At(c.last_in_time)));
    EXPECT_TRUE(IsOverdue(deadline, At(c.first_overdue)));
    DeadlineState met = deadline;
    met.met_at = At(c.last_in_time);
    EXPECT_FALSE(IsOverdue(met, At(c.first_overdue)));
    DeadlineState cancelled = deadline;
    cancelled.cancelled_at = At(c.last_in_time);
    EXPECT_FALSE(IsOverdue(cancelled, At(c.first_overdue)));
  }
}

TEST(DeadlinesTest, OnlyTheSystemRecordsMissedDeadlines) {
  const ProcessDriver driver = WalkTo(Standard(), "duiden");
  for (const std::string& role : AllRoles()) {
    SCOPED_TRACE(role);
    Refusal refusal = ExpectRefused(
        driver.Try(RecordMissedDeadlines{}, WithRole(role), At("2026-05-01T09:00:00.000Z")));
    EXPECT_EQ(refusal.kind, RefusalKind::kForbidden);
    ASSERT_EQ(refusal.problems.size(), 1u);
    EXPECT_EQ(refusal.problems[0].code, "rol_niet_toegestaan");
  }
  ProcessDriver system = driver;
  EXPECT_EQ(RecordMissed(system, "2026-05-01T09:00:00.000Z").size(), 1u);
}

TEST(DeadlinesTest, MissedRecordedOncePerDeadlineFromTheBoundaryOn) {
  ProcessDriver driver = WalkTo(Standard(), "duiden");  // terugkoppeling due 2026-04-09 (CEST)
  EXPECT_TRUE(RecordMissed(driver, "2026-04-09T21:59:59.999Z").empty());
  std::vector<Event> events = RecordMissed(driver, "2026-04-09T22:00:00.000Z");
  ASSERT_EQ(EventTypes(events), std::vector<std::string>{"deadline.missed"});
  EXPECT_EQ(events[0].data, Missed("terugkoppeling", 1, "2026-04-09"));
  EXPECT_EQ(events[0].actor, Actor::System());
  EXPECT_EQ(events[0].at, At("2026-04-09T22:00:00.000Z"));
  EXPECT_TRUE(RecordMissed(driver, "2026-04-10T09:00:00.000Z").empty());

  // Late feedback still meets it; the next deadline is missed on its own.
  driver.Do(TakeTransition{"naar_terugkoppeling", std::nullopt}, Adviseur(),
            At("2026-04-10T10:00:00.000Z"));
  driver.Do(SaveProduct{"terugkoppelingsbericht", 0, CompleteTerugkoppelingsbericht()}, Adviseur(),
            At("2026-04-10T11:00:00.000Z"));
  events = driver.Do(TakeTransition{"naar_besluit", std::nullopt}, Adviseur(),
                     At("2026-04-10T12:00:00.000Z"));
  EXPECT_EQ(EventTypes(events), (std::vector<std::string>{"transition.taken", "deadline.met"}));
  driver.Do(SaveProduct{"besluit", 0, CompleteBesluit("2026-04-15")}, Bestuur(),
            At("2026-04-16T09:00:00.000Z"));  // due 2026-04-29 (CEST)
  EXPECT_TRUE(RecordMissed(driver, "2026-04-29T21:59:59.999Z").empty());
  events = RecordMissed(driver, "2026-04-29T22:00:00.000Z");
  ASSERT_EQ(EventTypes(events), std::vector<std::string>{"deadline.missed"});
  EXPECT_EQ(events[0].data, Missed("besluitterugkoppeling", 1, "2026-04-29"));

  // Met: nothing left to record, however late.
  driver.Do(SaveProduct{"besluitterugkoppeling", 0, CompleteBesluitterugkoppeling()}, Adviseur(),
            At("2026-04-30T09:00:00.000Z"));
  driver.Do(TakeTransition{"naar_evaluatie", std::nullopt}, Adviseur(),
            At("2026-04-30T10:00:00.000Z"));
  EXPECT_TRUE(RecordMissed(driver, "2027-01-01T00:00:00.000Z").empty());
  int missed = 0;
  for (const Event& e : driver.trail()) missed += e.type == "deadline.missed" ? 1 : 0;
  EXPECT_EQ(missed, 2);
}

TEST(DeadlinesTest, NoMissedEventForACancelledDeadline) {
  ProcessDriver driver = WalkTo(Standard(), "duiden");
  driver.Do(SaveProduct{"stopbericht", 0, CompleteStopbericht()}, Manager(),
            At("2026-03-13T09:00:00.000Z"));
  std::vector<Event> events = driver.Do(StopProcess{}, Bestuur(), At("2026-03-13T10:00:00.000Z"));
  ASSERT_EQ(EventTypes(events),
            (std::vector<std::string>{"process.stopped", "deadline.cancelled"}));
  EXPECT_FALSE(IsOverdue(driver.state().deadlines[0], At("2026-05-01T09:00:00.000Z")));
  EXPECT_TRUE(RecordMissed(driver, "2026-05-01T09:00:00.000Z").empty());
}

TEST(DeadlinesTest, OneMissedEventPerOverdueDeadline) {
  ProcessDriver start(TwoDeadlines());
  start.Do(CreateProcess{"t-1", "Twee termijnen"}, Adviseur(), At("2026-01-09T09:00:00.000Z"));
  std::vector<Event> events =
      start.Do(TakeTransition{"starten", std::nullopt}, Adviseur(), At("2026-01-10T09:00:00.000Z"));
  ASSERT_EQ(EventTypes(events),
            (std::vector<std::string>{"transition.taken", "deadline.started", "deadline.started"}));
  // kort is due 2026-01-11, lang 2026-01-13; both overdue from 23:00Z on their due date.
  ProcessDriver one_by_one = start;
  EXPECT_TRUE(RecordMissed(one_by_one, "2026-01-11T22:59:59.999Z").empty());
  events = RecordMissed(one_by_one, "2026-01-11T23:00:00.000Z");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, Missed("kort", 1, "2026-01-11"));
  events = RecordMissed(one_by_one, "2026-01-13T23:00:00.000Z");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, Missed("lang", 1, "2026-01-13"));

  ProcessDriver together = start;
  events = RecordMissed(together, "2026-02-01T09:00:00.000Z");
  ASSERT_EQ(EventTypes(events), (std::vector<std::string>{"deadline.missed", "deadline.missed"}));
  EXPECT_EQ(events[0].data, Missed("kort", 1, "2026-01-11"));
  EXPECT_EQ(events[1].data, Missed("lang", 1, "2026-01-13"));
  EXPECT_TRUE(RecordMissed(together, "2026-02-02T09:00:00.000Z").empty());
}

}  // namespace
}  // namespace navolg
