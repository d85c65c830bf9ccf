// The managers' overview, GET /api/v1/deadlines: a hand-built organisation whose deadlines
// are overdue or coming due by a known number of days, each assigned to a known adviser,
// read as JSON and as CSV by each role, directly and through a real server.
#include "storage/database.h"
#include "storage/directory.h"
#include "tests/api/walk_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

constexpr const char* kToday = "2026-06-15T10:00:00.000Z";  // 12:00 in Amsterdam

// Parameter: false sends requests straight to App::Handle, true through a real server.
class OverviewTest : public WalkFixture, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    over_http_ = GetParam();
    WalkFixture::SetUp();
    if (HasFatalFailure()) return;
    {
      // A second adviser of gemeente-a.
      auto db = storage::OpenConnection({path_});
      ASSERT_TRUE(db.ok()) << db.status().message();
      bea_token_ = storage::NewToken().value();
      auto bea = storage::AddUser(**db, kOrgA, "adviseur", "Bea de Vries", bea_token_,
                                  At("2026-01-01T00:00:00.000Z"));
      ASSERT_TRUE(bea.ok()) << bea.status().message();
      bea_ = bea->id;
    }
    ana_ = UserOf("adviseur").id;
    // Today is 2026-06-15. Due = verslag date + termijn.
    marktplein_ = ProcessAtDuiden({"Marktplein", ana_, "2026-05-01", 30});  // due 05-31
    stationsplein_ =
        ProcessAtDuiden({"=SOM(A1;A2) \"Stationsplein\"", ana_, "2026-05-10", 30});  // due 06-09
    // Assigned to a user of gemeente-b: gemeente-a's overview must not show that user's name.
    haven_ = HavenAssignedAbroad();
    zwembad_ = ProcessAtDuiden({"Zwembad", bea_, "2026-06-01", 14, kOrgA, nullptr, bea_token_});
    bibliotheek_ =
        ProcessAtDuiden({"Bibliotheek", bea_, "2026-06-10", 14, kOrgA, nullptr, bea_token_});
    // Stopped: its deadline (due 05-12) is cancelled and shows nowhere.
    const std::string gestopt = ProcessAtDuiden({"Gestopt", ana_, "2026-05-02", 10});
    Step(gestopt, "2026-05-20T09:00:00.000Z", "PUT", "manager", "/products/stopbericht",
         CompleteStopbericht());
    Step(gestopt, "2026-05-20T09:01:00.000Z", "POST", "bestuur", "/transitions/stoppen");
    // Participatiebeleid names no assignee: herijking, due 06-20, is "niet toegewezen".
    now_ = At("2026-05-20T10:00:00.000Z");
    beleid_ = NewProcess("Participatiebeleid 2026", kOrgA, "participatiebeleid");
    Step(beleid_, "2026-05-20T10:01:00.000Z", "PUT", "adviseur", "/products/beleid",
         CompleteBeleid(1));
    Step(beleid_, "2026-05-20T10:02:00.000Z", "POST", "bestuur", "/transitions/vaststellen");
    // gemeente-b: overdue since 05-12.
    geheim_ =
        ProcessAtDuiden({"Geheim van B", UserOf("adviseur", kOrgB).id, "2026-05-01", 10, kOrgB});
    now_ = At(kToday);
  }

  // The Haven in duiden (due 06-09), assigned to the adviseur of gemeente-b. Under the
  // assignee rule no adviseur of gemeente-a may walk it past kaders, and that user cannot
  // reach gemeente-a at all; a database from before the rule can hold such a process, so its
  // steps after the assignment go straight to the store, as ana's commands did then.
  std::string HavenAssignedAbroad() {
    now_ = At("2026-05-20T06:00:00.000Z");
    const std::string id = NewProcess("@Haven");
    json kadernotitie = CompleteKadernotitie();
    kadernotitie["terugkoppeltermijn_dagen"] = 20;
    Step(id, "2026-05-20T06:01:00.000Z", "PUT", "adviseur", "/products/kadernotitie", kadernotitie);
    Step(id, "2026-05-20T06:02:00.000Z", "POST", "bestuur", "/adoptions",
         json{{"product", "kadernotitie"}});
    // The API refuses another organisation's user now (a user field); such a database has it
    // from before, so the assignment goes straight to the store too.
    json capaciteit = CompleteCapaciteit();
    capaciteit["adviseur"] = UserOf("adviseur", kOrgB).id;
    storage::CommandRequest assignment;
    assignment.organisation_id = UserOf("manager").organisation.id();
    assignment.process_id = id;
    assignment.command = SaveProduct{"capaciteit", 0, capaciteit};
    assignment.actor = Actor{UserOf("manager").id, "manager"};
    assignment.at = At("2026-05-20T06:03:00.000Z");
    EXPECT_TRUE(committer_->Submit(std::move(assignment)).committed());
    const navolg::Command steps[] = {
        TakeTransition{"naar_gesprek", std::nullopt},
        SaveProduct{"gespreksplan", 0, CompleteGespreksplan()},
        SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag("2026-05-20")},
        TakeTransition{"naar_duiden", std::nullopt}};
    for (const navolg::Command& command : steps) {
      storage::CommandRequest request;
      request.organisation_id = UserOf("adviseur").organisation.id();
      request.process_id = id;
      request.command = command;
      request.actor = Actor{ana_, "adviseur"};
      request.at = At("2026-05-20T06:05:00.000Z");
      EXPECT_TRUE(committer_->Submit(std::move(request)).committed());
    }
    EXPECT_EQ(Body(Get("manager", "/api/v1/processes/" + id))["state"], "duiden");
    return id;
  }

  json Overview(const std::string& role, const std::string& query = "", const char* org = kOrgA) {
    http::Response response = Get(role, "/api/v1/deadlines" + query, org);
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.content_type, "application/json");
    return Body(response);
  }

  static std::vector<std::string> Ids(const json& overview) {
    std::vector<std::string> ids;
    for (const json& item : overview["items"]) ids.push_back(item["process"]["id"]);
    return ids;
  }

  // "label=count" per entry of "counts", in order.
  static std::vector<std::string> Counts(const json& overview) {
    std::vector<std::string> counts;
    for (const json& count : overview["counts"]) {
      counts.push_back(count["label"].get<std::string>() + "=" +
                       std::to_string(count["count"].get<int>()));
    }
    return counts;
  }

  json Assignee(const std::string& id, const json& name) {
    return json{{"id", id}, {"name", name}};
  }

  std::string bea_token_, bea_, ana_;
  std::string marktplein_, stationsplein_, haven_, zwembad_, bibliotheek_, beleid_, geheim_;
};

