// Product rules as a user meets them when saving: invalid values are refused with a code and
// the field's path, incomplete drafts are kept and reported, inbreng ids are handed out once,
// repeating products are numbered without gaps, and only the editors may edit, in their phase.
#include "engine/product_rules.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/guards.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

const Definition& Workflow(const std::string& key) {
  static const Definition standard = LoadWorkflow("standaard-participatie");
  static const Definition beleid = LoadWorkflow("participatiebeleid");
  return key == "participatiebeleid" ? beleid : standard;
}

ProcessDriver Entered(const char* state, const char* workflow = "standaard-participatie") {
  return WalkTo(Workflow(workflow), state, Readiness::kJustEntered);
}

std::vector<std::string> Ids(const json& content) {
  std::vector<std::string> ids;
  for (const json& item : content.at("inbreng")) ids.push_back(item.at("id").get<std::string>());
  return ids;
}

TEST(ProductRulesTest, InvalidValuesAreRefusedWithCodeAndPath) {
  struct Case {
    const char* state;  // standard process, just entered; "concept" is participatiebeleid
    const char* product;
    std::int64_t instance;
    const char* content;  // JSON text, as a client sends it
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {"kaders", "kadernotitie", 0, R"({"onderwerp": 12})", "verkeerd_type", "onderwerp"},
      {"kaders", "kadernotitie", 0, R"({"terugkoppeltermijn_dagen": 0})", "buiten_grenzen",
       "terugkoppeltermijn_dagen"},
      {"kaders", "kadernotitie", 0, R"({"terugkoppeltermijn_dagen": 366})", "buiten_grenzen",
       "terugkoppeltermijn_dagen"},
      {"kaders", "kadernotitie", 0, R"({"terugkoppeltermijn_dagen": -5})", "buiten_grenzen",
       "terugkoppeltermijn_dagen"},
      {"kaders", "kadernotitie", 0, R"({"terugkoppeltermijn_dagen": 3.5})", "verkeerd_type",
       "terugkoppeltermijn_dagen"},
      {"kaders", "kadernotitie", 0, R"({"terugkoppeltermijn_dagen": 30.0})", "verkeerd_type",
       "terugkoppeltermijn_dagen"},
      {"kaders", "kadernotitie", 0, R"({"terugkoppeltermijn_dagen": "30"})", "verkeerd_type",
       "terugkoppeltermijn_dagen"},
      {"kaders", "kadernotitie", 0, R"({"kleur": "rood"})", "onbekend_veld", "kleur"},
      {"kaders", "kadernotitie", 0, R"({"besluitvormer": "koning"})", "onbekende_keuze",
       "besluitvormer"},
      {"kaders", "kadernotitie", 0, R"({"besluitvormer": 3})", "verkeerd_type", "besluitvormer"},
      {"kaders", "kadernotitie", 0, R"({"doelgroepen": ["bewoners", "bewoners"]})",
       "dubbele_waarde", "doelgroepen[2]"},
      {"kaders", "kadernotitie", 0, R"({"doelgroepen": ["bewoners", ""]})", "verkeerd_type",
       "doelgroepen[2]"},
      {"kaders", "kadernotitie", 0, R"({"doelgroepen": "bewoners"})", "verkeerd_type",
       "doelgroepen"},
      {"kaders", "kadernotitie", 0, R"(["onderwerp"])", "verkeerd_type", ""},
      {"kaders", "capaciteit", 0, R"({"uren": -1})", "buiten_grenzen", "uren"},
      {"gesprek", "gespreksplan", 0, R"({"vormen": ["fax"]})", "onbekende_keuze", "vormen[1]"},
      {"gesprek", "gespreksplan", 0, R"({"vormen": ["enquete", "enquete"]})", "dubbele_waarde",
       "vormen[2]"},
      {"gesprek", "gespreksverslag", 1, R"({"datum": "2026-02-30"})", "ongeldige_datum", "datum"},
      {"gesprek", "gespreksverslag", 1, R"({"datum": "01-03-2026"})", "ongeldige_datum", "datum"},
      {"gesprek", "gespreksverslag", 1, R"({"datum": 20260301})", "verkeerd_type", "datum"},
      {"gesprek", "gespreksverslag", 1, R"({"vorm": "fax"})", "onbekende_keuze", "vorm"},
      {"gesprek", "gespreksverslag", 1, R"({"aantal_deelnemers": 3.5})", "verkeerd_type",
       "aantal_deelnemers"},
      {"gesprek", "gespreksverslag", 1, R"({"inbreng": [{"tekst": "x", "kleur": "rood"}]})",
       "onbekend_veld", "inbreng[1].kleur"},
      {"gesprek", "gespreksverslag", 1, R"({"inbreng": ["Meer bomen"]})", "verkeerd_type",
       "inbreng[1]"},
      {"gesprek", "gespreksverslag", 1, R"({"inbreng": [{"tekst": "x"}, {"tekst": 5}]})",
       "verkeerd_type", "inbreng[2].tekst"},
      {"concept", "beleid", 0, R"({"evaluatie_na_maanden": 0})", "buiten_grenzen",
       "evaluatie_na_maanden"},
      {"concept", "beleid", 0, R"({"evaluatie_na_maanden": 61})", "buiten_grenzen",
       "evaluatie_na_maanden"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.product) + " " + c.content);
    const char* workflow =
        c.state == std::string("concept") ? "participatiebeleid" : "standaard-participatie";
    ProcessDriver driver = Entered(c.state, workflow);
    const ProductSpec* spec = driver.definition().Product(c.product);
    ASSERT_NE(spec, nullptr);
    Refusal refusal =
        ExpectRefused(driver.Try(SaveProduct{c.product, c.instance, json::parse(c.content)},
                                 WithRole(spec->editors[0]), driver.Later()));
    EXPECT_EQ(refusal.kind, RefusalKind::kInvalid);
    EXPECT_EQ(ProblemKeys(refusal.problems),
              std::vector<std::string>{std::string(c.code) + " " + c.product + "#" +
                                       std::to_string(c.instance) + " " + c.field});
  }
}

