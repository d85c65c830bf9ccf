// The whole standard process through the API, as its users would drive it: adviseur,
// manager and bestuur, each command with If-Match and the ETag of the previous answer.
#include <sstream>

#include "engine/audit_chain.h"
#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

class StandardProcessTest : public AppFixture {
 protected:
  // A command that must succeed with 200: sends If-Match with the last ETag, keeps the new
  // one and returns the view.
  json Step(const char* at, const std::string& method, const std::string& role,
            const std::string& path, const json& body = nullptr) {
    now_ = At(at);
    http::Response response = Send(method, "/api/v1/processes/" + id_ + path, Token(role),
                                   body.is_null() ? "" : body.dump(), {{"If-Match", etag_}});
    EXPECT_EQ(response.status, 200) << method << " " << path << ": " << response.body;
    json view = Body(response);
    EXPECT_EQ(Header(response, "ETag"), "\"" + std::to_string(view.value("version", 0)) + "\"");
    etag_ = Header(response, "ETag");
    return view;
  }

  std::string id_;
  std::string etag_;
};

TEST_F(StandardProcessTest, RunsFromKadersToAfgerond) {
  now_ = At("2026-03-01T09:00:00.000Z");
  http::Response created =
      Send("POST", "/api/v1/processes", Token("adviseur"),
           json{{"workflow", "standaard-participatie"}, {"title", "Marktplein"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  json view = Body(created);
  id_ = view["id"];
  etag_ = Header(created, "ETag");
  EXPECT_EQ(etag_, "\"1\"");
  EXPECT_EQ(Header(created, "Location"), "/api/v1/processes/" + id_);
  EXPECT_EQ(view["title"], "Marktplein");
  EXPECT_EQ(view["state"], "kaders");
  EXPECT_EQ(view["workflow"], (json{{"key", "standaard-participatie"}, {"version", 3}}));
  EXPECT_EQ(view["created_at"], "2026-03-01T09:00:00.000Z");
  EXPECT_TRUE(view["closed_at"].is_null());
  const json& kadernotitie = view["products"]["kadernotitie"];
  EXPECT_EQ(kadernotitie["version"], 0);
  EXPECT_EQ(kadernotitie["complete"], false);
  EXPECT_EQ(kadernotitie["adopted"], false);
  EXPECT_EQ(kadernotitie["missing"][0]["code"], "product_ontbreekt");
  EXPECT_EQ(view["products"]["gespreksverslag"], json::array());
  EXPECT_FALSE(view["products"]["capaciteit"].contains("adopted"));  // no adoption rule

  // Too early: the refusal lists every unmet condition, and nothing changes.
  now_ = At("2026-03-01T10:00:00.000Z");
  http::Response refused = Send("POST", "/api/v1/processes/" + id_ + "/transitions/naar_gesprek",
                                Token("adviseur"), "", {{"If-Match", etag_}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.content_type, "application/problem+json");
  EXPECT_EQ(MissingCodes(refused), (std::vector<std::string>{"product_ontbreekt kadernotitie",
                                                             "niet_vastgesteld kadernotitie",
                                                             "product_ontbreekt capaciteit"}));
  const json refusal = Body(refused);
  for (const json& missing : refusal["missing"]) {
    EXPECT_FALSE(missing["detail"].get<std::string>().empty());
    EXPECT_TRUE(missing.contains("field"));
  }
  EXPECT_EQ(VersionOf(id_), 1);

  view = Step("2026-03-02T09:00:00.000Z", "PUT", "adviseur", "/products/kadernotitie",
              CompleteKadernotitie());
  EXPECT_EQ(view["products"]["kadernotitie"]["complete"], true);
  EXPECT_EQ(view["products"]["kadernotitie"]["version"], 1);
  EXPECT_EQ(view["products"]["kadernotitie"]["content"], CompleteKadernotitie());
  const std::string hash = view["products"]["kadernotitie"]["hash"];

  view = Step("2026-03-03T09:00:00.000Z", "POST", "bestuur", "/adoptions",
              json{{"product", "kadernotitie"}, {"hash", hash}});
  EXPECT_EQ(view["products"]["kadernotitie"]["adopted"], true);
  EXPECT_EQ(view["products"]["kadernotitie"]["adopted_version"], 1);

  json capaciteit = CompleteCapaciteit();
  capaciteit["adviseur"] = UserOf("adviseur").id;  // who takes the adviseur's steps below
  view = Step("2026-03-03T10:00:00.000Z", "PUT", "manager", "/products/capaciteit", capaciteit);
  // The manager may not take naar_duiden later, but naar_gesprek now: "next" is per role.
  bool found = false;
  for (const json& next : view["next"]) {
    if (next["transition"] == "naar_gesprek") {
      found = true;
      EXPECT_EQ(next["allowed"], true);
      EXPECT_EQ(next["to"], "gesprek");
      EXPECT_EQ(next["missing"], json::array());
    }
  }
  EXPECT_TRUE(found);

  view = Step("2026-03-04T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_gesprek");
  EXPECT_EQ(view["state"], "gesprek");
  Step("2026-03-05T09:00:00.000Z", "PUT", "adviseur", "/products/gespreksplan",
       CompleteGespreksplan());
  view = Step("2026-03-11T09:00:00.000Z", "PUT", "adviseur", "/products/gespreksverslag/1",
              CompleteGespreksverslag("2026-03-10"));
  ASSERT_EQ(view["products"]["gespreksverslag"].size(), 1u);
  EXPECT_EQ(view["products"]["gespreksverslag"][0]["instance"], 1);
  EXPECT_EQ(view["products"]["gespreksverslag"][0]["content"]["inbreng"][0]["id"], "inbreng-1");

  view = Step("2026-03-12T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_duiden");
  EXPECT_EQ(view["state"], "duiden");
  ASSERT_EQ(view["deadlines"].size(), 1u);
  EXPECT_EQ(view["deadlines"][0]["key"], "terugkoppeling");
  EXPECT_EQ(view["deadlines"][0]["due"], "2026-04-09");
  EXPECT_EQ(view["deadlines"][0]["started_on"], "2026-03-12");
  EXPECT_EQ(view["deadlines"][0]["overdue"], false);
  EXPECT_TRUE(view["deadlines"][0]["met_at"].is_null());

  // Overdue from the start of the day after the due date, derived from the clock.
  now_ = At("2026-04-09T21:59:59.000Z");  // 23:59:59 in Amsterdam
  EXPECT_EQ(Body(Get("auditor", "/api/v1/processes/" + id_))["deadlines"][0]["overdue"], false);
  now_ = At("2026-04-09T22:00:00.000Z");
  EXPECT_EQ(Body(Get("auditor", "/api/v1/processes/" + id_))["deadlines"][0]["overdue"], true);

  Step("2026-03-20T09:00:00.000Z", "PUT", "adviseur", "/products/opbrengstendocument",
       CompleteOpbrengstendocument());
  Step("2026-03-21T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_terugkoppeling");
  Step("2026-03-25T09:00:00.000Z", "PUT", "adviseur", "/products/terugkoppelingsbericht",
       CompleteTerugkoppelingsbericht());
  view = Step("2026-03-26T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_besluit");
  EXPECT_EQ(view["state"], "besluit");
  EXPECT_EQ(view["deadlines"][0]["met_at"], "2026-03-26T09:00:00.000Z");
  Step("2026-04-15T20:00:00.000Z", "PUT", "bestuur", "/products/besluit",
       CompleteBesluit("2026-04-15"));
  Step("2026-04-20T09:00:00.000Z", "PUT", "adviseur", "/products/besluitterugkoppeling",
       CompleteBesluitterugkoppeling());
  Step("2026-04-21T09:00:00.000Z", "POST", "adviseur", "/transitions/naar_evaluatie");
  Step("2026-05-01T09:00:00.000Z", "PUT", "manager", "/products/evaluatie", CompleteEvaluatie());
  view = Step("2026-05-02T09:00:00.000Z", "POST", "manager", "/transitions/afronden",
              json{{"motivatie", "Alles gedaan"}});
  EXPECT_EQ(view["state"], "afgerond");
  EXPECT_EQ(view["closed_at"], "2026-05-02T09:00:00.000Z");
  EXPECT_EQ(view["next"], json::array());

  // The trail, as an auditor reads it and exports it.
  http::Response events = Get("auditor", "/api/v1/processes/" + id_ + "/events");
  ASSERT_EQ(events.status, 200);
  const json trail = Body(events)["items"];
  ASSERT_EQ(trail.size(), static_cast<std::size_t>(view["version"].get<int>()));
  for (std::size_t i = 0; i < trail.size(); ++i) {
    EXPECT_EQ(trail[i]["seq"], i + 1);
    EXPECT_EQ(trail[i]["hash"].get<std::string>().size(), 64u);
  }
  EXPECT_EQ(trail[0]["type"], "process.created");
  EXPECT_EQ(trail[0]["actor"], (json{{"user", UserOf("adviseur").id}, {"role", "adviseur"}}));
  // Colleagues by name for the reader; the event keeps the id (actor_name is beside it).
  EXPECT_EQ(trail[0]["actor_name"], UserOf("adviseur").name);
  for (const json& event : trail) {
    if (event["actor"]["role"] == "system") {
      EXPECT_FALSE(event.contains("actor_name")) << event.dump();
    } else {
      EXPECT_FALSE(event.value("actor_name", "").empty()) << event.dump();
    }
  }
  // Each event says what it means, in the definition's words (engine/event_description.h).
  for (const json& event : trail) {
    EXPECT_FALSE(event.value("description", "").empty()) << event["type"];
  }
  EXPECT_EQ(trail.back()["description"],
            "Stap gezet: Evaluatie → Afgerond (motivering: Alles gedaan)");
  http::Response exported = Get("auditor", "/api/v1/processes/" + id_ + "/events.jsonl");
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.content_type, "application/jsonl");
  // It ends with a checkpoint signed now, with the key the server publishes.
  http::Response published = Get("auditor", "/api/v1/audit/public-key");
  ASSERT_EQ(published.status, 200);
  auto public_key = PublicKey::FromPem(Body(published).value("public_key_pem", ""));
  ASSERT_TRUE(public_key.ok()) << public_key.status().message();
  std::istringstream lines(exported.body);
  VerifyReport report = VerifyExport(lines, *public_key);
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_TRUE(report.signature_verified);
  EXPECT_EQ(report.events, static_cast<std::int64_t>(trail.size()));
  EXPECT_EQ(report.process_id, id_);
  ASSERT_TRUE(report.checkpoint.has_value());
  EXPECT_EQ(report.checkpoint->at, now_);

  // Closed: the list shows it, and nothing can change any more.
  http::Response list = Get("manager", "/api/v1/processes?state=afgerond");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(Body(list)["items"].size(), 1u);
  EXPECT_EQ(Body(list)["items"][0]["id"], id_);
  EXPECT_EQ(Body(list)["items"][0]["closed_at"], "2026-05-02T09:00:00.000Z");
  http::Response closed =
      Command("PUT", "adviseur", "/api/v1/processes/" + id_ + "/products/evaluatie",
              CompleteEvaluatie(), view["version"]);
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(MissingCodes(closed), (std::vector<std::string>{"proces_afgesloten "}));
}

TEST_F(StandardProcessTest, SavingAdoptedKadernotitieAgainUnadoptsIt) {
  id_ = NewProcess();
  etag_ = "\"1\"";
  Step("2026-03-02T09:00:00.000Z", "PUT", "adviseur", "/products/kadernotitie",
       CompleteKadernotitie());
  Step("2026-03-03T09:00:00.000Z", "POST", "bestuur", "/adoptions",
       json{{"product", "kadernotitie"}});
  json changed = CompleteKadernotitie();
  changed["onderwerp"] = "Herinrichting Marktplein en omgeving";
  // Without saying that the adoption lapses, nothing is recorded.
  http::Response kept = Send("PUT", "/api/v1/processes/" + id_ + "/products/kadernotitie",
                             Token("adviseur"), changed.dump(), {{"If-Match", etag_}});
  EXPECT_EQ(kept.status, 409);
  EXPECT_EQ(MissingCodes(kept), (std::vector<std::string>{"vaststelling_vervalt kadernotitie"}));
  json view = Step("2026-03-04T09:00:00.000Z", "PUT", "adviseur",
                   "/products/kadernotitie?vaststellingVervalt=true", changed);
  EXPECT_EQ(view["products"]["kadernotitie"]["version"], 2);
  EXPECT_EQ(view["products"]["kadernotitie"]["adopted"], false);
  EXPECT_EQ(view["products"]["kadernotitie"]["adopted_version"], 1);

  // Adopting with the hash of the old text is refused: the adopter did not see this one.
  http::Response stale_hash =
      Command("POST", "bestuur", "/api/v1/processes/" + id_ + "/adoptions",
              json{{"product", "kadernotitie"}, {"hash", std::string(64, 'a')}}, view["version"]);
  EXPECT_EQ(stale_hash.status, 409);
  EXPECT_EQ(MissingCodes(stale_hash), (std::vector<std::string>{"versie_gewijzigd kadernotitie"}));
}

TEST_F(StandardProcessTest, DraftsAreSavedAndSayWhatIsMissing) {
  id_ = NewProcess();
  etag_ = "\"1\"";
  json view = Step("2026-03-02T09:00:00.000Z", "PUT", "adviseur", "/products/kadernotitie",
                   json{{"onderwerp", "Marktplein"}});
  const json& entry = view["products"]["kadernotitie"];
  EXPECT_EQ(entry["complete"], false);
  std::vector<std::string> fields;
  for (const json& missing : entry["missing"]) fields.push_back(missing["field"]);
  EXPECT_EQ(fields, (std::vector<std::string>{"doel", "vastgelegd", "ruimte", "besluitvormer",
                                              "participatieniveau", "doelgroepen",
                                              "terugkoppeltermijn_dagen"}));
}

TEST_F(StandardProcessTest, StopsWithAMotivation) {
  id_ = NewProcess();
  etag_ = "\"1\"";
  Step("2026-03-02T09:00:00.000Z", "PUT", "manager", "/products/stopbericht",
       json{{"reden", "Project geschrapt"}});
  json view = Step("2026-03-03T09:00:00.000Z", "POST", "bestuur", "/transitions/stoppen",
                   json{{"motivatie", "Geen budget"}});
  EXPECT_EQ(view["state"], "gestopt");
  const json trail = Body(Get("bestuur", "/api/v1/processes/" + id_ + "/events"))["items"];
  EXPECT_EQ(trail.back()["type"], "process.stopped");
  EXPECT_EQ(trail.back()["data"]["motivatie"], "Geen budget");
  EXPECT_EQ(trail.back()["description"], "Proces gestopt (motivering: Geen budget)");
}

}  // namespace
}  // namespace navolg::testing
