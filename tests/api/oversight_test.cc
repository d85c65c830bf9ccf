// The auditors' report and the organisation's Borgingshuis over the API, on processes built
// the way their users would build them: every command through HTTP semantics with If-Match.
#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

struct HttpStep {
  const char* at;
  const char* method;
  const char* role;
  std::string path;  // below /api/v1/processes/{id}
  json body = nullptr;
};

json Verslag(const char* datum, std::vector<std::string> doelgroepen) {
  json verslag = CompleteGespreksverslag(datum);
  verslag["doelgroepen"] = doelgroepen;
  return verslag;
}

// From a new process to adopted kaders and committed capacity.
std::vector<HttpStep> KadersSteps() {
  return {
      {"2026-03-02T09:00:00.000Z", "PUT", "adviseur", "/products/kadernotitie",
       CompleteKadernotitie()},
      {"2026-03-03T09:00:00.000Z", "POST", "bestuur", "/adoptions",
       json{{"product", "kadernotitie"}}},
      {"2026-03-03T10:00:00.000Z", "PUT", "manager", "/products/capaciteit", CompleteCapaciteit()}};
}

// From kaders to duiden with one gesprek on 10 March that reached `doelgroepen`.
std::vector<HttpStep> GesprekSteps(std::vector<std::string> doelgroepen) {
  return {{"2026-03-04T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_gesprek"},
          {"2026-03-05T09:00:00.000Z", "PUT", "adviseur", "/products/gespreksplan",
           CompleteGespreksplan()},
          {"2026-03-11T09:00:00.000Z", "PUT", "adviseur", "/products/gespreksverslag/1",
           Verslag("2026-03-10", doelgroepen)},
          {"2026-03-12T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_duiden"}};
}

// From duiden to afgerond, every term met.
std::vector<HttpStep> RestSteps() {
  return {
      {"2026-03-20T09:00:00.000Z", "PUT", "adviseur", "/products/opbrengstendocument",
       CompleteOpbrengstendocument()},
      {"2026-03-21T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_terugkoppeling"},
      {"2026-03-25T09:00:00.000Z", "PUT", "adviseur", "/products/terugkoppelingsbericht",
       CompleteTerugkoppelingsbericht()},
      {"2026-03-26T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_besluit"},
      {"2026-04-15T20:00:00.000Z", "PUT", "bestuur", "/products/besluit",
       CompleteBesluit("2026-04-15")},
      {"2026-04-20T09:00:00.000Z", "PUT", "adviseur", "/products/besluitterugkoppeling",
       CompleteBesluitterugkoppeling()},
      {"2026-04-21T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_evaluatie"},
      {"2026-05-01T09:00:00.000Z", "PUT", "manager", "/products/evaluatie", CompleteEvaluatie()},
      {"2026-05-02T09:00:00.000Z", "POST", "manager", "/transitions/afronden"}};
}