TEST_P(OverviewTest, OverdueByDefaultWithDaysOverdueAndCountsPerAssignee) {
  const json overview = Overview("manager");
  EXPECT_EQ(overview["status"], "overdue");
  EXPECT_TRUE(overview["days"].is_null());
  EXPECT_EQ(overview["today"], "2026-06-15");
  EXPECT_EQ(overview["total"], 3);
  EXPECT_TRUE(overview["next"].is_null());
  // Most overdue first; equal due dates in process order.
  EXPECT_EQ(Ids(overview), (std::vector<std::string>{marktplein_, stationsplein_, haven_}));
  EXPECT_EQ(overview["items"][0],
            (json{{"process",
                   {{"id", marktplein_},
                    {"title", "Marktplein"},
                    {"workflow", {{"key", "standaard-participatie"}, {"version", 3}}},
                    {"state", "duiden"},
                    {"state_title", "Opbrengst duiden"},
                    {"version", VersionOf(marktplein_)}}},
                  {"deadline",
                   {{"key", "terugkoppeling"},
                    {"title", "Terugkoppeling aan deelnemers"},
                    {"instance", 1},
                    {"due", "2026-05-31"}}},
                  {"overdue", true},
                  {"days_overdue", 15},
                  {"days_left", 0},
                  {"assignee", Assignee(ana_, "adviseur van gemeente-a")},
                  {"reminders", 0},
                  {"last_reminder", nullptr}}));
  EXPECT_EQ(overview["items"][1]["days_overdue"], 6);
  EXPECT_EQ(overview["items"][1]["deadline"]["due"], "2026-06-09");
  EXPECT_EQ(overview["items"][2]["days_overdue"], 6);
  // Another organisation's user: the id as stored, never that user's name.
  EXPECT_EQ(overview["items"][2]["assignee"], Assignee(UserOf("adviseur", kOrgB).id, nullptr));
  EXPECT_EQ(overview["counts"],
            (json{{{"assignee", Assignee(ana_, "adviseur van gemeente-a")},
                   {"label", "adviseur van gemeente-a"},
                   {"count", 2}},
                  {{"assignee", Assignee(UserOf("adviseur", kOrgB).id, nullptr)},
                   {"label", UserOf("adviseur", kOrgB).id},
                   {"count", 1}}}));
  EXPECT_EQ(Overview("manager", "?status=overdue"), overview);
  // bestuur and auditor see the same overview.
  EXPECT_EQ(Overview("bestuur"), overview);
  EXPECT_EQ(Overview("auditor"), overview);
}

