// A process whose trail or projection was edited behind navolg's back, as users meet it over
// the real server: a 409 problem that says what was found instead of a 500, on reads and on
// commands; the report still served, saying how far the trail verifies; the check when
// `navolg serve` starts marking an edit that only a whole-chain check finds; `navolg audit
// check` naming the process. And the trail read in pages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/http/served_organisation.h"
#include "tests/storage/tamper.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using namespace navolg::testing;
using nlohmann::json;

constexpr const char* kDamagedType = "urn:navolg:problem:audittrail-beschadigd";

class DamageHttpTest : public ServedOrganisationTest {
 protected:
  DamageHttpTest() : ServedOrganisationTest("damage") {}
  void SetUp() override {
    ServedOrganisationTest::SetUp();
    Start();
  }

  void Start() {
    server_ = StartServe(Navolg(), db_);
    ASSERT_NE(server_.port, 0) << server_.banner;
  }

  // A process with a kadernotitie saved `saves` times ("Versie 1", ...).
  std::string ProcessWithSaves(int saves) {
    HttpResult created = Send("POST", "/api/v1/processes", adviseur_,
                              R"({"workflow":"standaard-participatie","title":"Marktplein"})");
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = json::parse(created.body).value("id", "");
    for (int i = 1; i <= saves; ++i) Save(id, i, 200);
    return id;
  }

  void Save(const std::string& id, int i, int expected_status) {
    json text = {{"onderwerp", "Marktplein"}, {"doel", "Versie " + std::to_string(i)}};
    HttpResult saved = Send("PUT", "/api/v1/processes/" + id + "/products/kadernotitie", adviseur_,
                            text.dump(), "If-Match: \"" + std::to_string(i) + "\"\r\n");
    EXPECT_EQ(saved.status, expected_status) << saved.body;
    last_ = saved;
  }

  // Edits the file as someone with access to it would (the server may be running: WAL).
  void Tamper(const std::string& sql) { TamperWithDatabase(db_, sql); }

  static void ExpectDamaged(const HttpResult& result, const std::string& words) {
    EXPECT_EQ(result.status, 409) << result.body;
    EXPECT_EQ(result.Header("content-type"), "application/problem+json");
    const json problem = json::parse(result.body, nullptr, false);
    ASSERT_TRUE(problem.is_object()) << result.body;
    EXPECT_EQ(problem.value("type", ""), kDamagedType);
    EXPECT_EQ(problem.value("title", ""), "Audittrail beschadigd");
    const std::string detail = problem.value("detail", "");
    EXPECT_NE(detail.find(words), std::string::npos) << detail;
    EXPECT_NE(detail.find("navolg audit check"), std::string::npos) << detail;
  }

  HttpResult last_;
};

TEST_F(DamageHttpTest, AnEditedTextOfALiveProcessIsA409ThatSaysSoNotA500) {
  const std::string id = ProcessWithSaves(2);
  Tamper("UPDATE product_versions SET content = replace(content, 'Versie 2', 'Versie X')");
  ExpectDamaged(Send("GET", "/api/v1/processes/" + id, adviseur_), "kadernotitie 1 versie 2");
  // The operator's check marks it; from then on commands are refused as well.
  const std::string checked = Shell(Navolg() + " audit check --db '" + db_ + "'; echo exit=$?");
  EXPECT_NE(checked.find("BESCHADIGD " + id), std::string::npos) << checked;
  EXPECT_NE(checked.find("exit=1"), std::string::npos) << checked;
  Save(id, 3, 409);
  ExpectDamaged(last_, "kadernotitie 1 versie 2");
  // Another process is untouched by it.
  const std::string other = ProcessWithSaves(0);
  EXPECT_EQ(Send("GET", "/api/v1/processes/" + other, adviseur_).status, 200);
}

