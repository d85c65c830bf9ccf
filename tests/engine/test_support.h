// Shared fixtures for engine tests: the real workflow files and complete product contents
// of the standard process, so each test states only what it changes.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/engine.h"
#include "engine/role.h"

namespace navolg::testing {

inline std::string ReadRepoFile(const std::string& relative) {
  std::ifstream in(std::string(NAVOLG_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Loads workflows/<key>.json and fails the test if it does not validate.
inline Definition LoadWorkflow(const std::string& key) {
  ParsedDefinition parsed = ParseDefinitionText(ReadRepoFile("workflows/" + key + ".json"));
  EXPECT_TRUE(parsed.errors.empty())
      << key << ": " << parsed.errors.size() << " errors, first: "
      << (parsed.errors.empty() ? "" : parsed.errors[0].path + " " + parsed.errors[0].message);
  return *parsed.definition;
}

// Both reference workflows, loaded once per test binary.
inline const Definition& Standard() {
  static const Definition d = LoadWorkflow("standaard-participatie");
  return d;
}
inline const Definition& Beleid() {
  static const Definition d = LoadWorkflow("participatiebeleid");
  return d;
}

// The code of a refusal's first problem; "accepted" when the command was accepted.
inline std::string RefusalCode(const Decision& decision) {
  const Refusal* refusal = std::get_if<Refusal>(&decision);
  if (refusal == nullptr) return "accepted";
  return refusal->problems.empty() ? "?" : refusal->problems.front().code;
}

inline Time At(const char* rfc3339) { return *ParseTime(rfc3339); }

inline Actor Adviseur() { return {"u-adviseur", "adviseur"}; }
inline Actor Manager() { return {"u-manager", "manager"}; }
inline Actor Bestuur() { return {"u-bestuur", "bestuur"}; }

inline nlohmann::json CompleteKadernotitie() {
  return {{"onderwerp", "Herinrichting Marktplein"},
          {"doel", "Wensen van bewoners en ondernemers ophalen"},
          {"vastgelegd", {"Budget van 2 miljoen euro"}},
          {"ruimte", {"Inrichting", "Groen"}},
          {"besluitvormer", "gemeenteraad"},
          {"participatieniveau", "adviseren"},
          {"doelgroepen", {"bewoners", "ondernemers"}},
          {"terugkoppeltermijn_dagen", 30}};
}
inline nlohmann::json CompleteCapaciteit() {
  return {{"adviseur", "u-adviseur"}, {"uren", 120}, {"budget_euro", 15000}};
}
inline nlohmann::json CompleteGespreksplan() {
  return {{"vormen", {"bijeenkomst"}},
          {"uitnodiging", "Kom naar het buurthuis"},
          {"doelgroepen", {"bewoners"}}};
}
inline nlohmann::json CompleteGespreksverslag(const char* datum) {
  return {{"datum", datum},
          {"vorm", "bijeenkomst"},
          {"aantal_deelnemers", 40},
          {"inbreng", {{{"tekst", "Meer bomen"}}, {{"tekst", "Minder parkeerplaatsen"}}}}};
}

// Unwraps an accepted decision, failing the test (with the refusal's detail) otherwise.
inline Accepted ExpectAccepted(Decision decision) {
  if (auto* refusal = std::get_if<Refusal>(&decision)) {
    std::string all = refusal->detail;
    for (const auto& p : refusal->problems) all += "\n  " + p.code + ": " + p.detail;
    ADD_FAILURE() << "refused: " << all;
    return Accepted{};
  }
  return std::get<Accepted>(std::move(decision));
}

inline Refusal ExpectRefused(Decision decision) {
  if (auto* accepted = std::get_if<Accepted>(&decision)) {
    ADD_FAILURE() << "accepted with " << accepted->events.size() << " events";
    return Refusal{};
  }
  return std::get<Refusal>(std::move(decision));
}

inline Actor Auditor() { return {"u-auditor", "auditor"}; }
inline Actor Beheerder() { return {"u-beheerder", "beheerder"}; }
// An actor with `role`, whose user id is "u-<role>".
inline Actor WithRole(const std::string& role) { return {"u-" + role, role}; }
// The names of every role a user can have (engine/role.h), process roles first. Fixtures make
// a user of each, so the database must take every one.
inline const std::vector<std::string>& AllRoles() {
  static const std::vector<std::string> kRoles = [] {
    std::vector<std::string> names;
    for (Role role : UserRoles()) names.emplace_back(RoleName(role));
    return names;
  }();
  return kRoles;
}

// Answers inbreng-1 and inbreng-2, the ids CompleteGespreksverslag gets in verslag 1.
inline nlohmann::json CompleteOpbrengstendocument() {
  return {{"samenvatting", "Twee punten"},
          {"reacties",
           {{{"inbreng", "inbreng-1"}, {"besluit", "overgenomen"}},
            {{"inbreng", "inbreng-2"},
             {"besluit", "niet_overgenomen"},
             {"motivatie", "Parkeerbehoefte blijft"}}}},
          {"advies", "Meer groen"}};
}
inline nlohmann::json CompleteTerugkoppelingsbericht() {
  return {{"verzonden_op", "2026-03-25"},
          {"kanalen", {"brief", "website"}},
          {"doelgroepen", {"bewoners", "ondernemers"}},
          {"bericht", "Dit deden we met uw inbreng"}};
}
inline nlohmann::json CompleteBesluit(const char* datum) {
  return {{"datum", datum}, {"orgaan", "gemeenteraad"}, {"samenvatting", "Plan vastgesteld"}};
}
inline nlohmann::json CompleteBesluitterugkoppeling() {
  return {{"verzonden_op", "2026-04-20"}, {"kanalen", {"brief"}}, {"bericht", "De raad besloot"}};
}
inline nlohmann::json CompleteEvaluatie() {
  return {
      {"wat_ging_goed", "Opkomst"},
      {"verbeterpunten",
       {{{"tekst", "Eerder capaciteit regelen"}, {"rol", "manager"}, {"niveau", "organisatie"}}}}};
}
// Complete also when a gespreksverslag exists (teruggekoppeld_op is set).
inline nlohmann::json CompleteStopbericht() {
  return {
      {"reden", "Project geschrapt"}, {"teruggekoppeld_op", "2026-03-12"}, {"kanalen", {"brief"}}};
}
inline nlohmann::json CompleteBeleid(int evaluatie_na_maanden) {
  return {{"visie", "Inwoners praten mee voordat er iets vastligt"},
          {"uitgangspunten", {"Vroeg betrekken", "Altijd terugkoppelen"}},
          {"evaluatie_na_maanden", evaluatie_na_maanden}};
}

inline std::vector<std::string> EventTypes(const std::vector<Event>& events) {
  std::vector<std::string> types;
  for (const Event& e : events) types.push_back(e.type);
  return types;
}

// "code product#instance field" per problem, for comparing whole refusals in one assertion.
inline std::vector<std::string> ProblemKeys(const std::vector<Problem>& problems) {
  std::vector<std::string> keys;
  for (const Problem& p : problems) {
    keys.push_back(p.code + " " + p.product + "#" + std::to_string(p.instance) + " " + p.field);
  }
  return keys;
}

// Drives one process through the engine the way its users would, keeping state and trail.
// Do needs the command to be accepted (a refusal fails the test and changes nothing); Try
// only asks. Copyable, so a test can branch off a walked state.
class ProcessDriver {
 public:
  explicit ProcessDriver(const Definition& definition) : definition_(&definition) {}

  // Returns the command's events (empty for a no-op or a refusal).
  std::vector<Event> Do(const Command& command, const Actor& actor, Time now) {
    Accepted accepted = ExpectAccepted(Execute(*definition_, state_, command, actor, now));
    if (!accepted.events.empty()) state_ = std::move(accepted.state);
    trail_.insert(trail_.end(), accepted.events.begin(), accepted.events.end());
    return accepted.events;
  }
  Decision Try(const Command& command, const Actor& actor, Time now) const {
    return Execute(*definition_, state_, command, actor, now);
  }

  const Definition& definition() const { return *definition_; }
  const ProcessState& state() const { return state_; }
  const std::vector<Event>& trail() const { return trail_; }
  // An hour after the last event: for commands whose time does not matter.
  Time Later() const { return state_.updated_at + std::chrono::hours(1); }

 private:
  const Definition* definition_;
  ProcessState state_;
  std::vector<Event> trail_;
};

// One command of a scripted walk: what, by whom, when.
struct WalkStep {
  Command command;
  Actor actor;
  const char* at;
};

// The standard process from kaders (kadernotitie adopted, capaciteit saved) to afgerond,
// with complete products and times from 2026-03-04 to 2026-05-02.
inline std::vector<WalkStep> StandardWalkFromGesprek() {
  return {
      {TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), "2026-03-04T09:00:00.000Z"},
      {SaveProduct{"gespreksplan", 0, CompleteGespreksplan()}, Adviseur(),
       "2026-03-05T09:00:00.000Z"},
      {SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag("2026-03-10")}, Adviseur(),
       "2026-03-11T09:00:00.000Z"},
      {TakeTransition{"naar_duiden", std::nullopt}, Adviseur(), "2026-03-12T09:00:00.000Z"},
      {SaveProduct{"opbrengstendocument", 0, CompleteOpbrengstendocument()}, Adviseur(),
       "2026-03-20T09:00:00.000Z"},
      {TakeTransition{"naar_terugkoppeling", std::nullopt}, Adviseur(), "2026-03-21T09:00:00.000Z"},
      {SaveProduct{"terugkoppelingsbericht", 0, CompleteTerugkoppelingsbericht()}, Adviseur(),
       "2026-03-25T09:00:00.000Z"},
      {TakeTransition{"naar_besluit", std::nullopt}, Adviseur(), "2026-03-26T09:00:00.000Z"},
      {SaveProduct{"besluit", 0, CompleteBesluit("2026-04-15")}, Bestuur(),
       "2026-04-15T20:00:00.000Z"},
      {SaveProduct{"besluitterugkoppeling", 0, CompleteBesluitterugkoppeling()}, Adviseur(),
       "2026-04-20T09:00:00.000Z"},
      {TakeTransition{"naar_evaluatie", std::nullopt}, Adviseur(), "2026-04-21T09:00:00.000Z"},
      {SaveProduct{"evaluatie", 0, CompleteEvaluatie()}, Manager(), "2026-05-01T09:00:00.000Z"},
      {TakeTransition{"afronden", std::nullopt}, Manager(), "2026-05-02T09:00:00.000Z"},
  };
}

// How far WalkTo goes into its target state.
enum class Readiness {
  kJustEntered,   // the command that entered the state was the last one
  kReadyToLeave,  // also every product the state's forward transition needs
};

// Drives a new process of standaard-participatie or participatiebeleid to `state` along the
// forward path, with the fixtures' products and fixed times in 2026, by the roles the contract
// names. gestopt is reached by stopping in kaders. Fails the test for a state it cannot reach.
inline ProcessDriver WalkTo(const Definition& definition, const std::string& state,
                            Readiness readiness = Readiness::kReadyToLeave) {
  using Step = WalkStep;
  std::vector<Step> steps;
  if (definition.key == "participatiebeleid") {
    steps = {
        {CreateProcess{"b-1", "Participatiebeleid 2026"}, Manager(), "2026-01-05T09:00:00.000Z"},
        {SaveProduct{"beleid", 0, CompleteBeleid(24)}, Adviseur(), "2026-01-06T09:00:00.000Z"},
        {TakeTransition{"vaststellen", std::nullopt}, Bestuur(), "2026-01-07T09:00:00.000Z"},
        {TakeTransition{"intrekken", "Vervangen door nieuw beleid"}, Bestuur(),
         "2026-06-01T09:00:00.000Z"},
    };
  } else {
    steps = {
        {CreateProcess{"p-1", "Marktplein"}, Adviseur(), "2026-03-01T09:00:00.000Z"},
        {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
         "2026-03-02T09:00:00.000Z"},
        {AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"},
        {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), "2026-03-03T10:00:00.000Z"},
    };
    if (state == "gestopt") {
      steps.push_back({SaveProduct{"stopbericht", 0, CompleteStopbericht()}, Manager(),
                       "2026-03-03T11:00:00.000Z"});
      steps.push_back({StopProcess{}, Bestuur(), "2026-03-03T12:00:00.000Z"});
    } else {
      std::vector<WalkStep> rest = StandardWalkFromGesprek();
      steps.insert(steps.end(), rest.begin(), rest.end());
    }
  }
  ProcessDriver driver(definition);
  for (const Step& step : steps) {
    if (driver.state().state == state) {
      const bool leaves = std::holds_alternative<TakeTransition>(step.command) ||
                          std::holds_alternative<StopProcess>(step.command);
      if (readiness == Readiness::kJustEntered || leaves) return driver;
    }
    driver.Do(step.command, step.actor, At(step.at));
  }
  EXPECT_EQ(driver.state().state, state) << "WalkTo cannot reach this state";
  return driver;
}

}  // namespace navolg::testing
