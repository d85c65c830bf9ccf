// Every transition of both workflows, by role and by state: who may take it, from where it
// can be taken, and what stopping does in each state of the standard process. Each process
// state is reached by driving the engine (WalkTo), never built by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

const Definition& Workflow(const std::string& key) {
  static const std::map<std::string, Definition> kDefinitions = {
      {"standaard-participatie", LoadWorkflow("standaard-participatie")},
      {"participatiebeleid", LoadWorkflow("participatiebeleid")},
  };
  return kDefinitions.at(key);
}

// A process of `workflow` walked to `state`, ready to leave it; walked once per test binary.
const ProcessDriver& Walked(const std::string& workflow, const std::string& state) {
  static std::map<std::pair<std::string, std::string>, ProcessDriver> cache;
  auto key = std::make_pair(workflow, state);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, WalkTo(Workflow(workflow), state)).first;
  return it->second;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

void SaveStopbericht(ProcessDriver& driver) {
  driver.Do(SaveProduct{"stopbericht", 0, CompleteStopbericht()}, Manager(), driver.Later());
}

struct TransitionCase {
  const char* workflow;
  const char* transition;
  std::vector<std::string> from;  // every state it leaves; the first is where it is taken here
  const char* to;
  std::vector<std::string> roles;  // in definition order
  std::optional<std::string> motivatie;
  std::vector<std::string> events;            // of the accepted command, in order
  void (*prepare)(ProcessDriver&) = nullptr;  // beyond WalkTo's readiness
};

const std::vector<TransitionCase>& Cases() {
  static const std::vector<TransitionCase> kCases = {
      {"standaard-participatie",
       "naar_gesprek",
       {"kaders"},
       "gesprek",
       {"adviseur", "manager"},
       std::nullopt,
       {"transition.taken"}},
      {"standaard-participatie",
       "naar_duiden",
       {"gesprek"},
       "duiden",
       {"adviseur"},
       std::nullopt,
       {"transition.taken", "deadline.started"}},
      {"standaard-participatie",
       "terug_naar_gesprek",
       {"duiden"},
       "gesprek",
       {"adviseur"},
       "Te weinig jongeren bereikt",
       {"transition.taken"}},
      {"standaard-participatie",
       "naar_terugkoppeling",
       {"duiden"},
       "terugkoppeling",
       {"adviseur"},
       std::nullopt,
       {"transition.taken"}},
      {"standaard-participatie",
       "naar_besluit",
       {"terugkoppeling"},
       "besluit",
       {"adviseur"},
       std::nullopt,
       {"transition.taken", "deadline.met"}},
      {"standaard-participatie",
       "naar_evaluatie",
       {"besluit"},
       "evaluatie",
       {"adviseur"},
       std::nullopt,
       {"transition.taken", "deadline.met"}},
      {"standaard-participatie",
       "afronden",
       {"evaluatie"},
       "afgerond",
       {"adviseur", "manager"},
       std::nullopt,
       {"transition.taken"}},
      {"standaard-participatie",
       "stoppen",
       {"kaders", "gesprek", "duiden", "terugkoppeling", "besluit", "evaluatie"},
       "gestopt",
       {"bestuur", "manager"},
       std::nullopt,
       {"process.stopped"},
       SaveStopbericht},
      {"participatiebeleid",
       "vaststellen",
       {"concept"},
       "vastgesteld",
       {"bestuur"},
       std::nullopt,
       {"transition.taken", "deadline.started"}},
      {"participatiebeleid",
       "herijken",
       {"vastgesteld"},
       "concept",
       {"bestuur", "manager"},
       std::nullopt,
       {"transition.taken", "deadline.met"}},
      // Ending the process cancels the open herijking.
      {"participatiebeleid",
       "intrekken",
       {"vastgesteld"},
       "ingetrokken",
       {"bestuur"},
       "Vervangen door nieuw beleid",
       {"transition.taken", "deadline.cancelled"}},
  };
  return kCases;
}