TEST_F(DamageHttpTest, TheCheckAtStartMarksAnEditInTheMiddleOfTheTrail) {
  const std::string id = ProcessWithSaves(3);
  EXPECT_EQ(server_.Stop(SIGTERM), 0);
  Tamper("UPDATE events SET line = replace(line, 'Versie 1', 'Versie X') WHERE seq = 2");
  Start();
  ExpectDamaged(Send("GET", "/api/v1/processes/" + id, adviseur_), "gebeurtenis 2");
  Save(id, 4, 409);

  // The report is still there for the auditor, built on the part that verifies.
  HttpResult report = Send("GET", "/api/v1/processes/" + id + "/report", auditor_);
  ASSERT_EQ(report.status, 200) << report.body;
  const json trail = json::parse(report.body)["audittrail"];
  EXPECT_EQ(trail["intact"], false);
  EXPECT_EQ(trail["events_verified"], 1);
  EXPECT_NE(trail.value("reason", "").find("gebeurtenis 2"), std::string::npos) << trail;
  HttpResult page =
      Send("GET", "/api/v1/processes/" + id + "/report", auditor_, "", "Accept: text/html\r\n");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Logboek beschadigd."), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("alleen de ene gebeurtenis die nog klopt"), std::string::npos);
  // The export is evidence, handed out unsigned.
  HttpResult exported = Send("GET", "/api/v1/processes/" + id + "/events.jsonl", auditor_);
  EXPECT_EQ(exported.status, 200);
  EXPECT_EQ(exported.body.find("\"format\""), std::string::npos)
      << "a damaged chain is never signed";
  ExpectDamaged(Send("GET", "/api/v1/processes/" + id + "/events", auditor_), "gebeurtenis 2");

  // The operator's check names it, and exits 1.
  const std::string checked = Shell(Navolg() + " audit check --db '" + db_ + "'; echo exit=$?");
  EXPECT_NE(checked.find("BESCHADIGD " + id), std::string::npos) << checked;
  EXPECT_NE(checked.find("1 processen gecontroleerd, 1 beschadigd"), std::string::npos) << checked;
  EXPECT_NE(checked.find("exit=1"), std::string::npos) << checked;
}

TEST_F(DamageHttpTest, TheTrailComesInPagesWithALinkToTheNext) {
  const std::string id = ProcessWithSaves(4);  // 5 events
  const std::string base = "/api/v1/processes/" + id + "/events";
  HttpResult first = Send("GET", base + "?limit=2", auditor_);
  ASSERT_EQ(first.status, 200) << first.body;
  json body = json::parse(first.body);
  ASSERT_EQ(body["items"].size(), 2u);
  EXPECT_EQ(body["items"][0]["seq"], 1);
  EXPECT_EQ(body["items"][0]["description"], "Proces aangemaakt: Marktplein");
  EXPECT_EQ(body["next"], 2);
  EXPECT_EQ(first.Header("link"), "<" + base + "?after=2&limit=2>; rel=\"next\"");
  HttpResult rest = Send("GET", base + "?after=2", auditor_);
  body = json::parse(rest.body);
  ASSERT_EQ(body["items"].size(), 3u);
  EXPECT_EQ(body["items"][0]["seq"], 3);
  EXPECT_EQ(body["next"], nullptr);
  EXPECT_EQ(rest.Header("link"), "");
  for (const char* bad : {"?after=-1", "?after=abc", "?after=", "?limit=0", "?limit=1001",
                          "?limit=2x", "?after=99999999999999999999"}) {
    EXPECT_EQ(Send("GET", base + bad, auditor_).status, 400) << bad;
  }

  const std::string checked = Shell(Navolg() + " audit check --db '" + db_ + "'; echo exit=$?");
  EXPECT_NE(checked.find("in orde     " + id), std::string::npos) << checked;
  EXPECT_NE(checked.find("5 gebeurtenissen"), std::string::npos) << checked;
  EXPECT_NE(checked.find("exit=0"), std::string::npos) << checked;
}

}  // namespace
}  // namespace navolg
