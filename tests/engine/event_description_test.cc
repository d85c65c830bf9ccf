// Every event type as a reader of the trail sees it, named by the definition's titles.
#include "engine/event_description.h"

#include <gtest/gtest.h>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using nlohmann::json;

struct DescriptionCase {
  const char* type;
  json data;
  const char* expected;
};

TEST(EventDescriptionTest, EveryTypeInDutchWithTheDefinitionsTitles) {
  const DescriptionCase cases[] = {
      {"process.created",
       {{"title", "Marktplein"}, {"state", "kaders"}},
       "Proces aangemaakt: Marktplein"},
      {"product.saved",
       {{"product", "kadernotitie"}, {"instance", 1}, {"version", 3}},
       "Kadernotitie opgeslagen (versie 3)"},
      {"product.saved",
       {{"product", "gespreksverslag"}, {"instance", 2}, {"version", 1}},
       "Gespreksverslag 2 opgeslagen (versie 1)"},
      {"product.adopted",
       {{"product", "kadernotitie"}, {"instance", 1}, {"version", 3}},
       "Kadernotitie vastgesteld (versie 3)"},
      {"product.offered",
       {{"product", "kadernotitie"}, {"instance", 1}, {"version", 4}},
       "Kadernotitie ter vaststelling aangeboden (versie 4)"},
      {"product.saved",
       {{"product", "kadernotitie"}, {"instance", 1}, {"version", 4}, {"voids_adoption_of", 3}},
       "Kadernotitie opgeslagen (versie 4); de vaststelling van versie 3 vervalt"},
      {"transition.taken",
       {{"transition", "naar_gesprek"}, {"from", "kaders"}, {"to", "gesprek"}},
       "Stap gezet: Kaders vastleggen → Gesprek organiseren"},
      {"transition.taken",
       {{"transition", "terug_naar_gesprek"},
        {"from", "duiden"},
        {"to", "gesprek"},
        {"motivatie", "Te weinig jongeren"}},
       "Stap gezet: Opbrengst duiden → Gesprek organiseren (motivering: Te weinig jongeren)"},
      {"process.stopped",
       {{"transition", "stoppen"},
        {"from", "gesprek"},
        {"to", "gestopt"},
        {"motivatie", "Plan ingetrokken"}},
       "Proces gestopt (motivering: Plan ingetrokken)"},
      {"deadline.started",
       {{"deadline", "terugkoppeling"},
        {"instance", 1},
        {"started_on", "2026-03-02"},
        {"due", "2026-03-30"}},
       "Termijn gestart: Terugkoppeling aan deelnemers, uiterlijk 30 maart 2026"},
      {"deadline.met",
       {{"deadline", "terugkoppeling"}, {"instance", 1}},
       "Termijn gehaald: Terugkoppeling aan deelnemers"},
      {"deadline.missed",
       {{"deadline", "besluitterugkoppeling"}, {"instance", 1}, {"due", "2026-05-01"}},
       "Termijn verlopen: Terugkoppeling van het besluit (uiterlijk 1 mei 2026)"},
      {"deadline.cancelled",
       {{"deadline", "terugkoppeling"}, {"instance", 1}},
       "Termijn vervallen: Terugkoppeling aan deelnemers"},
      {"deadline.rescheduled",
       {{"deadline", "terugkoppeling"}, {"instance", 1}, {"due", "2026-04-06"}},
       "Termijn verzet: Terugkoppeling aan deelnemers, nu uiterlijk 6 april 2026"},
      // What the definition does not know is named by its key; an unknown type by itself.
      {"product.saved",
       {{"product", "oud_product"}, {"instance", 1}, {"version", 1}},
       "oud_product opgeslagen (versie 1)"},
      {"deadline.met",
       {{"deadline", "oude_termijn"}, {"instance", 1}},
       "Termijn gehaald: oude_termijn"},
      {"process.archived", json::object(), "process.archived"},
  };
  for (const DescriptionCase& c : cases) {
    Event event;
    event.type = c.type;
    event.data = c.data;
    EXPECT_EQ(DescribeEvent(event, testing::Standard()), c.expected) << c.type << " " << c.data;
  }
}

}  // namespace
}  // namespace navolg
