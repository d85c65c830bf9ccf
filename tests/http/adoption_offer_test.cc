// Adoption as an act, over HTTP as a client meets it: the adviseur offers the kadernotitie,
// bestuur finds it on its list as offered and adopts it, and a new version of the adopted
// text is refused until the adviseur says the adoption lapses; bestuur then sees that a new
// version waits.
#include <gtest/gtest.h>

#include "tests/http/municipal_team.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

class AdoptionOfferTest : public MunicipalTeamTest {
 protected:
  // A new standard process with a complete kadernotitie (version 1); returns its path.
  std::string Drafted(const std::string& title) {
    HttpResult created = Call("POST", "/api/v1/processes", "anna",
                              {{"workflow", "standaard-participatie"}, {"title", title}});
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string path =
        "/api/v1/processes/" + json::parse(created.body)["id"].get<std::string>();
    Step("PUT", path + "/products/kadernotitie", "anna", CompleteKadernotitie());
    return path;
  }
  json Waiting() { return Get("/api/v1/adoptions?status=open", "bestuur")["items"]; }
};

TEST_F(AdoptionOfferTest, OfferedAdoptedAndVoidedOnlyWhenTheAuthorSaysSo) {
  const std::string process = Drafted("Marktplein");
  ASSERT_EQ(Waiting().size(), 1u);
  EXPECT_TRUE(Waiting()[0]["offered"].is_null()) << Waiting();

  // Bestuur cannot offer; the adviseur can, once.
  EXPECT_EQ(Command(process, "/adoption-offers", "bestuur", {{"product", "kadernotitie"}}).status,
            403);
  json view = Step("POST", process + "/adoption-offers", "anna", {{"product", "kadernotitie"}});
  EXPECT_EQ(view["products"]["kadernotitie"]["offered"]["version"], 1) << view;
  HttpResult again = Command(process, "/adoption-offers", "anna", {{"product", "kadernotitie"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("al_aangeboden"), std::string::npos) << again.body;

  json waiting = Waiting();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0]["offered"]["by"]["name"], "Anna de Vries") << waiting;

  Step("POST", process + "/adoptions", "bestuur", {{"product", "kadernotitie"}});
  EXPECT_TRUE(Waiting().empty());

  // A new version of the adopted text: refused and nothing recorded, unless confirmed.
  json changed = CompleteKadernotitie();
  changed["doel"] = "Wensen ophalen, ook van scholen";
  const std::int64_t before = Get(process, "anna")["version"];
  HttpResult refused = Call("PUT", process + "/products/kadernotitie", "anna", changed, before);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("vaststelling_vervalt"), std::string::npos) << refused.body;
  EXPECT_EQ(Get(process, "anna")["version"], before);
  EXPECT_EQ(Call("PUT", process + "/products/kadernotitie?vaststellingVervalt=ja", "anna", changed,
                 before)
                .status,
            400);

  view = Step("PUT", process + "/products/kadernotitie?vaststellingVervalt=true", "anna", changed);
  EXPECT_EQ(view["products"]["kadernotitie"]["version"], 2);
  EXPECT_EQ(view["products"]["kadernotitie"]["adopted"], false);
  EXPECT_EQ(view["products"]["kadernotitie"]["adopted_version"], 1);
  EXPECT_TRUE(view["products"]["kadernotitie"]["offered"].is_null());

  // Bestuur sees that a new version waits, not yet offered; the trail says what lapsed.
  waiting = Waiting();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0]["version"], 2);
  EXPECT_TRUE(waiting[0]["offered"].is_null());
  json events = Get(process + "/events", "auditor")["items"];
  EXPECT_EQ(events.back()["data"]["voids_adoption_of"], 1) << events.back();
  bool described = false;
  for (const json& event : events) {
    described = described || event.value("description", "") ==
                                 "Kadernotitie opgeslagen (versie 2); de vaststelling van versie "
                                 "1 vervalt";
  }
  EXPECT_TRUE(described) << events;
}

// A page asks for the definition version its process runs on (an older process keeps its
// own); this database stored only the current one.
TEST_F(AdoptionOfferTest, ADefinitionIsServedByTheVersionAskedFor) {
  const json latest = Get("/api/v1/workflows/standaard-participatie", "anna");
  const std::int64_t version = latest["version"];
  EXPECT_EQ(
      Get("/api/v1/workflows/standaard-participatie?version=" + std::to_string(version), "anna"),
      latest);
  HttpResult missing = Call("GET", "/api/v1/workflows/standaard-participatie?version=999", "anna");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("Er is geen versie 999"), std::string::npos) << missing.body;
  EXPECT_EQ(Call("GET", "/api/v1/workflows/standaard-participatie?version=twee", "anna").status,
            400);
}

}  // namespace
}  // namespace navolg
