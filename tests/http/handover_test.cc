// People by name and the manager's follow-up, the way a municipal team meets them: the real
// `navolg serve` on a real SQLite file, users made with the command line. The adviseur is
// chosen from the organisation's users (a name typed by hand, a manager, a deactivated
// adviseur or another organisation's adviseur is refused), a manager hands a process over and
// reminds its adviseur of a deadline, and both adviseurs' lists follow.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/calendar.h"
#include "tests/engine/test_support.h"
#include "tests/http/municipal_team.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using namespace navolg::testing;
using nlohmann::json;

Date Today() {
  return AmsterdamDate(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

class HandoverTest : public MunicipalTeamTest {};

TEST_F(HandoverTest, TheAdviseurIsChosenFromTheOrganisationsActiveAdviseurs) {
  const std::string process = AdoptedKaders("Marktplein");
  const std::int64_t version = Get(process, "manager")["version"];
  const struct {
    std::string value;
    const char* why;
  } refused[] = {
      {"Anna de Vries", "a name typed by hand"},
      {IdOf("manager"), "a manager"},
      {IdOf("buur"), "another organisation's adviseur"},
      {"u-bestaat-niet", "an unknown id"},
  };
  for (const auto& c : refused) {
    HttpResult result =
        Call("PUT", process + "/products/capaciteit", "manager", Capaciteit(c.value), version);
    EXPECT_EQ(result.status, 422) << c.why << ": " << result.body;
    const json problem = json::parse(result.body);
    ASSERT_FALSE(problem["missing"].empty()) << c.why;
    EXPECT_EQ(problem["missing"][0]["code"], "gebruiker_ongeldig") << c.why;
    EXPECT_EQ(problem["missing"][0]["field"], "adviseur") << c.why;
  }
  // A deactivated adviseur is named, and refused.
  const json colleagues = Get("/api/v1/colleagues?role=adviseur", "manager");
  std::string cor;
  for (const json& c : colleagues["items"]) {
    if (c["name"] == "Cor Vertrokken") cor = c["id"];
  }
  ASSERT_FALSE(cor.empty());
  HttpResult deactivated =
      Call("PUT", process + "/products/capaciteit", "manager", Capaciteit(cor), version);
  EXPECT_EQ(deactivated.status, 422);
  EXPECT_NE(deactivated.body.find("Cor Vertrokken is gedeactiveerd"), std::string::npos)
      << deactivated.body;
  EXPECT_EQ(Get(process, "manager")["version"], version) << "nothing was recorded";

  const std::string anna = IdOf("anna");
  json view = Step("PUT", process + "/products/capaciteit", "manager", Capaciteit(anna));
  EXPECT_EQ(view["assignee"], anna);
  EXPECT_EQ(view["people"][anna], "Anna de Vries");
}

TEST_F(HandoverTest, ColleaguesAreListedByNameForEveryRoleOfTheOrganisationOnly) {
  for (const char* who : {"anna", "manager", "bestuur", "auditor"}) {
    const json all = Get("/api/v1/colleagues", who);
    std::vector<std::string> names;
    for (const json& c : all["items"]) names.push_back(c["name"]);
    EXPECT_EQ(names, (std::vector<std::string>{"Ada Auditor", "Anna de Vries", "Bram Jansen",
                                               "Cor Vertrokken", "Mia Manager", "Wethouder"}))
        << who;
  }
  const json adviseurs = Get("/api/v1/colleagues?role=adviseur", "manager");
  ASSERT_EQ(adviseurs["items"].size(), 3u);
  EXPECT_EQ(adviseurs["items"][2]["name"], "Cor Vertrokken");
  EXPECT_EQ(adviseurs["items"][2]["active"], false);
  EXPECT_EQ(adviseurs["items"][0]["active"], true);
  EXPECT_EQ(adviseurs["items"][0].count("token"), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/colleagues?role=koning", "manager").status, 400);
}

TEST_F(HandoverTest, AHandOverMovesTheProcessFromOneAdviseursListToTheOther) {
  const std::string process = AdoptedKaders("Stationsplein");
  const std::string anna = IdOf("anna");
  const std::string bram = IdOf("bram");
  Step("PUT", process + "/products/capaciteit", "manager", Capaciteit(anna));

  // Only a manager hands over; only to an active adviseur of the organisation.
  EXPECT_EQ(Command(process, "/handovers", "anna", {{"to", bram}}).status, 403);
  EXPECT_EQ(Command(process, "/handovers", "bestuur", {{"to", bram}}).status, 403);
  EXPECT_EQ(Command(process, "/handovers", "manager", {{"to", IdOf("manager")}}).status, 422);
  EXPECT_EQ(Command(process, "/handovers", "manager", {{"to", anna}}).status, 422)
      << "already hers";
  EXPECT_EQ(Command(process, "/handovers", "manager", json::object()).status, 400);
  // Another organisation's manager cannot reach it.
  AddUser("buurgemeente", "manager", "Buur Manager", "buurmanager");
  EXPECT_EQ(Command(process, "/handovers", "buurmanager", {{"to", bram}}).status, 404);

  // Without If-Match a hand-over is refused like every command (428), and nothing changes.
  EXPECT_EQ(Call("POST", process + "/handovers", "manager", {{"to", bram}}).status, 428);
  HttpResult handed = Command(process, "/handovers", "manager",
                              {{"to", bram}, {"toelichting", "Anna gaat met verlof"}});
  ASSERT_EQ(handed.status, 200) << handed.body;
  const json view = json::parse(handed.body);
  EXPECT_EQ(view["assignee"], bram);
  EXPECT_EQ(view["handover"]["from"], anna);
  EXPECT_EQ(view["handover"]["to"], bram);
  EXPECT_EQ(view["people"][bram], "Bram Jansen");

  // Anna may read but no longer change it; Bram may.
  const std::int64_t version = view["version"];
  HttpResult by_anna =
      Call("PUT", process + "/products/capaciteit", "anna", Capaciteit(anna), version);
  EXPECT_EQ(by_anna.status, 403) << by_anna.body;
  HttpResult by_bram =
      Call("POST", process + "/transitions/naar_gesprek", "bram", json::object(), version);
  EXPECT_EQ(by_bram.status, 200) << by_bram.body;

  // The trail names both, by name.
  const json events = Get(process + "/events", "auditor");
  bool found = false;
  for (const json& e : events["items"]) {
    if (e["type"] == "process.handed_over") {
      found = true;
      EXPECT_EQ(e["description"],
                "Proces overgedragen van Anna de Vries aan Bram Jansen (toelichting: Anna gaat "
                "met verlof)");
      EXPECT_EQ(e["actor_name"], "Mia Manager");
    }
  }
  EXPECT_TRUE(found) << events.dump();
}

TEST_F(HandoverTest, AReminderReachesTheAdviseursListAndTheTrail) {
  const std::string process = AdoptedKaders("Parkstraat");
  const std::string bram = IdOf("bram");
  Step("PUT", process + "/products/capaciteit", "manager", Capaciteit(bram));
  // Nothing runs yet in kaders: nothing to remind of.
  HttpResult early = Command(process, "/reminders", "manager", {{"deadline", "terugkoppeling"}});
  EXPECT_EQ(early.status, 409) << early.body;

  // To duiden, with a conversation 30 days ago and 14 days to report back: overdue.
  Step("POST", process + "/transitions/naar_gesprek", "bram", json::object());
  Step("PUT", process + "/products/gespreksplan", "bram", CompleteGespreksplan());
  Step("PUT", process + "/products/gespreksverslag/1", "bram",
       CompleteGespreksverslag(FormatDate(AddDays(Today(), -30)).c_str()));
  Step("POST", process + "/transitions/naar_duiden", "bram", json::object());

  EXPECT_EQ(Command(process, "/reminders", "bram", {{"deadline", "terugkoppeling"}}).status, 403);
  EXPECT_EQ(Command(process, "/reminders", "manager", {{"deadline", "onbekend"}}).status, 404);
  HttpResult reminded =
      Command(process, "/reminders", "manager",
              {{"deadline", "terugkoppeling"}, {"bericht", "Lukt het deze week?"}});
  ASSERT_EQ(reminded.status, 200) << reminded.body;

  // Bram's own list of deadlines shows the reminder, by whom and what it says.
  const json mine = Get("/api/v1/deadlines?status=open", "bram");
  ASSERT_EQ(mine["items"].size(), 1u) << mine.dump();
  const json& row = mine["items"][0];
  EXPECT_EQ(row["overdue"], true);
  EXPECT_EQ(row["reminders"], 1);
  EXPECT_EQ(row["last_reminder"]["by_name"], "Mia Manager");
  EXPECT_EQ(row["last_reminder"]["bericht"], "Lukt het deze week?");
  // Anna's list does not have it.
  EXPECT_TRUE(Get("/api/v1/deadlines?status=open", "anna")["items"].empty());

  const json view = Get(process, "bram");
  for (const json& d : view["deadlines"]) {
    if (d["key"] == "terugkoppeling") {
      EXPECT_EQ(d["reminders"], 1);
    }
  }
  const json events = Get(process + "/events?limit=200", "bram");
  EXPECT_NE(events.dump().find("Herinnering aan Bram Jansen: Terugkoppeling aan deelnemers"),
            std::string::npos)
      << events.dump();

  // The work goes on after a reminder: the adviseur's next commands are not refused as stale.
  Step("PUT", process + "/products/opbrengstendocument", "bram", CompleteOpbrengstendocument());
  json after = Step("POST", process + "/transitions/naar_terugkoppeling", "bram", json::object());
  EXPECT_EQ(after["state"], "terugkoppeling");
}

}  // namespace
}  // namespace navolg

namespace navolg {
namespace {

// A product save states the version of that product it saw (its ETag in the process view):
// it is refused as stale only when that product, or the phase, changed since.
using ProductStalenessTest = HandoverTest;

TEST_F(ProductStalenessTest, SavesOfDifferentProductsBothLandAndOnlyAChangedProductIsStale) {
  const std::string process = AdoptedKaders("Havenkwartier");
  const json seen = Get(process, "anna");  // what Anna's page was drawn from
  const std::string kaders_tag = seen["products"]["kadernotitie"]["etag"];
  const std::string capaciteit_tag = seen["products"]["capaciteit"]["etag"];
  ASSERT_NE(kaders_tag, capaciteit_tag);
  // The kadernotitie was adopted: its saves say that the adoption lapses.
  auto put = [&](const std::string& product, const std::string& who, const json& body,
                 const std::string& tag) {
    HttpConnection connection(server_.port);
    const char* voids = product == "kadernotitie" ? "?vaststellingVervalt=true" : "";
    return connection.Request(
        "PUT", process + "/products/" + product + voids,
        "Authorization: Bearer " + tokens_.at(who) + "\r\nIf-Match: " + tag + "\r\n", body.dump());
  };

  // The manager saves the capaciteit; Anna's save of the kadernotitie, read before, lands too.
  HttpResult capaciteit = put("capaciteit", "manager", Capaciteit(IdOf("anna")), capaciteit_tag);
  ASSERT_EQ(capaciteit.status, 200) << capaciteit.body;
  json kadernotitie = CompleteKadernotitie();
  kadernotitie["onderwerp"] = "Havenkwartier, tweede versie";
  HttpResult mine = put("kadernotitie", "anna", kadernotitie, kaders_tag);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(json::parse(mine.body)["products"]["kadernotitie"]["content"]["onderwerp"],
            "Havenkwartier, tweede versie");

  // The same stale tag again: now this very product changed since. Nothing is recorded.
  const std::int64_t version = Get(process, "anna")["version"];
  kadernotitie["onderwerp"] = "Havenkwartier, derde versie";
  HttpResult stale = put("kadernotitie", "anna", kadernotitie, kaders_tag);
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_NE(stale.body.find("Kadernotitie is intussen door iemand anders gewijzigd"),
            std::string::npos)
      << stale.body;
  EXPECT_EQ(Get(process, "anna")["version"], version);

  // An adoption changes the product too.
  const std::string before_adoption = Get(process, "anna")["products"]["kadernotitie"]["etag"];
  Step("POST", process + "/adoptions", "bestuur", {{"product", "kadernotitie"}});
  EXPECT_EQ(put("kadernotitie", "anna", kadernotitie, before_adoption).status, 412);

  // And so does a new phase, for every product.
  const std::string plan_tag = Get(process, "anna")["products"]["gespreksplan"]["etag"];
  Step("POST", process + "/transitions/naar_gesprek", "anna", json::object());
  HttpResult after_step = put("gespreksplan", "anna", CompleteGespreksplan(), plan_tag);
  EXPECT_EQ(after_step.status, 412) << after_step.body;
  EXPECT_NE(after_step.body.find("andere fase"), std::string::npos) << after_step.body;
  const std::string fresh = Get(process, "anna")["products"]["gespreksplan"]["etag"];
  EXPECT_EQ(put("gespreksplan", "anna", CompleteGespreksplan(), fresh).status, 200);

  // Only the form the view gives is a product tag.
  for (const char* bad : {"\"p1\"", "\"p.1\"", "\"p1.x\"", "\"q1.2\"", "p1.2"}) {
    EXPECT_EQ(put("gespreksplan", "anna", CompleteGespreksplan(), bad).status, 400) << bad;
  }
}

}  // namespace
}  // namespace navolg