TEST_P(OverviewTest, DueSoonWithinDaysAndTheUnassigned) {
  json overview = Overview("manager", "?status=due_soon");
  EXPECT_EQ(overview["days"], 14);
  EXPECT_EQ(Ids(overview), (std::vector<std::string>{zwembad_, beleid_, bibliotheek_}));
  std::vector<int> days_left;
  for (const json& item : overview["items"]) {
    EXPECT_EQ(item["overdue"], false);
    EXPECT_EQ(item["days_overdue"], 0);
    days_left.push_back(item["days_left"]);
  }
  EXPECT_EQ(days_left, (std::vector<int>{0, 5, 9}));
  const json& beleid = overview["items"][1];
  EXPECT_EQ(beleid["process"]["workflow"]["key"], "participatiebeleid");
  EXPECT_EQ(beleid["process"]["state_title"], "Vastgesteld");
  EXPECT_EQ(beleid["deadline"]["key"], "herijking");
  EXPECT_EQ(beleid["deadline"]["title"], "Herijking van het beleid");
  EXPECT_EQ(beleid["deadline"]["due"], "2026-06-20");
  EXPECT_TRUE(beleid["assignee"].is_null());
  EXPECT_EQ(Counts(overview), (std::vector<std::string>{"Bea de Vries=2", "niet toegewezen=1"}));
  EXPECT_TRUE(overview["counts"][1]["assignee"].is_null());
  EXPECT_EQ(overview["total"], 3);

  overview = Overview("manager", "?status=due_soon&days=7");
  EXPECT_EQ(overview["days"], 7);
  EXPECT_EQ(Ids(overview), (std::vector<std::string>{zwembad_, beleid_}));
  EXPECT_EQ(Ids(Overview("manager", "?status=due_soon&days=0")),
            (std::vector<std::string>{zwembad_}));
  EXPECT_EQ(Ids(Overview("manager", "?status=due_soon&days=9")),
            (std::vector<std::string>{zwembad_, beleid_, bibliotheek_}));
  EXPECT_EQ(Ids(Overview("manager", "?status=due_soon&days=8")),
            (std::vector<std::string>{zwembad_, beleid_}));

  // The day turns at midnight in Amsterdam (CEST, UTC+2): at 23:59:59 the Zwembad is due
  // today, a second later it is one day overdue.
  now_ = At("2026-06-15T21:59:59.000Z");
  EXPECT_EQ(Overview("manager", "?status=due_soon")["items"][0]["days_left"], 0);
  now_ = At("2026-06-15T22:00:00.000Z");
  overview = Overview("manager");
  EXPECT_EQ(overview["today"], "2026-06-16");
  ASSERT_EQ(overview["items"].size(), 4u);
  EXPECT_EQ(overview["items"][3]["process"]["id"], zwembad_);
  EXPECT_EQ(overview["items"][3]["days_overdue"], 1);
}