TEST(ProductRulesTest, ValuesOnTheBoundsAreAccepted) {
  struct Case {
    const char* state;
    const char* product;
    const char* content;
  };
  const Case cases[] = {
      {"kaders", "kadernotitie", R"({"terugkoppeltermijn_dagen": 1})"},
      {"kaders", "kadernotitie", R"({"terugkoppeltermijn_dagen": 365})"},
      {"kaders", "capaciteit", R"({"uren": 0, "budget_euro": 0})"},
      {"concept", "beleid", R"({"evaluatie_na_maanden": 1})"},
      {"concept", "beleid", R"({"evaluatie_na_maanden": 60})"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.product) + " " + c.content);
    const char* workflow =
        c.state == std::string("concept") ? "participatiebeleid" : "standaard-participatie";
    ProcessDriver driver = Entered(c.state, workflow);
    const ProductSpec* spec = driver.definition().Product(c.product);
    std::vector<Event> events = driver.Do(SaveProduct{c.product, 0, json::parse(c.content)},
                                          WithRole(spec->editors[0]), driver.Later());
    ASSERT_EQ(EventTypes(events), std::vector<std::string>{"product.saved"});
    EXPECT_EQ(events[0].data["content"], json::parse(c.content));
  }
}

std::string Repeat(const std::string& piece, std::int64_t times) {
  std::string text;
  for (std::int64_t i = 0; i < times; ++i) text += piece;
  return text;
}

