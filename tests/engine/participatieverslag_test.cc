// The participatieverslag's content, from a walked standard process and from the small
// participatiebeleid process: generic, from the definition and the products alone.
#include "engine/participatieverslag.h"

#include <gtest/gtest.h>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;
using Row = std::vector<std::string>;

const VerslagProduct* FindProduct(const Participatieverslag& verslag, const std::string& title) {
  for (const VerslagProduct& product : verslag.products) {
    if (product.title == title) return &product;
  }
  return nullptr;
}

const VerslagField* FindField(const VerslagProduct& product, const std::string& label) {
  for (const VerslagField& field : product.fields) {
    if (field.label == label) return &field;
  }
  return nullptr;
}

// The standard process walked to afgerond with two gespreksverslagen (three points of
// inbreng), each point answered: overgenomen, niet overgenomen, buiten kaders.
ProcessDriver WalkedWithTwoVerslagen() {
  ProcessDriver driver = WalkTo(Standard(), "gesprek");  // gespreksplan and verslag 1 saved
  json second = CompleteGespreksverslag("2026-03-11");
  second["vorm"] = "online_bijeenkomst";
  second["aantal_deelnemers"] = 12;
  second["doelgroepen"] = {"jongeren"};
  second["inbreng"] = {{{"tekst", "Een speelplek"}}};
  driver.Do(SaveProduct{"gespreksverslag", 2, second}, Adviseur(), At("2026-03-11T12:00:00.000Z"));
  const std::vector<WalkStep> rest = StandardWalkFromGesprek();
  for (std::size_t i = 3; i < rest.size(); ++i) {  // from naar_duiden on
    Command command = rest[i].command;
    if (auto* save = std::get_if<SaveProduct>(&command);
        save && save->product == "opbrengstendocument") {
      save->content["reacties"].push_back(
          {{"inbreng", "inbreng-3"}, {"besluit", "buiten_kaders"}, {"motivatie", "Geen ruimte"}});
    }
    driver.Do(command, rest[i].actor, At(rest[i].at));
  }
  EXPECT_EQ(driver.state().state, "afgerond");
  return driver;
}

TEST(ParticipatieverslagTest, EveryInbrengWithItsResponseAndMotivation) {
  const ProcessDriver driver = WalkedWithTwoVerslagen();
  const Participatieverslag verslag =
      BuildParticipatieverslag(Standard(), driver.state(), At("2026-05-03T09:00:00.000Z"));

  ASSERT_EQ(verslag.responses.size(), 1u);
  const VerslagResponses& responses = verslag.responses[0];
  EXPECT_EQ(responses.title, "Reacties op de inbreng");
  EXPECT_EQ(responses.points, 3);
  EXPECT_EQ(responses.answered, 3);
  EXPECT_EQ(responses.table.columns, (Row{"Kenmerk", "Bron", "Tekst", "Verwerking", "Motivering"}));
  EXPECT_EQ(responses.table.rows,
            (std::vector<Row>{
                {"inbreng-1", "Gespreksverslag 1", "Meer bomen", "overgenomen", ""},
                {"inbreng-2", "Gespreksverslag 1", "Minder parkeerplaatsen", "niet overgenomen",
                 "Parkeerbehoefte blijft"},
                {"inbreng-3", "Gespreksverslag 2", "Een speelplek", "valt buiten de kaders",
                 "Geen ruimte"},
            }));
}

// A user field shows the user's name where the caller knows it, else the id as stored.
TEST(ParticipatieverslagTest, UsersByName) {
  const ProcessDriver driver = WalkedWithTwoVerslagen();
  const Time now = At("2026-05-03T09:00:00.000Z");
  const auto adviseur = [](const Participatieverslag& verslag) {
    const VerslagField* field = FindField(*FindProduct(verslag, "Capaciteit"), "Adviseur");
    return field == nullptr ? std::vector<std::string>{} : field->values;
  };
  EXPECT_EQ(adviseur(BuildParticipatieverslag(Standard(), driver.state(), now,
                                              {{"u-adviseur", "Anna de Vries"}})),
            (std::vector<std::string>{"Anna de Vries"}));
  EXPECT_EQ(adviseur(BuildParticipatieverslag(Standard(), driver.state(), now)),
            (std::vector<std::string>{"u-adviseur"}));
}