TEST_P(OverviewTest, OpenPagesThroughEveryDeadlineOnce) {
  const std::vector<std::string> all = {marktplein_, stationsplein_, haven_,
                                        zwembad_,    beleid_,        bibliotheek_};
  json overview = Overview("manager", "?status=open");
  EXPECT_EQ(Ids(overview), all);
  EXPECT_EQ(Counts(overview),
            (std::vector<std::string>{"Bea de Vries=2", "adviseur van gemeente-a=2",
                                      UserOf("adviseur", kOrgB).id + "=1", "niet toegewezen=1"}));
  EXPECT_EQ(overview["total"], 6);

  std::vector<std::string> paged;
  std::string query = "?status=open&limit=2";
  for (int page = 0; page < 5; ++page) {
    http::Response response = Get("manager", "/api/v1/deadlines" + query);
    ASSERT_EQ(response.status, 200) << response.body;
    const json body = Body(response);
    EXPECT_EQ(body["items"].size(), 2u);
    EXPECT_EQ(body["total"], 6);  // counts are over every page
    for (const std::string& id : Ids(body)) paged.push_back(id);
    if (body["next"].is_null()) {
      EXPECT_EQ(Header(response, "Link"), "");
      break;
    }
    const std::string next = body["next"];
    EXPECT_EQ(Header(response, "Link"),
              "</api/v1/deadlines?status=open&limit=2&after=" + next + ">; rel=\"next\"");
    query = "?status=open&limit=2&after=" + next;
  }
  EXPECT_EQ(paged, all);
}

TEST_P(OverviewTest, AnAdviserSeesTheirOwnProcessesOnly) {
  json overview = Overview("adviseur", "?status=open");
  EXPECT_EQ(Ids(overview), (std::vector<std::string>{marktplein_, stationsplein_}));
  EXPECT_EQ(Counts(overview), (std::vector<std::string>{"adviseur van gemeente-a=2"}));
  EXPECT_EQ(overview["total"], 2);

  http::Response bea = Send("GET", "/api/v1/deadlines?status=due_soon", bea_token_);
  ASSERT_EQ(bea.status, 200) << bea.body;
  EXPECT_EQ(Ids(Body(bea)), (std::vector<std::string>{zwembad_, bibliotheek_}));
  EXPECT_EQ(Body(bea)["total"], 2);

  // gemeente-b's adviser is the assignee of the Haven in gemeente-a, but sees only its own
  // organisation.
  overview = Overview("adviseur", "?status=open", kOrgB);
  EXPECT_EQ(Ids(overview), (std::vector<std::string>{geheim_}));
}

TEST_P(OverviewTest, AnotherOrganisationSeesNothingOfThis) {
  for (const char* role : {"bestuur", "manager", "auditor"}) {
    const json overview = Overview(role, "?status=open", kOrgB);
    EXPECT_EQ(Ids(overview), (std::vector<std::string>{geheim_})) << role;
    EXPECT_EQ(overview["items"][0]["days_overdue"], 35) << role;  // due 2026-05-11
    EXPECT_EQ(overview["total"], 1) << role;
    EXPECT_EQ(Counts(overview), (std::vector<std::string>{"adviseur van gemeente-b=1"})) << role;
  }
  // And gemeente-a's overview holds nothing of gemeente-b's.
  EXPECT_EQ(Get("manager", "/api/v1/deadlines?status=open").body.find("Geheim"), std::string::npos);
  http::Response beheerder = Get("beheerder", "/api/v1/deadlines");
  EXPECT_EQ(beheerder.status, 403);
  EXPECT_EQ(beheerder.content_type, "application/problem+json");
  EXPECT_EQ(Send("GET", "/api/v1/deadlines", "").status, 401);
}