TEST(TransitionsTest, TableCoversEveryTransitionOfBothWorkflows) {
  for (const char* workflow : {"standaard-participatie", "participatiebeleid"}) {
    const Definition& d = Workflow(workflow);
    std::set<std::string> in_definition, in_table;
    for (const TransitionSpec& t : d.transitions) in_definition.insert(t.key);
    for (const TransitionCase& c : Cases()) {
      if (c.workflow != std::string(workflow)) continue;
      in_table.insert(c.transition);
      const TransitionSpec* spec = d.Transition(c.transition);
      ASSERT_NE(spec, nullptr) << c.transition;
      EXPECT_EQ(spec->roles, c.roles) << c.transition;
      EXPECT_EQ(spec->to, c.to) << c.transition;
      for (const std::string& state : d.states) {
        EXPECT_EQ(d.TransitionLeaves(*spec, state), Contains(c.from, state))
            << c.transition << " from " << state;
      }
    }
    EXPECT_EQ(in_table, in_definition) << workflow;
  }
}

TEST(TransitionsTest, AllowedForEachOfItsRolesWhenGuardsHold) {
  for (const TransitionCase& c : Cases()) {
    ProcessDriver ready = Walked(c.workflow, c.from[0]);
    if (c.prepare != nullptr) c.prepare(ready);
    for (const std::string& role : c.roles) {
      SCOPED_TRACE(std::string(c.transition) + " by " + role);
      ProcessDriver driver = ready;
      const Time now = driver.Later();
      std::vector<Event> events =
          driver.Do(TakeTransition{c.transition, c.motivatie}, WithRole(role), now);
      EXPECT_EQ(EventTypes(events), c.events);
      ASSERT_FALSE(events.empty());
      json expected{{"transition", c.transition}, {"from", c.from[0]}, {"to", c.to}};
      if (c.motivatie) expected["motivatie"] = *c.motivatie;
      EXPECT_EQ(events[0].data, expected);
      EXPECT_EQ(events[0].actor, WithRole(role));
      EXPECT_EQ(events[0].at, now);
      EXPECT_EQ(driver.state().state, c.to);
    }
  }
}

TEST(TransitionsTest, RefusedForEveryOtherRole) {
  for (const TransitionCase& c : Cases()) {
    ProcessDriver ready = Walked(c.workflow, c.from[0]);
    if (c.prepare != nullptr) c.prepare(ready);
    int refused = 0;
    for (const std::string& role : AllRoles()) {
      if (Contains(c.roles, role)) continue;
      SCOPED_TRACE(std::string(c.transition) + " by " + role);
      Refusal refusal = ExpectRefused(
          ready.Try(TakeTransition{c.transition, c.motivatie}, WithRole(role), ready.Later()));
      EXPECT_EQ(refusal.kind, RefusalKind::kForbidden);
      ASSERT_EQ(refusal.problems.size(), 1u);
      EXPECT_EQ(refusal.problems[0].code, "rol_niet_toegestaan");
      ++refused;
    }
    // auditor and beheerder are refused everything, besides the process roles left out.
    EXPECT_EQ(refused, static_cast<int>(AllRoles().size() - c.roles.size())) << c.transition;
  }
}

TEST(TransitionsTest, RefusedFromStatesItDoesNotLeave) {
  for (const TransitionCase& c : Cases()) {
    const Definition& d = Workflow(c.workflow);
    for (const std::string& state : d.states) {
      if (Contains(c.from, state)) continue;
      SCOPED_TRACE(std::string(c.transition) + " from " + state);
      const ProcessDriver& driver = Walked(c.workflow, state);
      ASSERT_EQ(driver.state().state, state);
      Refusal refusal = ExpectRefused(driver.Try(TakeTransition{c.transition, c.motivatie},
                                                 WithRole(c.roles[0]), driver.Later()));
      EXPECT_EQ(refusal.kind, RefusalKind::kConflict);
      ASSERT_EQ(refusal.problems.size(), 1u);
      EXPECT_EQ(refusal.problems[0].code,
                d.IsEndState(state) ? "proces_afgesloten" : "overgang_niet_mogelijk");
    }
  }
}

struct StopCase {
  const char* state;
  std::vector<std::string> cancelled;  // deadlines open in that state, in order
};

const std::vector<StopCase>& StopCases() {
  static const std::vector<StopCase> kCases = {
      {"kaders", {}},
      {"gesprek", {}},
      {"duiden", {"terugkoppeling"}},
      {"terugkoppeling", {"terugkoppeling"}},
      {"besluit", {"besluitterugkoppeling"}},
      {"evaluatie", {}},  // both deadlines were met on the way
  };
  return kCases;
}

