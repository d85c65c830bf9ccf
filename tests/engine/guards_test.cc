// Guards: each kind refuses with its own code when its condition fails, a refusal lists every
// failing guard of the transition, adoption covers exactly one version, "answered exactly
// once" checks every inbreng across all gespreksverslagen, and motivations must say something.
#include <gtest/gtest.h>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

ProcessDriver Entered(const char* state) {
  return WalkTo(Standard(), state, Readiness::kJustEntered);
}
ProcessDriver Ready(const char* state) { return WalkTo(Standard(), state); }

void Save(ProcessDriver& driver, const char* product, json content, const Actor& actor,
          std::int64_t instance = 0) {
  driver.Do(SaveProduct{product, instance, std::move(content)}, actor, driver.Later());
}

struct GuardCase {
  const char* name;
  ProcessDriver (*setup)();
  const char* transition;
  Actor actor;
  std::vector<std::string> problems;  // ProblemKeys of the refusal, in definition order
};

const std::vector<GuardCase>& GuardCases() {
  static const std::vector<GuardCase> kCases = {
      {"nothing saved in kaders: every guard of naar_gesprek at once",
       [] { return Entered("kaders"); },
       "naar_gesprek",
       Adviseur(),
       {"product_ontbreekt kadernotitie#0 ", "niet_vastgesteld kadernotitie#0 ",
        "product_ontbreekt capaciteit#0 "}},
      {"incomplete, unadopted kadernotitie and incomplete capaciteit",
       [] {
         ProcessDriver d = Entered("kaders");
         json kadernotitie = CompleteKadernotitie();
         kadernotitie.erase("doel");
         kadernotitie.erase("terugkoppeltermijn_dagen");
         Save(d, "kadernotitie", kadernotitie, Adviseur());
         Save(d, "capaciteit", {{"adviseur", "u-adviseur"}}, Manager());
         return d;
       },
       "naar_gesprek",
       Manager(),
       {"veld_ontbreekt kadernotitie#0 doel",
        "veld_ontbreekt kadernotitie#0 terugkoppeltermijn_dagen",
        "niet_vastgesteld kadernotitie#0 ", "veld_ontbreekt capaciteit#0 uren"}},
      {"complete kadernotitie never adopted",
       [] {
         ProcessDriver d = Entered("kaders");
         Save(d, "kadernotitie", CompleteKadernotitie(), Adviseur());
         Save(d, "capaciteit", CompleteCapaciteit(), Manager());
         return d;
       },
       "naar_gesprek",
       Adviseur(),
       {"niet_vastgesteld kadernotitie#0 "}},
      {"nothing saved in gesprek",
       [] { return Entered("gesprek"); },
       "naar_duiden",
       Adviseur(),
       {"product_ontbreekt gespreksplan#0 ", "te_weinig gespreksverslag#0 "}},
      {"second gespreksverslag incomplete",
       [] {
         ProcessDriver d = Ready("gesprek");
         Save(d, "gespreksverslag", {{"datum", "2026-03-11"}, {"inbreng", {json::object()}}},
              Adviseur(), 2);
         return d;
       },
       "naar_duiden",
       Adviseur(),
       {"veld_ontbreekt gespreksverslag#2 vorm",
        "veld_ontbreekt gespreksverslag#2 aantal_deelnemers",
        "veld_ontbreekt gespreksverslag#2 inbreng[1].tekst"}},
      {"no motivation to go back",
       [] { return Ready("duiden"); },
       "terug_naar_gesprek",
       Adviseur(),
       {"motivatie_ontbreekt #0 motivatie"}},
      {"no opbrengstendocument: both inbreng unanswered",
       [] { return Entered("duiden"); },
       "naar_terugkoppeling",
       Adviseur(),
       {"product_ontbreekt opbrengstendocument#0 ",
        "niet_beantwoord opbrengstendocument#0 reacties",
        "niet_beantwoord opbrengstendocument#0 reacties"}},
      {"reactie without the motivatie its besluit needs",
       [] {
         ProcessDriver d = Entered("duiden");
         json document = CompleteOpbrengstendocument();
         document["reacties"][1].erase("motivatie");
         Save(d, "opbrengstendocument", document, Adviseur());
         return d;
       },
       "naar_terugkoppeling",
       Adviseur(),
       {"veld_ontbreekt opbrengstendocument#0 reacties[2].motivatie"}},
      {"no terugkoppelingsbericht: no doelgroep reached",
       [] { return Entered("terugkoppeling"); },
       "naar_besluit",
       Adviseur(),
       {"product_ontbreekt terugkoppelingsbericht#0 ",
        "ontbreekt_in_lijst terugkoppelingsbericht#0 doelgroepen",
        "ontbreekt_in_lijst terugkoppelingsbericht#0 doelgroepen"}},
      {"terugkoppelingsbericht misses a doelgroep of the kadernotitie",
       [] {
         ProcessDriver d = Entered("terugkoppeling");
         json bericht = CompleteTerugkoppelingsbericht();
         bericht["doelgroepen"] = {"bewoners", "scholen"};
         Save(d, "terugkoppelingsbericht", bericht, Adviseur());
         return d;
       },
       "naar_besluit",
       Adviseur(),
       {"ontbreekt_in_lijst terugkoppelingsbericht#0 doelgroepen"}},
      {"nothing saved in besluit",
       [] { return Entered("besluit"); },
       "naar_evaluatie",
       Adviseur(),
       {"product_ontbreekt besluit#0 ", "product_ontbreekt besluitterugkoppeling#0 "}},
      {"evaluatie with an incomplete verbeterpunt",
       [] {
         ProcessDriver d = Entered("evaluatie");
         Save(d, "evaluatie", {{"verbeterpunten", {{{"tekst", "Eerder beginnen"}}}}}, Manager());
         return d;
       },
       "afronden",
       Manager(),
       {"veld_ontbreekt evaluatie#0 wat_ging_goed",
        "veld_ontbreekt evaluatie#0 verbeterpunten[1].rol",
        "veld_ontbreekt evaluatie#0 verbeterpunten[1].niveau"}},
      {"stop in kaders without stopbericht",
       [] { return Entered("kaders"); },
       "stoppen",
       Bestuur(),
       {"product_ontbreekt stopbericht#0 "}},
      {"stop after a gespreksverslag without stopbericht",
       [] { return Ready("gesprek"); },
       "stoppen",
       Manager(),
       {"product_ontbreekt stopbericht#0 ", "veld_ontbreekt stopbericht#0 teruggekoppeld_op"}},
      {"stop after a gespreksverslag without teruggekoppeld_op",
       [] {
         ProcessDriver d = Ready("gesprek");
         Save(d, "stopbericht", {{"reden", "Project geschrapt"}}, Bestuur());
         return d;
       },
       "stoppen",
       Bestuur(),
       {"veld_ontbreekt stopbericht#0 teruggekoppeld_op"}},
      {"beleid never saved",
       [] { return WalkTo(Beleid(), "concept", Readiness::kJustEntered); },
       "vaststellen",
       Bestuur(),
       {"product_ontbreekt beleid#0 "}},
      {"beleid incomplete",
       [] {
         ProcessDriver d = WalkTo(Beleid(), "concept", Readiness::kJustEntered);
         Save(d, "beleid", {{"visie", "Vroeg betrekken"}}, Manager());
         return d;
       },
       "vaststellen",
       Bestuur(),
       {"veld_ontbreekt beleid#0 uitgangspunten", "veld_ontbreekt beleid#0 evaluatie_na_maanden"}},
      {"intrekken without motivation",
       [] { return WalkTo(Beleid(), "vastgesteld"); },
       "intrekken",
       Bestuur(),
       {"motivatie_ontbreekt #0 motivatie"}},
  };
  return kCases;
}