TEST_P(OverviewTest, CsvForASpreadsheetWithFormulasNeutralised) {
  http::Response response =
      Send("GET", "/api/v1/deadlines", Token("manager"), "", {{"Accept", "text/csv"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(Header(response, "Content-Disposition"),
            "attachment; filename=\"termijnen-overdue-2026-06-15.csv\"");
  EXPECT_EQ(Header(response, "Vary"), "Accept, Accept-Encoding");
  const std::string b = UserOf("adviseur", kOrgB).id;
  EXPECT_EQ(response.body,
            "\xEF\xBB\xBF"
            "Proces-id;Proces;Procesdefinitie;Fase;Termijn;Omschrijving termijn;Keer;"
            "Uiterste datum;Verlopen;Dagen te laat;Dagen resterend;Toegewezen aan;"
            "Toegewezen aan (id)\r\n" +
                marktplein_ +
                ";Marktplein;standaard-participatie;Opbrengst duiden;terugkoppeling;"
                "Terugkoppeling aan deelnemers;1;2026-05-31;ja;15;0;adviseur van gemeente-a;" +
                ana_ + "\r\n" + stationsplein_ +
                ";\"'=SOM(A1;A2) \"\"Stationsplein\"\"\";standaard-participatie;"
                "Opbrengst duiden;terugkoppeling;Terugkoppeling aan deelnemers;1;2026-06-09;ja;6;"
                "0;adviseur van gemeente-a;" +
                ana_ + "\r\n" + haven_ +
                ";'@Haven;standaard-participatie;Opbrengst duiden;terugkoppeling;"
                "Terugkoppeling aan deelnemers;1;2026-06-09;ja;6;0;" +
                b + ";" + b + "\r\n");

  response = Send("GET", "/api/v1/deadlines?status=due_soon&days=7", Token("auditor"), "",
                  {{"Accept", "text/csv;q=0.9, application/json;q=0.5"}});
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(
      response.body.find(";Participatiebeleid 2026;participatiebeleid;Vastgesteld;herijking;"
                         "Herijking van het beleid;1;2026-06-20;nee;0;5;niet toegewezen;\r\n"),
      std::string::npos)
      << response.body;
  EXPECT_EQ(std::count(response.body.begin(), response.body.end(), '\n'), 3);  // header + 2
}

TEST_P(OverviewTest, BadQueriesAreRefusedInDutch) {
  struct Case {
    std::string query;
    std::string accept;
    int status;
    std::string detail_part;
  };
  const std::vector<Case> cases = {
      {"?status=late", "", 400, "status moet overdue"},
      {"?status=", "", 400, "status moet overdue"},
      {"?days=-1&status=due_soon", "", 400, "days moet een geheel getal van 0 tot en met 365"},
      {"?days=366", "", 400, "days moet"},
      {"?days=7.5", "", 400, "days moet"},
      {"?days=", "", 400, "days moet"},
      {"?limit=0", "", 400, "limit moet een geheel getal van 1 tot en met 10000"},
      {"?limit=10001", "", 400, "limit moet"},
      {"?after=abc", "", 400, "after moet de waarde van next"},
      {"?after=1.p-1.x.1%20OR%201=1", "", 400, "after moet"},
      {"", "application/xml", 406, "application/json en als text/csv"},
      {"", "text/csv;q=0, application/json;q=0", 406, "Accept"},
  };
  for (const Case& c : cases) {
    http::Response response =
        Send("GET", "/api/v1/deadlines" + c.query, Token("manager"), "", {{"Accept", c.accept}});
    EXPECT_EQ(response.status, c.status) << c.query << " " << c.accept;
    EXPECT_EQ(response.content_type, "application/problem+json") << c.query;
    const json problem = Body(response);
    EXPECT_NE(problem.value("detail", "").find(c.detail_part), std::string::npos)
        << c.query << ": " << response.body;
    if (c.status == 406) {
      EXPECT_EQ(problem["type"], "urn:navolg:problem:vorm-niet-beschikbaar");
      EXPECT_EQ(problem["title"], "Vorm niet beschikbaar");
    }
  }
  // Valid edges.
  EXPECT_EQ(Get("manager", "/api/v1/deadlines?status=due_soon&days=365").status, 200);
  EXPECT_EQ(Get("manager", "/api/v1/deadlines?limit=10000").status, 200);
  // days means nothing for overdue, and is accepted there.
  EXPECT_EQ(Overview("manager", "?status=overdue&days=3")["total"], 3);
}

INSTANTIATE_TEST_SUITE_P(AppAndServer, OverviewTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OverHttp" : "DirectToApp";
                         });

}  // namespace
}  // namespace navolg::testing