TEST(TransitionsTest, StopFromEveryOpenStateCancelsOpenDeadlines) {
  const Definition& d = Workflow("standaard-participatie");
  std::set<std::string> open_states, covered;
  for (const std::string& state : d.states) {
    if (!d.IsEndState(state)) open_states.insert(state);
  }
  for (const StopCase& c : StopCases()) covered.insert(c.state);
  EXPECT_EQ(covered, open_states);

  const std::optional<std::string> motivatie = "Raad heeft het budget geschrapt";
  const std::vector<std::pair<const char*, Command>> ways = {
      {"StopProcess", StopProcess{motivatie}},
      {"TakeTransition", TakeTransition{"stoppen", motivatie}},
  };
  for (const StopCase& c : StopCases()) {
    for (const auto& [way, command] : ways) {
      for (const Actor& actor : {Bestuur(), Manager()}) {
        SCOPED_TRACE(std::string(c.state) + " " + way + " by " + actor.role);
        ProcessDriver driver = Walked("standaard-participatie", c.state);
        SaveStopbericht(driver);
        const Time now = driver.Later();
        std::vector<Event> events = driver.Do(command, actor, now);
        std::vector<std::string> expected_types = {"process.stopped"};
        expected_types.insert(expected_types.end(), c.cancelled.size(), "deadline.cancelled");
        ASSERT_EQ(EventTypes(events), expected_types);
        EXPECT_EQ(events[0].data, (json{{"transition", "stoppen"},
                                        {"from", c.state},
                                        {"to", "gestopt"},
                                        {"motivatie", *motivatie}}));
        for (std::size_t i = 0; i < c.cancelled.size(); ++i) {
          EXPECT_EQ(events[i + 1].data["deadline"], c.cancelled[i]);
          EXPECT_EQ(events[i + 1].data["instance"], 1);
        }
        EXPECT_EQ(driver.state().state, "gestopt");
        EXPECT_EQ(driver.state().closed_at, now);
        int cancelled = 0;
        for (const DeadlineState& deadline : driver.state().deadlines) {
          EXPECT_FALSE(deadline.open()) << deadline.key;
          if (deadline.cancelled_at == now) ++cancelled;
        }
        EXPECT_EQ(cancelled, static_cast<int>(c.cancelled.size()));
      }
    }
  }
}

TEST(TransitionsTest, StopRefusedFromEndStates) {
  struct Case {
    const char* workflow;
    const char* state;
  };
  const Case cases[] = {{"standaard-participatie", "afgerond"},
                        {"standaard-participatie", "gestopt"},
                        {"participatiebeleid", "ingetrokken"}};
  for (const Case& c : cases) {
    const ProcessDriver& driver = Walked(c.workflow, c.state);
    ASSERT_EQ(driver.state().state, c.state);
    const std::vector<Command> commands = {StopProcess{"Toch stoppen"},
                                           TakeTransition{"stoppen", "Toch stoppen"}};
    for (const Command& command : commands) {
      for (const Actor& actor : {Bestuur(), Manager()}) {
        SCOPED_TRACE(std::string(c.state) + " by " + actor.role);
        Refusal refusal = ExpectRefused(driver.Try(command, actor, driver.Later()));
        EXPECT_EQ(refusal.kind, RefusalKind::kConflict);
        ASSERT_EQ(refusal.problems.size(), 1u);
        EXPECT_EQ(refusal.problems[0].code, "proces_afgesloten");
      }
    }
  }
}

TEST(TransitionsTest, StopProcessRefusedWhereTheWorkflowHasNoStop) {
  for (const char* state : {"concept", "vastgesteld"}) {
    const ProcessDriver& driver = Walked("participatiebeleid", state);
    Refusal refusal = ExpectRefused(driver.Try(StopProcess{"Stoppen"}, Bestuur(), driver.Later()));
    EXPECT_EQ(refusal.kind, RefusalKind::kConflict) << state;
    ASSERT_EQ(refusal.problems.size(), 1u) << state;
    EXPECT_EQ(refusal.problems[0].code, "stoppen_niet_mogelijk") << state;
  }
}

}  // namespace
}  // namespace navolg