TEST(GuardsTest, EveryFailingGuardIsReportedWithItsCode) {
  for (const GuardCase& c : GuardCases()) {
    SCOPED_TRACE(c.name);
    ProcessDriver driver = c.setup();
    Refusal refusal = ExpectRefused(
        driver.Try(TakeTransition{c.transition, std::nullopt}, c.actor, driver.Later()));
    EXPECT_EQ(refusal.kind, RefusalKind::kConflict);
    EXPECT_EQ(ProblemKeys(refusal.problems), c.problems);
    for (const Problem& p : refusal.problems) EXPECT_FALSE(p.detail.empty()) << p.code;
  }
}

TEST(GuardsTest, FieldSetAppliesOnlyOnceTheProductExists) {
  // In gesprek before any gespreksverslag, a stopbericht with just a reden is enough.
  ProcessDriver driver = Entered("gesprek");
  Save(driver, "stopbericht", {{"reden", "Project geschrapt"}}, Manager());
  std::vector<Event> events = driver.Do(StopProcess{}, Manager(), driver.Later());
  EXPECT_EQ(EventTypes(events), std::vector<std::string>{"process.stopped"});
}

TEST(GuardsTest, AdoptionCoversExactlyTheAdoptedVersion) {
  ProcessDriver driver = Entered("kaders");
  Save(driver, "kadernotitie", CompleteKadernotitie(), Adviseur());
  Save(driver, "capaciteit", CompleteCapaciteit(), Manager());
  const std::string v1 = driver.state().Instances("kadernotitie")[0].current.hash;
  std::vector<Event> events =
      driver.Do(AdoptProduct{"kadernotitie", 0, v1}, Bestuur(), driver.Later());
  ASSERT_EQ(EventTypes(events), std::vector<std::string>{"product.adopted"});
  EXPECT_EQ(events[0].data,
            (json{{"product", "kadernotitie"}, {"instance", 1}, {"version", 1}, {"hash", v1}}));
  ExpectAccepted(
      driver.Try(TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), driver.Later()));

  json changed = CompleteKadernotitie();
  changed["onderwerp"] = "Herinrichting Marktplein en Kerkstraat";
  driver.Do(SaveProduct{"kadernotitie", 0, changed, /*voids_adoption=*/true}, Adviseur(),
            driver.Later());
  Refusal refusal = ExpectRefused(
      driver.Try(TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), driver.Later()));
  EXPECT_EQ(refusal.kind, RefusalKind::kConflict);
  ASSERT_EQ(ProblemKeys(refusal.problems),
            std::vector<std::string>{"niet_vastgesteld kadernotitie#0 "});
  EXPECT_NE(refusal.problems[0].detail.find("versie 1 is vastgesteld"), std::string::npos)
      << refusal.problems[0].detail;
  EXPECT_NE(refusal.problems[0].detail.find("versie 2 is de huidige"), std::string::npos)
      << refusal.problems[0].detail;

  const std::string v2 = driver.state().Instances("kadernotitie")[0].current.hash;
  events = driver.Do(AdoptProduct{"kadernotitie", 0, v2}, Bestuur(), driver.Later());
  ASSERT_EQ(EventTypes(events), std::vector<std::string>{"product.adopted"});
  EXPECT_EQ(events[0].data["version"], 2);
  events = driver.Do(TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), driver.Later());
  EXPECT_EQ(EventTypes(events), std::vector<std::string>{"transition.taken"});
}