TEST(ParticipatieverslagTest, WhoWasInvolvedAndHow) {
  const ProcessDriver driver = WalkedWithTwoVerslagen();
  const Participatieverslag verslag =
      BuildParticipatieverslag(Standard(), driver.state(), At("2026-05-03T09:00:00.000Z"));
  ASSERT_EQ(verslag.involvement.size(), 1u);
  EXPECT_EQ(verslag.involvement[0].title, "Gespreksverslag");
  EXPECT_EQ(verslag.involvement[0].table.columns,
            (Row{"Nr.", "Datum", "Vorm", "Aantal deelnemers", "Bereikte doelgroepen", "Inbreng"}));
  EXPECT_EQ(
      verslag.involvement[0].table.rows,
      (std::vector<Row>{{"1", "10 maart 2026", "bijeenkomst", "40", "", "2"},
                        {"2", "11 maart 2026", "online bijeenkomst", "12", "jongeren", "1"}}));
}

TEST(ParticipatieverslagTest, ProductsInDefinitionOrderWithTheDecision) {
  const ProcessDriver driver = WalkedWithTwoVerslagen();
  const Participatieverslag verslag =
      BuildParticipatieverslag(Standard(), driver.state(), At("2026-05-03T09:00:00.000Z"));
  EXPECT_EQ(verslag.title, "Marktplein");
  EXPECT_EQ(verslag.process_id, "p-1");
  EXPECT_EQ(verslag.workflow_title, "Standaard participatieproces");
  EXPECT_EQ(verslag.state_title, "Afgerond");
  EXPECT_EQ(verslag.status, "Het proces is beëindigd op 2 mei 2026 (Afgerond).");
  EXPECT_EQ(verslag.generated_on, "3 mei 2026 11:00");  // 09:00 UTC, summer time

  std::vector<std::string> titles;
  for (const VerslagProduct& product : verslag.products) titles.push_back(product.title);
  EXPECT_EQ(titles, (std::vector<std::string>{
                        "Kadernotitie", "Capaciteit", "Gespreksplan", "Gespreksverslag 1",
                        "Gespreksverslag 2", "Opbrengstendocument", "Terugkoppelingsbericht",
                        "Besluit", "Terugkoppeling van het besluit", "Evaluatie"}));

  const VerslagProduct* kadernotitie = FindProduct(verslag, "Kadernotitie");
  ASSERT_NE(kadernotitie, nullptr);
  // Saved at 09:00 UTC in winter time, the besluit at 20:00 UTC in summer time.
  EXPECT_EQ(kadernotitie->status, "Versie 1 van 2 maart 2026 10:00, vastgesteld door bestuur.");
  const VerslagField* ruimte = FindField(*kadernotitie, "Ruimte voor inbreng");
  ASSERT_NE(ruimte, nullptr);
  EXPECT_TRUE(ruimte->is_list);
  EXPECT_EQ(ruimte->values, (std::vector<std::string>{"Inrichting", "Groen"}));
  EXPECT_EQ(FindField(*kadernotitie, "Aanleiding"), nullptr);  // no value, not shown

  // The decision, with its date in Dutch and the enum option readable.
  const VerslagProduct* besluit = FindProduct(verslag, "Besluit");
  ASSERT_NE(besluit, nullptr);
  EXPECT_EQ(besluit->status, "Versie 1 van 15 april 2026 22:00.");
  ASSERT_EQ(besluit->fields.size(), 3u);
  EXPECT_EQ(besluit->fields[0].label, "Datum van het besluit");
  EXPECT_EQ(besluit->fields[0].values, (std::vector<std::string>{"15 april 2026"}));
  EXPECT_EQ(besluit->fields[1].values, (std::vector<std::string>{"gemeenteraad"}));
  EXPECT_EQ(besluit->fields[2].values, (std::vector<std::string>{"Plan vastgesteld"}));

  // Items that the response table shows are not repeated; other items are a table.
  const VerslagField* inbreng = FindField(*FindProduct(verslag, "Gespreksverslag 1"), "Inbreng");
  ASSERT_NE(inbreng, nullptr);
  EXPECT_EQ(inbreng->answered_elsewhere, 2);
  EXPECT_FALSE(inbreng->table.has_value());
  const VerslagField* reacties =
      FindField(*FindProduct(verslag, "Opbrengstendocument"), "Reacties op de inbreng");
  ASSERT_NE(reacties, nullptr);
  EXPECT_EQ(reacties->answered_elsewhere, 3);
  const VerslagField* verbeterpunten =
      FindField(*FindProduct(verslag, "Evaluatie"), "Verbeterpunten");
  ASSERT_NE(verbeterpunten, nullptr);
  ASSERT_TRUE(verbeterpunten->table.has_value());
  EXPECT_EQ(verbeterpunten->table->columns, (Row{"Verbeterpunt", "Rol", "Niveau"}));
  EXPECT_EQ(verbeterpunten->table->rows,
            (std::vector<Row>{{"Eerder capaciteit regelen", "manager", "organisatie"}}));
}