std::vector<HttpStep> Concat(std::vector<std::vector<HttpStep>> parts) {
  std::vector<HttpStep> all;
  for (auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

class OversightTest : public AppFixture {
 protected:
  // A new process of `workflow`, created on 1 March 2026 and driven through `steps`.
  std::string Build(const std::string& title, const std::vector<HttpStep>& steps,
                    const char* org = kOrgA,
                    const std::string& workflow = "standaard-participatie") {
    now_ = At("2026-03-01T09:00:00.000Z");
    const std::string id = NewProcess(title, org, workflow);
    for (const HttpStep& step : steps) {
      now_ = At(step.at);
      // Capacity names the organisation's adviseur, who takes the later steps (only the
      // assignee of the adviseurs may).
      json body = step.body;
      if (step.path == "/products/capaciteit") body["adviseur"] = UserOf("adviseur", org).id;
      http::Response response =
          Command(step.method, step.role, "/api/v1/processes/" + id + step.path, body,
                  VersionOf(id, org), org);
      EXPECT_EQ(response.status, 200) << step.method << " " << step.path << ": " << response.body;
    }
    return id;
  }

  static json CheckOf(const json& report, const std::string& key) {
    for (const json& check : report["checks"]) {
      if (check["key"] == key) return check;
    }
    ADD_FAILURE() << "no check " << key;
    return json::object();
  }

  static json CellOf(const json& house, const std::string& level, const std::string& role) {
    for (const json& cell : house["cells"]) {
      if (cell["niveau"] == level && cell["rol"] == role) return cell;
    }
    ADD_FAILURE() << "no cell " << level << " x " << role;
    return json::object();
  }

  // "key v/n/x percentage" per indicator of the cell, for comparing a cell in one assertion.
  static std::vector<std::string> Indicators(const json& cell) {
    std::vector<std::string> rows;
    for (const json& i : cell["indicators"]) {
      rows.push_back(
          i["key"].get<std::string>() + " " + std::to_string(i["voldaan"].get<int>()) + "/" +
          std::to_string(i["niet_voldaan"].get<int>()) + "/" +
          std::to_string(i["niet_van_toepassing"].get<int>()) + " " +
          (i["percentage"].is_null() ? "-" : std::to_string(i["percentage"].get<int>())));
    }
    return rows;
  }
};

TEST_F(OversightTest, ReportOfACarefulProcessPointsAtItsEvents) {
  const std::string id =
      Build("Marktplein",
            Concat({KadersSteps(), GesprekSteps({"bewoners", "ondernemers"}), RestSteps()}));
  now_ = At("2026-06-01T09:00:00.000Z");
  http::Response response = Get("auditor", "/api/v1/processes/" + id + "/report");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const json report = Body(response);
  EXPECT_EQ(report["process"]["id"], id);
  EXPECT_EQ(report["process"]["state"], "afgerond");
  EXPECT_EQ(report["generated_at"], "2026-06-01T09:00:00.000Z");
  EXPECT_EQ(report["summary"],
            (json{{"voldaan", 10}, {"niet_voldaan", 0}, {"niet_van_toepassing", 1}}));
  EXPECT_EQ(report["checks"][0]["key"], "auditketen_intact");
  EXPECT_TRUE(report["checks"][0]["cell"].is_null());

  // The events named are the ones that prove it, as the trail shows them.
  const json trail = Body(Get("auditor", "/api/v1/processes/" + id + "/events"))["items"];
  auto seq_of = [&](const std::string& type, const std::string& key) {
    for (const json& event : trail) {
      if (event["type"] == type && (event["data"].value("product", "") == key ||
                                    event["data"].value("transition", "") == key ||
                                    event["data"].value("deadline", "") == key)) {
        return event["seq"].get<std::int64_t>();
      }
    }
    return std::int64_t{0};
  };
  const json adopted_before = CheckOf(report, "kaders_voor_gesprek");
  EXPECT_EQ(adopted_before["status"], "voldaan");
  EXPECT_EQ(adopted_before["cell"], (json{{"niveau", "gesprek"}, {"rol", "bestuur"}}));
  EXPECT_EQ(adopted_before["events"], (json{seq_of("product.adopted", "kadernotitie"),
                                            seq_of("product.saved", "gespreksverslag")}));
  const json terugkoppeling = CheckOf(report, "terugkoppeling_op_tijd");
  EXPECT_EQ(terugkoppeling["events"], (json{seq_of("deadline.started", "terugkoppeling"),
                                            seq_of("deadline.met", "terugkoppeling")}));
  EXPECT_EQ(CheckOf(report, "auditketen_intact")["events"], (json{1, trail.back()["seq"]}));
}

TEST_F(OversightTest, ReportAsAPrintablePageEscapesWhatUsersTyped) {
  const std::string id = Build("<script>alert('x')</script> & plein", KadersSteps());
  http::Response page = Send("GET", "/api/v1/processes/" + id + "/report", Token("auditor"), "",
                             {{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.content_type.rfind("text/html", 0), 0u) << page.content_type;
  EXPECT_EQ(Header(page, "Vary"), "Accept, Accept-Encoding");
  EXPECT_NE(page.body.find("<html lang=\"nl\">"), std::string::npos);
  EXPECT_NE(page.body.find("Zorgvuldigheidsrapport"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; plein"),
            std::string::npos);
  EXPECT_NE(page.body.find("Capaciteit toegezegd"), std::string::npos);
  // JSON stays the default, also for a client that prefers it explicitly.
  http::Response json_answer = Send("GET", "/api/v1/processes/" + id + "/report", Token("auditor"),
                                    "", {{"Accept", "application/json, text/html"}});
  EXPECT_EQ(json_answer.content_type, "application/json");
}

// The printed report speaks as a Dutch reader does: the time it was made as the clock in
// Amsterdam showed it, on either side of the change to summer time (29 March 2026, 02:00 CET
// became 03:00 CEST), dates in words, the phase and the workflow by their titles. The JSON
// keeps RFC 3339.
TEST_F(OversightTest, ReportAsAPageGivesDutchDatesAndLocalTimes) {
  const std::string id =
      Build("Marktplein",
            Concat({KadersSteps(), GesprekSteps({"bewoners", "ondernemers"}), RestSteps()}));
  const auto page_at = [&](const char* at) {
    now_ = At(at);
    return Send("GET", "/api/v1/processes/" + id + "/report", Token("auditor"), "",
                {{"Accept", "text/html"}})
        .body;
  };
  const std::string winter = page_at("2026-03-29T00:59:00.000Z");
  EXPECT_NE(winter.find("<dt>Opgesteld op</dt><dd>29 maart 2026 01:59</dd>"), std::string::npos)
      << winter;
  const std::string summer = page_at("2026-03-29T01:00:00.000Z");
  EXPECT_NE(summer.find("<dt>Opgesteld op</dt><dd>29 maart 2026 03:00</dd>"), std::string::npos)
      << summer;
  EXPECT_EQ(summer.find("UTC"), std::string::npos);
  EXPECT_EQ(summer.find("T01:00"), std::string::npos);
  EXPECT_NE(summer.find("<dt>Werkwijze</dt><dd>Standaard participatieproces (versie 3)</dd>"),
            std::string::npos)
      << summer;
  EXPECT_NE(summer.find("<dt>Fase</dt><dd>Afgerond, na "), std::string::npos) << summer;
  EXPECT_TRUE(std::regex_search(summer, std::regex("is vastgesteld op \\d{1,2} (januari|februari|"
                                                   "maart|april|mei|juni|juli|augustus|september|"
                                                   "oktober|november|december) 2026")))
      << summer;
  EXPECT_FALSE(std::regex_search(summer, std::regex("\\b2026-\\d\\d-\\d\\d\\b"))) << summer;

  const json report = Body(Get("auditor", "/api/v1/processes/" + id + "/report"));
  EXPECT_EQ(report["generated_at"], "2026-03-29T01:00:00.000Z");
  EXPECT_EQ(report["process"]["state_title"], "Afgerond");
  EXPECT_EQ(report["process"]["workflow"]["title"], "Standaard participatieproces");
}

TEST_F(OversightTest, ReportIsForProcessReadersOfTheOwnOrganisationOnly) {
  const std::string id = Build("Marktplein", KadersSteps());
  for (const char* role : {"bestuur", "manager", "adviseur", "auditor"}) {
    EXPECT_EQ(Get(role, "/api/v1/processes/" + id + "/report").status, 200) << role;
  }
  EXPECT_EQ(Get("beheerder", "/api/v1/processes/" + id + "/report").status, 403);
  EXPECT_EQ(Get("auditor", "/api/v1/processes/" + id + "/report", kOrgB).status, 404);
  EXPECT_EQ(Get("auditor", "/api/v1/processes/p-onbekend/report").status, 404);
  EXPECT_EQ(Send("GET", "/api/v1/processes/" + id + "/report", "").status, 401);
}

TEST_F(OversightTest, BorgingshuisOfASmallOrganisationHasKnownIndicators) {
  // P1: careful, afgerond, with one improvement point (organisatie x manager).
  const std::string careful =
      Build("Marktplein",
            Concat({KadersSteps(), GesprekSteps({"bewoners", "ondernemers"}), RestSteps()}));
  // P2: kaders adopted, no capacity committed yet.
  Build("Schoolplein", {KadersSteps()[0], KadersSteps()[1]});
  // P3: the gesprek missed the ondernemers, and duiden ran past the terugkoppeling term
  // (due 9 April: 10 March + 30 days).
  Build("Stationsgebied",
        Concat({KadersSteps(),
                GesprekSteps({"bewoners"}),
                {{"2026-04-20T09:00:00.000Z", "PUT", "adviseur", "/products/opbrengstendocument",
                  CompleteOpbrengstendocument()}}}));
  // P4: the participation policy, adopted.
  Build("Participatiebeleid",
        {{"2026-03-02T09:00:00.000Z", "PUT", "adviseur", "/products/beleid", CompleteBeleid(24)},
         {"2026-03-03T09:00:00.000Z", "POST", "bestuur", "/transitions/vaststellen"}},
        kOrgA, "participatiebeleid");
  // Another organisation's process counts nowhere here.
  Build("Elders", {KadersSteps()[0]}, kOrgB);

  now_ = At("2026-06-01T09:00:00.000Z");
  http::Response response = Get("manager", "/api/v1/borgingshuis");
  ASSERT_EQ(response.status, 200) << response.body;
  const json house = Body(response);
  EXPECT_EQ(house["organisation"], kOrgA);
  EXPECT_EQ(house["processes"], 4);
  ASSERT_EQ(house["cells"].size(), 9u);

  EXPECT_EQ(
      Indicators(CellOf(house, "organisatie", "bestuur")),
      (std::vector<std::string>{"beleid_vastgesteld 1/0/0 100", "herijking_op_tijd 0/0/1 -"}));
  EXPECT_EQ(CellOf(house, "organisatie", "bestuur")["signal"], "groen");
  EXPECT_EQ(Indicators(CellOf(house, "organisatie", "manager")),
            (std::vector<std::string>{"capaciteit_toegezegd 2/1/0 67"}));
  EXPECT_EQ(CellOf(house, "organisatie", "manager")["signal"], "oranje");
  EXPECT_EQ(Indicators(CellOf(house, "organisatie", "adviseur")),
            (std::vector<std::string>{"evaluatie_met_verbeterpunten 1/0/2 100"}));
  EXPECT_EQ(
      Indicators(CellOf(house, "vraagstuk", "bestuur")),
      (std::vector<std::string>{"kaders_geldig 3/0/0 100", "besluit_teruggekoppeld 1/0/2 100"}));
  EXPECT_EQ(Indicators(CellOf(house, "vraagstuk", "manager")),
            (std::vector<std::string>{"terugkoppeling_op_tijd 1/1/1 50"}));
  EXPECT_EQ(CellOf(house, "vraagstuk", "manager")["signal"], "oranje");
  EXPECT_EQ(Indicators(CellOf(house, "vraagstuk", "adviseur")),
            (std::vector<std::string>{"inbreng_beantwoord 1/0/2 100"}));
  EXPECT_EQ(Indicators(CellOf(house, "gesprek", "bestuur")),
            (std::vector<std::string>{"kaders_voor_gesprek 2/0/1 100"}));
  EXPECT_EQ(Indicators(CellOf(house, "gesprek", "manager")),
            (std::vector<std::string>{"doelgroepen_bereikt 1/1/1 50"}));
  EXPECT_EQ(
      Indicators(CellOf(house, "gesprek", "adviseur")),
      (std::vector<std::string>{"verslag_binnen_week 2/0/1 100", "gestopt_geinformeerd 0/0/3 -"}));

  const json points = CellOf(house, "organisatie", "manager")["verbeterpunten"];
  EXPECT_EQ(points["total"], 1);
  ASSERT_EQ(points["items"].size(), 1u);
  EXPECT_EQ(points["items"][0]["tekst"], "Eerder capaciteit regelen");
  EXPECT_EQ(points["items"][0]["process"], (json{{"id", careful}, {"title", "Marktplein"}}));
  EXPECT_EQ(CellOf(house, "gesprek", "bestuur")["verbeterpunten"]["total"], 0);

  // Every reader of the organisation sees it; the beheerder does not; B sees only its own.
  for (const char* role : {"bestuur", "adviseur", "auditor"}) {
    EXPECT_EQ(Get(role, "/api/v1/borgingshuis").status, 200) << role;
  }
  EXPECT_EQ(Get("beheerder", "/api/v1/borgingshuis").status, 403);
  EXPECT_EQ(Body(Get("auditor", "/api/v1/borgingshuis", kOrgB))["processes"], 1);
}

// Many processes through every phase, back and forth, stopped, evaluated twice: the kept
// counts equal a count from scratch (each process's report at its last command), and each
// indicator lists exactly the processes its report puts in each status, page by page.
TEST_F(OversightTest, BorgingshuisCountsEqualTheReportsOfManyProcesses) {
  json two_points = CompleteEvaluatie();
  two_points["verbeterpunten"].push_back(
      {{"tekst", "Vaker terugkoppelen"}, {"rol", "adviseur"}, {"niveau", "gesprek"}});
  const std::vector<HttpStep> back_to_gesprek = {
      {"2026-03-13T09:00:00.000Z", "POST", "adviseur", "/transitions/terug_naar_gesprek",
       json{{"motivatie", "Nog een gesprek nodig"}}},
      {"2026-03-14T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_duiden"}};
  const std::vector<HttpStep> stop = {
      {"2026-03-04T09:00:00.000Z", "PUT", "manager", "/products/stopbericht",
       CompleteStopbericht()},
      {"2026-03-04T10:00:00.000Z", "POST", "manager", "/transitions/stoppen"}};
  std::vector<HttpStep> evaluated_twice = RestSteps();
  evaluated_twice.insert(evaluated_twice.end() - 1, {"2026-05-01T10:00:00.000Z", "PUT", "manager",
                                                     "/products/evaluatie", two_points});
  json changed = CompleteKadernotitie();
  changed["doel"] = "Ook de markt zelf herinrichten";
  std::vector<std::vector<HttpStep>> scripts = {
      {},
      {KadersSteps()[0]},
      KadersSteps(),
      Concat({KadersSteps(), stop}),
      Concat({KadersSteps(), GesprekSteps({"bewoners"})}),
      Concat({KadersSteps(), GesprekSteps({"bewoners", "ondernemers"}), back_to_gesprek}),
      Concat({KadersSteps(), GesprekSteps({"bewoners", "ondernemers"}), RestSteps()}),
      // Evaluated with two points, then with one: the points follow the last version.
      Concat({KadersSteps(), GesprekSteps({"bewoners"}), evaluated_twice}),
      // The kadernotitie changed after its adoption: no longer the adopted one.
      Concat({KadersSteps(),
              {{"2026-03-04T09:00:00.000Z", "PUT", "adviseur",
                "/products/kadernotitie?vaststellingVervalt=true", changed}}})};
  std::map<std::string, std::string> last_at;  // process -> its last command
  for (int i = 0; i < 27; ++i) {
    const auto& script = scripts[i % scripts.size()];
    const std::string id = Build("Proces " + std::to_string(i), script);
    last_at[id] = script.empty() ? "2026-03-01T09:00:00.000Z" : script.back().at;
  }
  Build("Elders", KadersSteps(), kOrgB);

  // From scratch: "workflow check" -> status -> the processes whose report says so.
  std::map<std::string, std::map<std::string, std::set<std::string>>> expected;
  for (const auto& [id, at] : last_at) {
    now_ = At(at.c_str());
    const json report = Body(Get("auditor", "/api/v1/processes/" + id + "/report"));
    for (const json& check : report["checks"]) {
      if (check["cell"].is_null()) continue;  // the chain check is in no cell
      expected["standaard-participatie " + check["key"].get<std::string>()]
              [check["status"].get<std::string>()]
                  .insert(id);
    }
  }

  now_ = At("2026-06-01T09:00:00.000Z");
  const json house = Body(Get("auditor", "/api/v1/borgingshuis"));
  EXPECT_EQ(house["processes"], 27);
  std::size_t indicators = 0;
  for (const json& cell : house["cells"]) {
    for (const json& indicator : cell["indicators"]) {
      const std::string key = indicator["key"];
      const auto& statuses = expected[indicator["workflow"]["key"].get<std::string>() + " " + key];
      ++indicators;
      for (const char* status : {"voldaan", "niet_voldaan", "niet_van_toepassing"}) {
        const std::set<std::string> ids =
            statuses.count(status) ? statuses.at(status) : std::set<std::string>{};
        EXPECT_EQ(indicator[status], ids.size()) << key << " " << status;
        // Page by page, as a client follows `next`.
        std::set<std::string> listed;
        std::string after;
        for (int page = 0; page < 10; ++page) {
          http::Response response =
              Get("auditor", "/api/v1/borgingshuis/indicators/" +
                                 indicator["workflow"]["key"].get<std::string>() + "/" + key +
                                 "/processes?status=" + status + "&limit=4" +
                                 (after.empty() ? "" : "&after=" + after));
          ASSERT_EQ(response.status, 200) << response.body;
          const json body = Body(response);
          EXPECT_EQ(body["total"], ids.size()) << key << " " << status;
          EXPECT_EQ(body["indicator"][status], ids.size());
          EXPECT_EQ(body["indicator"]["percentage"], indicator["percentage"]);
          for (const json& item : body["items"]) listed.insert(item["id"].get<std::string>());
          if (body["next"].is_null()) break;
          after = body["next"];
        }
        EXPECT_EQ(listed, ids) << key << " " << status;
      }
    }
  }
  EXPECT_EQ(indicators, 12u);
  const json manager_points = CellOf(house, "organisatie", "manager")["verbeterpunten"];
  EXPECT_EQ(manager_points["total"], 6);  // the six afgeronde processes, one each
  const json gesprek_points = CellOf(house, "gesprek", "adviseur")["verbeterpunten"];
  EXPECT_EQ(gesprek_points["total"], 3);  // the three evaluated twice
  ASSERT_EQ(gesprek_points["items"].size(), 3u);
  std::set<std::string> titles;
  for (std::size_t i = 0; i < 3; ++i) {
    const json& item = gesprek_points["items"][i];
    EXPECT_EQ(item["tekst"], "Vaker terugkoppelen");
    titles.insert(item["process"]["title"].get<std::string>());
    // Newest processes first: ids are time-ordered (these share their millisecond).
    if (i > 0) {
      EXPECT_GT(gesprek_points["items"][i - 1]["process"]["id"], item["process"]["id"]);
    }
  }
  EXPECT_EQ(titles, (std::set<std::string>{"Proces 7", "Proces 16", "Proces 25"}));
}

TEST_F(OversightTest, ProcessesBehindAnIndicatorAreListedWithTheirPhaseAndAdviseur) {
  const std::string without = Build("Schoolplein", {KadersSteps()[0], KadersSteps()[1]});
  const std::string with = Build("Marktplein", KadersSteps());
  Build("Elders", {KadersSteps()[0], KadersSteps()[1]}, kOrgB);
  const std::string path =
      "/api/v1/borgingshuis/indicators/standaard-participatie/capaciteit_toegezegd/processes";

  http::Response response = Get("manager", path);  // niet_voldaan unless asked otherwise
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body["status"], "niet_voldaan");
  EXPECT_EQ(body["indicator"],
            (json{{"workflow",
                   {{"key", "standaard-participatie"}, {"title", "Standaard participatieproces"}}},
                  {"key", "capaciteit_toegezegd"},
                  {"title", "Capaciteit toegezegd"},
                  {"cell", {{"niveau", "organisatie"}, {"rol", "manager"}}},
                  {"voldaan", 1},
                  {"niet_voldaan", 1},
                  {"niet_van_toepassing", 0},
                  {"percentage", 50}}));
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["id"], without);
  EXPECT_EQ(body["items"][0]["title"], "Schoolplein");
  EXPECT_EQ(body["items"][0]["state_title"], "Kaders vastleggen");
  EXPECT_TRUE(body["items"][0]["assignee"].is_null());
  EXPECT_EQ(body["total"], 1);
  EXPECT_TRUE(body["next"].is_null());

  body = Body(Get("auditor", path + "?status=voldaan"));
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["id"], with);
  EXPECT_EQ(body["items"][0]["assignee"]["name"], UserOf("adviseur").name);
  EXPECT_EQ(Body(Get("auditor", path + "?status=niet_van_toepassing"))["items"], json::array());

  EXPECT_EQ(Get("auditor", path + "?status=misschien").status, 400);
  EXPECT_EQ(Get("auditor", path + "?limit=0").status, 400);
  EXPECT_EQ(Get("auditor", path + "?limit=201").status, 400);
  EXPECT_EQ(
      Get("auditor", "/api/v1/borgingshuis/indicators/standaard-participatie/onbekend/processes")
          .status,
      404);
  EXPECT_EQ(Get("auditor",
                "/api/v1/borgingshuis/indicators/onbekend/capaciteit_toegezegd/"
                "processes")
                .status,
            404);
  EXPECT_EQ(Get("beheerder", path).status, 403);
  // Another organisation sees only its own process.
  body = Body(Get("auditor", path, kOrgB));
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["title"], "Elders");
}

class OversightOverHttpTest : public OversightTest {
 protected:
  void SetUp() override {
    over_http_ = true;
    OversightTest::SetUp();
  }
};

TEST_F(OversightOverHttpTest, ReportAndBorgingshuisThroughARealServer) {
  const std::string id = Build("Marktplein", KadersSteps());
  http::Response report = Get("auditor", "/api/v1/processes/" + id + "/report");
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(CheckOf(Body(report), "capaciteit_toegezegd")["status"], "voldaan");
  http::Response house = Get("bestuur", "/api/v1/borgingshuis");
  ASSERT_EQ(house.status, 200) << house.body;
  EXPECT_EQ(Body(house)["processes"], 1);
}

}  // namespace
}  // namespace navolg::testing