TEST(GuardsTest, ResavingIdenticalContentKeepsTheAdoption) {
  ProcessDriver driver = Ready("kaders");
  const std::int64_t version = driver.state().version;
  json same_with_null = CompleteKadernotitie();
  same_with_null["planning"] = nullptr;  // null means "no value": the same content
  for (const json& content : {CompleteKadernotitie(), same_with_null}) {
    std::vector<Event> events =
        driver.Do(SaveProduct{"kadernotitie", 0, content}, Adviseur(), driver.Later());
    EXPECT_TRUE(events.empty()) << EventTypes(events).size();
  }
  EXPECT_EQ(driver.state().version, version);
  EXPECT_TRUE(driver.state().Instances("kadernotitie")[0].adopted());
  ExpectAccepted(
      driver.Try(TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), driver.Later()));
}

TEST(GuardsTest, AdoptionRefusals) {
  struct Case {
    const char* name;
    ProcessDriver (*setup)();
    const char* product;
    Actor actor;
    RefusalKind kind;
    std::vector<std::string> problems;
  };
  const auto incomplete = [] {
    ProcessDriver d = Entered("kaders");
    json kadernotitie = CompleteKadernotitie();
    kadernotitie.erase("doel");
    Save(d, "kadernotitie", kadernotitie, Adviseur());
    return d;
  };
  const auto saved = [] {
    ProcessDriver d = Entered("kaders");
    Save(d, "kadernotitie", CompleteKadernotitie(), Adviseur());
    Save(d, "capaciteit", CompleteCapaciteit(), Manager());
    return d;
  };
  const Case cases[] = {
      {"incomplete",
       incomplete,
       "kadernotitie",
       Bestuur(),
       RefusalKind::kConflict,
       {"veld_ontbreekt kadernotitie#0 doel"}},
      {"never saved",
       [] { return Entered("kaders"); },
       "kadernotitie",
       Bestuur(),
       RefusalKind::kConflict,
       {"product_ontbreekt kadernotitie#0 "}},
      {"by adviseur",
       saved,
       "kadernotitie",
       Adviseur(),
       RefusalKind::kForbidden,
       {"rol_niet_toegestaan kadernotitie#0 "}},
      {"by manager",
       saved,
       "kadernotitie",
       Manager(),
       RefusalKind::kForbidden,
       {"rol_niet_toegestaan kadernotitie#0 "}},
      {"by auditor",
       saved,
       "kadernotitie",
       Auditor(),
       RefusalKind::kForbidden,
       {"rol_niet_toegestaan #0 "}},
      {"by beheerder",
       saved,
       "kadernotitie",
       Beheerder(),
       RefusalKind::kForbidden,
       {"rol_niet_toegestaan #0 "}},
      {"already adopted",
       [] { return Ready("kaders"); },
       "kadernotitie",
       Bestuur(),
       RefusalKind::kConflict,
       {"al_vastgesteld kadernotitie#0 "}},
      {"not a product that is adopted",
       saved,
       "capaciteit",
       Bestuur(),
       RefusalKind::kConflict,
       {"niet_vast_te_stellen capaciteit#0 "}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ProcessDriver driver = c.setup();
    Refusal refusal =
        ExpectRefused(driver.Try(AdoptProduct{c.product, 0, ""}, c.actor, driver.Later()));
    EXPECT_EQ(refusal.kind, c.kind);
    EXPECT_EQ(ProblemKeys(refusal.problems), c.problems);
  }
}

TEST(GuardsTest, AdoptionWithAStaleExpectedHashIsRefused) {
  ProcessDriver driver = Entered("kaders");
  Save(driver, "kadernotitie", CompleteKadernotitie(), Adviseur());
  const std::string read_by_bestuur = driver.state().Instances("kadernotitie")[0].current.hash;
  json changed = CompleteKadernotitie();
  changed["terugkoppeltermijn_dagen"] = 60;
  Save(driver, "kadernotitie", changed, Adviseur());
  Refusal refusal = ExpectRefused(
      driver.Try(AdoptProduct{"kadernotitie", 0, read_by_bestuur}, Bestuur(), driver.Later()));
  EXPECT_EQ(refusal.kind, RefusalKind::kConflict);
  ASSERT_EQ(ProblemKeys(refusal.problems),
            std::vector<std::string>{"versie_gewijzigd kadernotitie#0 "});
  EXPECT_NE(refusal.problems[0].detail.find("versie 2"), std::string::npos);
  EXPECT_FALSE(driver.state().Instances("kadernotitie")[0].adopted());
}

// Duiden with two verslagen: inbreng-1 and inbreng-2 in verslag 1, inbreng-3 in verslag 2.
ProcessDriver DuidenWithTwoVerslagen() {
  ProcessDriver driver = Ready("gesprek");
  json verslag = CompleteGespreksverslag("2026-03-11");
  verslag["inbreng"] = {{{"tekst", "Een speelplek"}}};
  Save(driver, "gespreksverslag", verslag, Adviseur(), 2);
  driver.Do(TakeTransition{"naar_duiden", std::nullopt}, Adviseur(), driver.Later());
  return driver;
}

TEST(GuardsTest, EveryInbrengAnsweredExactlyOnceAcrossVerslagen) {
  struct Expected {
    std::string key;
    std::string in_detail;
  };
  struct Case {
    std::vector<std::string> answered;
    std::vector<Expected> problems;  // empty: the transition is taken
  };
  const std::string reacties = "opbrengstendocument#0 reacties";
  const Case cases[] = {
      {{"inbreng-1", "inbreng-2", "inbreng-3"}, {}},
      {{"inbreng-3", "inbreng-1", "inbreng-2"}, {}},
      {{"inbreng-1", "inbreng-2"},
       {{"niet_beantwoord " + reacties, "'inbreng-3' (Gespreksverslag 2)"}}},
      {{"inbreng-1", "inbreng-2", "inbreng-2", "inbreng-3"},
       {{"dubbel_beantwoord " + reacties, "'inbreng-2' (Gespreksverslag 1) heeft 2 reacties"}}},
      {{"inbreng-1", "inbreng-2", "inbreng-3", "inbreng-9"},
       {{"onbekende_verwijzing " + reacties, "'inbreng-9'"}}},
      {{"inbreng-9", "inbreng-2", "inbreng-2", "inbreng-9"},
       {{"niet_beantwoord " + reacties, "'inbreng-1'"},
        {"dubbel_beantwoord " + reacties, "'inbreng-2'"},
        {"niet_beantwoord " + reacties, "'inbreng-3'"},
        {"onbekende_verwijzing " + reacties, "'inbreng-9'"}}},
  };
  const ProcessDriver duiden = DuidenWithTwoVerslagen();
  for (const Case& c : cases) {
    std::string name;
    for (const std::string& id : c.answered) name += id + " ";
    SCOPED_TRACE(name);
    ProcessDriver driver = duiden;
    json document = CompleteOpbrengstendocument();
    document["reacties"] = json::array();
    for (const std::string& id : c.answered) {
      document["reacties"].push_back({{"inbreng", id}, {"besluit", "overgenomen"}});
    }
    Save(driver, "opbrengstendocument", document, Adviseur());
    Decision decision =
        driver.Try(TakeTransition{"naar_terugkoppeling", std::nullopt}, Adviseur(), driver.Later());
    if (c.problems.empty()) {
      ExpectAccepted(std::move(decision));
      continue;
    }
    Refusal refusal = ExpectRefused(std::move(decision));
    std::vector<std::string> expected_keys;
    for (const Expected& e : c.problems) expected_keys.push_back(e.key);
    ASSERT_EQ(ProblemKeys(refusal.problems), expected_keys);
    for (std::size_t i = 0; i < c.problems.size(); ++i) {
      EXPECT_NE(refusal.problems[i].detail.find(c.problems[i].in_detail), std::string::npos)
          << refusal.problems[i].detail;
    }
  }
}

TEST(GuardsTest, MotivationMustSaySomething) {
  struct Case {
    std::optional<std::string> motivatie;
    bool taken;
  };
  const Case cases[] = {
      {std::nullopt, false},
      {"", false},
      {" \t\r\n ", false},
      {"Te weinig jongeren bereikt", true},
  };
  const ProcessDriver duiden = Ready("duiden");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.motivatie.value_or("(none)"));
    Decision decision =
        duiden.Try(TakeTransition{"terug_naar_gesprek", c.motivatie}, Adviseur(), duiden.Later());
    if (!c.taken) {
      Refusal refusal = ExpectRefused(std::move(decision));
      EXPECT_EQ(refusal.kind, RefusalKind::kConflict);
      EXPECT_EQ(ProblemKeys(refusal.problems),
                std::vector<std::string>{"motivatie_ontbreekt #0 motivatie"});
      continue;
    }
    Accepted accepted = ExpectAccepted(std::move(decision));
    ASSERT_EQ(EventTypes(accepted.events), std::vector<std::string>{"transition.taken"});
    EXPECT_EQ(accepted.events[0].data["motivatie"], *c.motivatie);
    EXPECT_EQ(accepted.state.state, "gesprek");
  }
}

}  // namespace
}  // namespace navolg