// Each text field holds at most its max_length characters (the type's default here):
// 'é' is one character, so 200 of them fit a text field although they take 400 bytes.
TEST(ProductRulesTest, TextsAreBoundedInCharacters) {
  struct Case {
    const char* state;
    const char* product;
    std::int64_t instance;
    json content;
    const char* field;  // empty: accepted
    const char* detail;
  };
  const Case cases[] = {
      {"kaders", "kadernotitie", 0, {{"onderwerp", Repeat("é", 200)}}, "", ""},
      {"kaders",
       "kadernotitie",
       0,
       {{"onderwerp", Repeat("é", 201)}},
       "onderwerp",
       "'Onderwerp' is te lang: 201 tekens, hoogstens 200."},
      {"kaders", "kadernotitie", 0, {{"aanleiding", Repeat("a", 20'000)}}, "", ""},
      {"kaders",
       "kadernotitie",
       0,
       {{"aanleiding", Repeat("€", 20'001)}},
       "aanleiding",
       "'Aanleiding' is te lang: 20001 tekens, hoogstens 20000."},
      {"kaders", "kadernotitie", 0, {{"doelgroepen", {"bewoners", Repeat("x", 1'000)}}}, "", ""},
      {"kaders",
       "kadernotitie",
       0,
       {{"doelgroepen", {"bewoners", Repeat("x", 1'001)}}},
       "doelgroepen[2]",
       "'Doelgroepen' is te lang: 1001 tekens, hoogstens 1000."},
      {"gesprek",
       "gespreksverslag",
       1,
       {{"inbreng", {{{"tekst", Repeat("b", 20'001)}}}}},
       "inbreng[1].tekst",
       "'Tekst' is te lang: 20001 tekens, hoogstens 20000."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.product) + " " + c.field);
    ProcessDriver driver = Entered(c.state);
    const ProductSpec* spec = driver.definition().Product(c.product);
    ASSERT_NE(spec, nullptr);
    SaveProduct command{c.product, c.instance, c.content};
    if (*c.field == '\0') {
      EXPECT_EQ(EventTypes(driver.Do(command, WithRole(spec->editors[0]), driver.Later())),
                std::vector<std::string>{"product.saved"});
      continue;
    }
    Refusal refusal =
        ExpectRefused(driver.Try(command, WithRole(spec->editors[0]), driver.Later()));
    EXPECT_EQ(refusal.kind, RefusalKind::kInvalid);
    ASSERT_EQ(refusal.problems.size(), 1u);
    EXPECT_EQ(refusal.problems[0].code, "te_lang");
    EXPECT_EQ(refusal.problems[0].field, c.field);
    EXPECT_EQ(refusal.problems[0].detail, c.detail);
  }
}

// A definition's own max_length replaces the type's default, in either direction.
TEST(ProductRulesTest, MaxLengthFromTheDefinition) {
  json document = json::parse(ReadRepoFile("workflows/standaard-participatie.json"));
  document["products"][0]["fields"][0]["max_length"] = 5;    // onderwerp, text
  document["products"][0]["fields"][1]["max_length"] = 300;  // aanleiding, longtext
  ParsedDefinition parsed = ParseDefinition(document);
  ASSERT_TRUE(parsed.definition) << parsed.errors.size();
  const ProductSpec& spec = *parsed.definition->Product("kadernotitie");
  const Date today = *ParseDate("2026-03-01");
  EXPECT_TRUE(InvalidValues(spec, 1, {{"onderwerp", "ééééé"}}, today).empty());
  std::vector<Problem> problems = InvalidValues(spec, 1, {{"onderwerp", "éééééé"}}, today);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].detail, "'Onderwerp' is te lang: 6 tekens, hoogstens 5.");
  EXPECT_EQ(InvalidValues(spec, 1, {{"aanleiding", Repeat("a", 301)}}, today).size(), 1u);
  // The defaults of the types that were not changed.
  EXPECT_EQ(spec.Field("doel")->max_length, kDefaultLongtextLength);
  EXPECT_EQ(spec.Field("doelgroepen")->max_length, kDefaultTextlistEntryLength);
  EXPECT_EQ(spec.Field("terugkoppeltermijn_dagen")->max_length, 0);
}

TEST(ProductRulesTest, GespreksverslagDatumNotAfterTodayInAmsterdam) {
  struct Case {
    const char* now;
    const char* datum;
    bool accepted;
  };
  const Case cases[] = {
      // Winter (CET, UTC+1): 2026-03-12 begins at 2026-03-11T23:00:00Z.
      {"2026-03-11T22:59:59.999Z", "2026-03-12", false},
      {"2026-03-11T22:59:59.999Z", "2026-03-11", true},
      {"2026-03-11T23:00:00.000Z", "2026-03-12", true},
      {"2026-03-11T23:00:00.000Z", "2026-03-13", false},
      // Summer (CEST, UTC+2): 2026-06-12 begins at 2026-06-11T22:00:00Z.
      {"2026-06-11T21:59:59.999Z", "2026-06-12", false},
      {"2026-06-11T22:00:00.000Z", "2026-06-12", true},
  };
  const ProcessDriver gesprek = Entered("gesprek");
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.datum) + " at " + c.now);
    Decision decision = gesprek.Try(
        SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag(c.datum)}, Adviseur(), At(c.now));
    if (c.accepted) {
      EXPECT_EQ(EventTypes(ExpectAccepted(std::move(decision)).events),
                std::vector<std::string>{"product.saved"});
    } else {
      Refusal refusal = ExpectRefused(std::move(decision));
      EXPECT_EQ(refusal.kind, RefusalKind::kInvalid);
      EXPECT_EQ(ProblemKeys(refusal.problems),
                std::vector<std::string>{"datum_in_toekomst gespreksverslag#1 datum"});
    }
  }
}

TEST(ProductRulesTest, IncompleteDraftsAreKeptAndReported) {
  ProcessDriver driver = Entered("kaders");
  const ProductSpec& kadernotitie = *driver.definition().Product("kadernotitie");
  EXPECT_EQ(ProblemKeys(IncompleteProduct(kadernotitie, driver.state())),
            std::vector<std::string>{"product_ontbreekt kadernotitie#0 "});
  std::vector<Event> events = driver.Do(
      SaveProduct{"kadernotitie", 0, {{"onderwerp", "Marktplein"}, {"vastgelegd", json::array()}}},
      Adviseur(), driver.Later());
  ASSERT_EQ(EventTypes(events), std::vector<std::string>{"product.saved"});
  EXPECT_EQ(
      ProblemKeys(IncompleteProduct(kadernotitie, driver.state())),
      (std::vector<std::string>{
          "veld_ontbreekt kadernotitie#0 doel", "veld_ontbreekt kadernotitie#0 vastgelegd",
          "veld_ontbreekt kadernotitie#0 ruimte", "veld_ontbreekt kadernotitie#0 besluitvormer",
          "veld_ontbreekt kadernotitie#0 participatieniveau",
          "veld_ontbreekt kadernotitie#0 doelgroepen",
          "veld_ontbreekt kadernotitie#0 terugkoppeltermijn_dagen"}));

  ProcessDriver gesprek = Entered("gesprek");
  const ProductSpec& verslag = *gesprek.definition().Product("gespreksverslag");
  EXPECT_TRUE(IncompleteProduct(verslag, gesprek.state()).empty());  // min_count's job
  gesprek.Do(
      SaveProduct{"gespreksverslag", 1, {{"datum", "2026-03-01"}, {"inbreng", {{{"tekst", ""}}}}}},
      Adviseur(), gesprek.Later());
  EXPECT_EQ(ProblemKeys(IncompleteProduct(verslag, gesprek.state())),
            (std::vector<std::string>{"veld_ontbreekt gespreksverslag#1 vorm",
                                      "veld_ontbreekt gespreksverslag#1 aantal_deelnemers",
                                      "veld_ontbreekt gespreksverslag#1 inbreng[1].tekst"}));
  EXPECT_EQ(IncompleteProduct(verslag, gesprek.state())[2].detail,
            "Vul 'Tekst' in bij Inbreng 1 bij Gespreksverslag 1.");
}

TEST(ProductRulesTest, InbrengIdsAreAssignedKeptAndNeverReused) {
  ProcessDriver driver = Entered("gesprek");
  json verslag = CompleteGespreksverslag("2026-03-01");
  verslag["inbreng"] = {{{"tekst", "a"}},
                        {{"id", "eigen-1"}, {"tekst", "b"}},
                        {{"id", ""}, {"tekst", "c"}},
                        {{"tekst", "d"}}};
  std::vector<Event> events =
      driver.Do(SaveProduct{"gespreksverslag", 1, verslag}, Adviseur(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  // The saved event carries the assigned ids, so the client gets them back.
  EXPECT_EQ(Ids(events[0].data["content"]),
            (std::vector<std::string>{"inbreng-1", "eigen-1", "inbreng-2", "inbreng-3"}));

  // inbreng-2 and inbreng-3 are removed; the new item does not get their numbers back.
  verslag["inbreng"] = {
      {{"id", "inbreng-1"}, {"tekst", "a"}}, {{"id", "eigen-1"}, {"tekst", "b"}}, {{"tekst", "e"}}};
  events = driver.Do(SaveProduct{"gespreksverslag", 1, verslag}, Adviseur(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Ids(events[0].data["content"]),
            (std::vector<std::string>{"inbreng-1", "eigen-1", "inbreng-4"}));

  // A new id skips one the writer gave, and later ones skip it too.
  verslag["inbreng"] = {{{"tekst", "f"}}, {{"id", "inbreng-5"}, {"tekst", "g"}}};
  events = driver.Do(SaveProduct{"gespreksverslag", 2, verslag}, Adviseur(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Ids(events[0].data["content"]), (std::vector<std::string>{"inbreng-6", "inbreng-5"}));
  verslag["inbreng"] = {{{"tekst", "h"}}};
  events = driver.Do(SaveProduct{"gespreksverslag", 3, verslag}, Adviseur(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Ids(events[0].data["content"]), std::vector<std::string>{"inbreng-7"});
}

TEST(ProductRulesTest, InbrengIdsAreUniqueAcrossVerslagen) {
  ProcessDriver driver = Entered("gesprek");
  driver.Do(SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag("2026-03-01")}, Adviseur(),
            driver.Later());  // inbreng-1, inbreng-2
  struct Case {
    json inbreng;
    const char* field;
  };
  const Case cases[] = {
      {{{{"tekst", "x"}}, {{"id", "inbreng-2"}, {"tekst", "y"}}}, "inbreng[2].id"},
      {{{{"id", "z"}, {"tekst", "x"}}, {{"id", "z"}, {"tekst", "y"}}}, "inbreng[2].id"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.inbreng.dump());
    json verslag = CompleteGespreksverslag("2026-03-02");
    verslag["inbreng"] = c.inbreng;
    Refusal refusal = ExpectRefused(
        driver.Try(SaveProduct{"gespreksverslag", 2, verslag}, Adviseur(), driver.Later()));
    EXPECT_EQ(refusal.kind, RefusalKind::kInvalid);
    EXPECT_EQ(ProblemKeys(refusal.problems),
              std::vector<std::string>{std::string("dubbele_id gespreksverslag#2 ") + c.field});
  }
  // Re-saving verslag 1 with its own ids is no clash, and a refused save used up no number.
  json own = driver.state().Instances("gespreksverslag")[0].current.content;
  own["aantal_deelnemers"] = 41;
  driver.Do(SaveProduct{"gespreksverslag", 1, own}, Adviseur(), driver.Later());
  json verslag = CompleteGespreksverslag("2026-03-02");
  verslag["inbreng"] = {{{"tekst", "x"}}};
  std::vector<Event> events =
      driver.Do(SaveProduct{"gespreksverslag", 2, verslag}, Adviseur(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Ids(events[0].data["content"]), std::vector<std::string>{"inbreng-3"});
}

TEST(ProductRulesTest, RepeatingInstancesAreNumberedWithoutGaps) {
  struct Step {
    const char* product;
    std::int64_t instance;
    const char* code;  // empty: saved
    std::int64_t version;
  };
  const Step steps[] = {
      {"gespreksverslag", 2, "exemplaar_onbekend", 0},
      {"gespreksverslag", 0, "exemplaar_onbekend", 0},
      {"gespreksverslag", 1, "", 1},
      {"gespreksverslag", 3, "exemplaar_onbekend", 0},
      {"gespreksverslag", 2, "", 1},
      {"gespreksverslag", 1, "", 2},
      {"gespreksverslag", 3, "", 1},
      {"gespreksplan", 2, "exemplaar_onbekend", 0},
      // A product with one instance has no numbers: 1 is not mapped to it, nor is -1.
      {"gespreksplan", 1, "exemplaar_onbekend", 0},
      {"gespreksplan", -1, "exemplaar_onbekend", 0},
      {"gespreksverslag", -1, "exemplaar_onbekend", 0},
  };
  ProcessDriver driver = Entered("gesprek");
  int n = 0;
  for (const Step& step : steps) {
    SCOPED_TRACE(std::string(step.product) + " " + std::to_string(step.instance));
    json content = CompleteGespreksplan();
    if (step.product == std::string("gespreksverslag")) {
      content = CompleteGespreksverslag("2026-03-01");
      content["aantal_deelnemers"] = ++n;  // every save is a new version
    }
    SaveProduct command{step.product, step.instance, content};
    if (*step.code != '\0') {
      Refusal refusal = ExpectRefused(driver.Try(command, Adviseur(), driver.Later()));
      EXPECT_EQ(refusal.kind, RefusalKind::kNotFound);
      ASSERT_EQ(refusal.problems.size(), 1u);
      EXPECT_EQ(refusal.problems[0].code, step.code);
      continue;
    }
    std::vector<Event> events = driver.Do(command, Adviseur(), driver.Later());
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data["instance"], step.instance);
    EXPECT_EQ(events[0].data["version"], step.version);
  }
  EXPECT_EQ(driver.state().Instances("gespreksverslag").size(), 3u);
}

TEST(ProductRulesTest, NotEditableOutsideItsPhases) {
  struct Case {
    const char* workflow;
    const char* state;
    const char* product;
    Actor actor;
    const char* code;
  };
  const Case cases[] = {
      {"standaard-participatie", "gesprek", "kadernotitie", Adviseur(), "niet_bewerkbaar"},
      {"standaard-participatie", "gesprek", "capaciteit", Manager(), "niet_bewerkbaar"},
      {"standaard-participatie", "kaders", "gespreksplan", Adviseur(), "niet_bewerkbaar"},
      {"standaard-participatie", "kaders", "gespreksverslag", Adviseur(), "niet_bewerkbaar"},
      {"standaard-participatie", "duiden", "gespreksverslag", Adviseur(), "niet_bewerkbaar"},
      {"standaard-participatie", "terugkoppeling", "opbrengstendocument", Adviseur(),
       "niet_bewerkbaar"},
      {"standaard-participatie", "evaluatie", "besluit", Bestuur(), "niet_bewerkbaar"},
      {"standaard-participatie", "besluit", "evaluatie", Manager(), "niet_bewerkbaar"},
      {"participatiebeleid", "vastgesteld", "beleid", Manager(), "niet_bewerkbaar"},
      {"standaard-participatie", "afgerond", "stopbericht", Manager(), "proces_afgesloten"},
      {"standaard-participatie", "gestopt", "evaluatie", Adviseur(), "proces_afgesloten"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.product) + " in " + c.state);
    ProcessDriver driver = WalkTo(Workflow(c.workflow), c.state, Readiness::kJustEntered);
    Refusal refusal = ExpectRefused(
        driver.Try(SaveProduct{c.product, 1, json::object()}, c.actor, driver.Later()));
    EXPECT_EQ(refusal.kind, RefusalKind::kConflict);
    ASSERT_EQ(refusal.problems.size(), 1u);
    EXPECT_EQ(refusal.problems[0].code, c.code);
  }
}

TEST(ProductRulesTest, OnlyEditorsSave) {
  struct Case {
    const char* workflow;
    const char* state;
    const char* product;
    std::vector<std::string> editors;
    json content;
  };
  const Case cases[] = {
      {"standaard-participatie", "kaders", "kadernotitie", {"adviseur"}, CompleteKadernotitie()},
      {"standaard-participatie", "kaders", "capaciteit", {"manager"}, CompleteCapaciteit()},
      {"standaard-participatie", "gesprek", "gespreksplan", {"adviseur"}, CompleteGespreksplan()},
      {"standaard-participatie",
       "gesprek",
       "gespreksverslag",
       {"adviseur"},
       CompleteGespreksverslag("2026-03-01")},
      {"standaard-participatie",
       "duiden",
       "opbrengstendocument",
       {"adviseur"},
       CompleteOpbrengstendocument()},
      {"standaard-participatie",
       "terugkoppeling",
       "terugkoppelingsbericht",
       {"adviseur"},
       CompleteTerugkoppelingsbericht()},
      {"standaard-participatie",
       "besluit",
       "besluit",
       {"adviseur", "bestuur"},
       CompleteBesluit("2026-04-15")},
      {"standaard-participatie",
       "besluit",
       "besluitterugkoppeling",
       {"adviseur"},
       CompleteBesluitterugkoppeling()},
      {"standaard-participatie",
       "evaluatie",
       "evaluatie",
       {"adviseur", "manager"},
       CompleteEvaluatie()},
      {"standaard-participatie",
       "duiden",
       "stopbericht",
       {"bestuur", "manager"},
       CompleteStopbericht()},
      {"participatiebeleid", "concept", "beleid", {"adviseur", "manager"}, CompleteBeleid(24)},
  };
  for (const Case& c : cases) {
    const ProcessDriver driver = WalkTo(Workflow(c.workflow), c.state, Readiness::kJustEntered);
    EXPECT_EQ(driver.definition().Product(c.product)->editors, c.editors) << c.product;
    for (const std::string& role : AllRoles()) {
      SCOPED_TRACE(std::string(c.product) + " by " + role);
      const std::int64_t instance = driver.definition().Product(c.product)->repeating ? 1 : 0;
      Decision decision =
          driver.Try(SaveProduct{c.product, instance, c.content}, WithRole(role), driver.Later());
      if (std::find(c.editors.begin(), c.editors.end(), role) != c.editors.end()) {
        Accepted accepted = ExpectAccepted(std::move(decision));
        ASSERT_FALSE(accepted.events.empty());
        EXPECT_EQ(accepted.events[0].type, "product.saved");
        EXPECT_EQ(accepted.events[0].actor.role, role);
      } else {
        Refusal refusal = ExpectRefused(std::move(decision));
        EXPECT_EQ(refusal.kind, RefusalKind::kForbidden);
        ASSERT_EQ(refusal.problems.size(), 1u);
        EXPECT_EQ(refusal.problems[0].code, "rol_niet_toegestaan");
      }
    }
  }
}

TEST(ProductRulesTest, MotivatieRequiredUnlessOvergenomen) {
  struct Case {
    const char* besluit;
    const char* motivatie;  // nullptr: not given
    bool missing;
  };
  const Case cases[] = {
      {"overgenomen", nullptr, false},          {"deels_overgenomen", nullptr, true},
      {"niet_overgenomen", nullptr, true},      {"buiten_kaders", nullptr, true},
      {"al_voorzien", nullptr, true},           {"niet_overgenomen", "", true},
      {"niet_overgenomen", "Past niet", false}, {"al_voorzien", "Staat al in plan", false},
  };
  const ProcessDriver duiden = Entered("duiden");
  const ProductSpec& spec = *duiden.definition().Product("opbrengstendocument");
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.besluit) + " / " + (c.motivatie ? c.motivatie : "(none)"));
    ProcessDriver driver = duiden;
    json document = CompleteOpbrengstendocument();
    document["reacties"][0] = {{"inbreng", "inbreng-1"}, {"besluit", c.besluit}};
    if (c.motivatie != nullptr) document["reacties"][0]["motivatie"] = c.motivatie;
    driver.Do(SaveProduct{"opbrengstendocument", 0, document}, Adviseur(), driver.Later());
    EXPECT_EQ(ProblemKeys(IncompleteProduct(spec, driver.state())),
              c.missing ? std::vector<std::string>{"veld_ontbreekt opbrengstendocument#0 "
                                                   "reacties[1].motivatie"}
                        : std::vector<std::string>{});
  }
}

}  // namespace
}  // namespace navolg