TEST(ParticipatieverslagTest, UnansweredInbrengAndUnadoptedChangesShow) {
  ProcessDriver driver = WalkTo(Standard(), "duiden", Readiness::kJustEntered);
  json partial = CompleteOpbrengstendocument();
  partial["reacties"].erase(1);  // inbreng-2 not answered yet
  driver.Do(SaveProduct{"opbrengstendocument", 0, partial}, Adviseur(), driver.Later());
  const Participatieverslag verslag =
      BuildParticipatieverslag(Standard(), driver.state(), At("2026-03-13T09:00:00.000Z"));
  EXPECT_EQ(verslag.status, "Het proces loopt; huidige fase: Opbrengst duiden.");
  ASSERT_EQ(verslag.responses.size(), 1u);
  EXPECT_EQ(verslag.responses[0].points, 2);
  EXPECT_EQ(verslag.responses[0].answered, 1);
  EXPECT_EQ(
      verslag.responses[0].table.rows[1],
      (Row{"inbreng-2", "Gespreksverslag 1", "Minder parkeerplaatsen", "nog geen reactie", ""}));
  EXPECT_EQ(FindProduct(verslag, "Besluit"), nullptr);  // never saved: not in the verslag

  ProcessDriver kaders = WalkTo(Standard(), "kaders");
  json changed = CompleteKadernotitie();
  changed["doel"] = "Een ander doel";
  kaders.Do(SaveProduct{"kadernotitie", 0, changed, true}, Adviseur(), kaders.Later());
  const Participatieverslag draft =
      BuildParticipatieverslag(Standard(), kaders.state(), kaders.Later());
  EXPECT_EQ(
      FindProduct(draft, "Kadernotitie")->status,
      "Versie 2 van 3 maart 2026 12:00; versie 1 is vastgesteld door bestuur, deze versie nog "
      "niet.");
  EXPECT_TRUE(draft.involvement.empty());
  EXPECT_EQ(draft.responses[0].points, 0);
}

TEST(ParticipatieverslagTest, ADefinitionWithoutRepeatingProductsOrAnswers) {
  const ProcessDriver driver = WalkTo(Beleid(), "ingetrokken");
  const Participatieverslag verslag =
      BuildParticipatieverslag(Beleid(), driver.state(), At("2026-06-02T09:00:00.000Z"));
  EXPECT_TRUE(verslag.involvement.empty());
  EXPECT_TRUE(verslag.responses.empty());
  ASSERT_EQ(verslag.products.size(), 1u);
  EXPECT_EQ(verslag.products[0].title, "Participatiebeleid");
  EXPECT_EQ(verslag.status, "Het proces is beëindigd op 1 juni 2026 (Ingetrokken).");
}

TEST(ParticipatieverslagTest, DutchDates) {
  EXPECT_EQ(DutchDate(*ParseDate("2026-01-01")), "1 januari 2026");
  EXPECT_EQ(DutchDate(*ParseDate("2026-12-31")), "31 december 2026");
  EXPECT_EQ(DutchDate(*ParseDate("2024-02-29")), "29 februari 2024");
}

}  // namespace
}  // namespace navolg
