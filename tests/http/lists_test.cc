// The lists pages show over many processes, over a real server: the process list with its
// filters, pages, phase titles, assignees and next deadlines; what waits for the caller's
// adoption; and gzip for the web files and large answers.
#include <zlib.h>

#include <set>

#include "tests/http/server_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

// The text a gzip member holds ("" when it is not one).
std::string Gunzip(const std::string& gzipped) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return "";
  std::string out;
  char buffer[16384];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzipped.data()));
  stream.avail_in = static_cast<uInt>(gzipped.size());
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  return result == Z_STREAM_END ? out : "";
}

class ListsTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    // Waits for bestuur's adoption of its kadernotitie; nobody assigned, no deadline.
    marktplein_ = CreateProcess("Marktplein");
    Run(marktplein_, {{SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                       "2026-03-02T09:00:00.000Z"}});
    // Assigned to A adviseur, in duiden, its terugkoppeling due 2026-04-09: overdue now.
    stationsplein_ = CreateProcess("Stationsplein");
    json capaciteit = CompleteCapaciteit();
    capaciteit["adviseur"] = user_ids_.at("adviseur");
    std::vector<WalkStep> steps = {
        {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
         "2026-03-02T09:00:00.000Z"},
        {AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"},
        {SaveProduct{"capaciteit", 0, capaciteit}, Manager(), "2026-03-03T10:00:00.000Z"}};
    for (WalkStep& step : StandardWalkFromGesprek()) {
      steps.push_back(std::move(step));
      if (steps.size() == 7) break;  // naar_duiden taken
    }
    Run(stationsplein_, std::move(steps));
    for (const char* title : {"Kerkpad", "Dorpsstraat", "Havenkade"}) {
      others_.push_back(CreateProcess(title));
    }
    // Organisation B's process waits for its bestuur: never in A's lists.
    other_organisation_ = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
    ASSERT_TRUE(SubmitAs(org_b_, other_organisation_,
                         navolg::CreateProcess{other_organisation_, "Marktplein B"}, Adviseur(),
                         At("2026-03-01T09:00:00.000Z"))
                    .committed());
    ASSERT_TRUE(SubmitAs(org_b_, other_organisation_,
                         SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                         At("2026-03-02T09:00:00.000Z"))
                    .committed());
  }

  void Run(const std::string& id, std::vector<WalkStep> steps) {
    for (WalkStep& step : steps) {
      auto result = Submit(id, std::move(step.command), step.actor, step.at);
      ASSERT_TRUE(result.committed()) << result.status.message();
    }
  }

  json Get(const std::string& target, const std::string& role) {
    HttpResult result = Call("GET", target, role);
    EXPECT_EQ(result.status, 200) << target << ": " << result.body;
    return Json(result);
  }

  // The titles of a page's items (the processes' ids share an instant here, so their order is
  // their random part's).
  static std::multiset<std::string> Titles(const json& page) {
    std::multiset<std::string> titles;
    for (const json& item : page["items"]) titles.insert(item["title"].get<std::string>());
    return titles;
  }

  std::string marktplein_;
  std::string stationsplein_;
  std::vector<std::string> others_;
  std::string other_organisation_;
};

TEST_F(ListsTest, OneRequestGivesEachProcessItsPhaseAssigneeAndNextDeadline) {
  const json page = Get("/api/v1/processes", "manager");
  EXPECT_EQ(page["total"], 5);
  EXPECT_EQ(page["next"], nullptr);
  ASSERT_EQ(page["items"].size(), 5u);
  for (const json& item : page["items"]) {
    EXPECT_NE(item["id"], other_organisation_) << "another organisation's process is listed";
    EXPECT_EQ(item["workflow"]["title"], "Standaard participatieproces") << item;
    if (item["id"] == stationsplein_) {
      EXPECT_EQ(item["state"], "duiden");
      EXPECT_EQ(item["state_title"], "Opbrengst duiden");
      EXPECT_EQ(item["assignee"], (json{{"id", user_ids_.at("adviseur")}, {"name", "A adviseur"}}));
      EXPECT_EQ(item["next_deadline"], (json{{"key", "terugkoppeling"},
                                             {"title", "Terugkoppeling aan deelnemers"},
                                             {"due", "2026-04-09"},
                                             {"overdue", true}}));
    } else {
      EXPECT_EQ(item["state_title"], "Kaders vastleggen");
      EXPECT_EQ(item["assignee"], nullptr);
      EXPECT_EQ(item["next_deadline"], nullptr);
    }
  }
  // Before the due date's day has ended, the same deadline is not overdue.
  now_ = At("2026-04-09T12:00:00.000Z");
  const json earlier = Get("/api/v1/processes?overdue=true", "manager");
  EXPECT_EQ(earlier["total"], 0);
}

TEST_F(ListsTest, FiltersArePhaseMineOverdueAndTextInTheTitle) {
  struct Case {
    std::string query;
    std::string role;
    std::multiset<std::string> titles;
  };
  const std::vector<Case> cases = {
      {"state=duiden", "manager", {"Stationsplein"}},
      {"state=kaders", "manager", {"Marktplein", "Kerkpad", "Dorpsstraat", "Havenkade"}},
      {"overdue=true", "bestuur", {"Stationsplein"}},
      {"mine=true", "adviseur", {"Stationsplein"}},
      {"mine=true", "manager", {}},
      {"q=PLEIN", "auditor", {"Marktplein", "Stationsplein"}},
      {"q=markt&mine=false&overdue=false", "manager", {"Marktplein"}},
      {"q=%25", "manager", {}},  // a literal '%', not a wildcard
      {"q=plein&state=duiden&mine=true&overdue=true", "adviseur", {"Stationsplein"}},
  };
  for (const Case& c : cases) {
    const json page = Get("/api/v1/processes?" + c.query, c.role);
    EXPECT_EQ(Titles(page), c.titles) << c.query;
    EXPECT_EQ(page["total"], c.titles.size()) << c.query;
  }
  for (const char* bad : {"mine=yes", "overdue=1", "limit=0", "limit=201"}) {
    EXPECT_EQ(Call("GET", std::string("/api/v1/processes?") + bad, "manager").status, 400) << bad;
  }
  EXPECT_EQ(Call("GET", "/api/v1/processes?q=" + std::string(201, 'a'), "manager").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/processes", "beheerder").status, 403);
  const json other = Get("/api/v1/processes?q=markt", "other");
  EXPECT_EQ(Titles(other), std::multiset<std::string>{"Marktplein B"});
}

TEST_F(ListsTest, PagesFollowNextToTheEndAndEachCountsTheWhole) {
  std::vector<std::string> seen;
  std::string target = "/api/v1/processes?limit=2";
  for (int pages = 0; pages < 10; ++pages) {
    const json page = Get(target, "manager");
    EXPECT_EQ(page["total"], 5);
    EXPECT_LE(page["items"].size(), 2u);
    for (const json& item : page["items"]) seen.push_back(item["id"]);
    if (page["next"].is_null()) break;
    target = "/api/v1/processes?limit=2&after=" + page["next"].get<std::string>();
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 5u) << "a process twice";
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end())) << "not in id (creation) order";
}

TEST_F(ListsTest, WhatWaitsForAdoptionIsTheRolesOwnAndGoesWhenAdopted) {
  const json waiting = Get("/api/v1/adoptions?status=open", "bestuur");
  ASSERT_EQ(waiting["items"].size(), 1u) << waiting;
  EXPECT_EQ(waiting["total"], 1);
  const json& item = waiting["items"][0];
  EXPECT_EQ(item["process"], (json{{"id", marktplein_}, {"title", "Marktplein"}}));
  EXPECT_EQ(item["product"], (json{{"key", "kadernotitie"}, {"title", "Kadernotitie"}}));
  EXPECT_EQ(item["instance"], 1);
  EXPECT_EQ(item["version"], 1);
  EXPECT_EQ(item["saved_at"], "2026-03-02T09:00:00.000Z");
  const json view = Get("/api/v1/processes/" + marktplein_, "bestuur");
  EXPECT_EQ(item["hash"], view["products"]["kadernotitie"]["hash"]);

  // Nothing of the standard process waits for an adviseur; auditor and beheerder adopt nothing.
  EXPECT_EQ(Get("/api/v1/adoptions", "adviseur")["items"], json::array());
  EXPECT_EQ(Call("GET", "/api/v1/adoptions", "auditor").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/adoptions", "beheerder").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/adoptions?status=done", "bestuur").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/adoptions?after=nonsense", "bestuur").status, 400);

  // A second one waits: two pages of one.
  Run(others_[0], {{SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                    "2026-03-04T09:00:00.000Z"}});
  const json first = Get("/api/v1/adoptions?limit=1", "bestuur");
  ASSERT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["total"], 2);
  ASSERT_TRUE(first["next"].is_string());
  const json second =
      Get("/api/v1/adoptions?limit=1&after=" + first["next"].get<std::string>(), "bestuur");
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_NE(second["items"][0]["process"]["id"], first["items"][0]["process"]["id"]);
  EXPECT_EQ(second["next"], nullptr);

  // Adopted, it waits no longer; changed again, it waits again, as version 2.
  HttpResult adopted = Call("POST", "/api/v1/processes/" + marktplein_ + "/adoptions", "bestuur",
                            R"({"product":"kadernotitie"})", view["version"].get<std::int64_t>());
  ASSERT_EQ(adopted.status, 200) << adopted.body;
  json after = Get("/api/v1/adoptions", "bestuur");
  ASSERT_EQ(after["items"].size(), 1u);
  EXPECT_EQ(after["items"][0]["process"]["id"], others_[0]);
  json changed = CompleteKadernotitie();
  changed["doel"] = "Wensen ophalen, ook van jongeren";
  Run(marktplein_, {{SaveProduct{"kadernotitie", 0, changed, /*voids_adoption=*/true}, Adviseur(),
                     "2026-03-05T09:00:00.000Z"}});
  after = Get("/api/v1/adoptions", "bestuur");
  ASSERT_EQ(after["items"].size(), 2u);
  for (const json& waiting_item : after["items"]) {
    if (waiting_item["process"]["id"] == marktplein_) {
      EXPECT_EQ(waiting_item["version"], 2);
    }
  }
}

TEST_F(ListsTest, WebFilesAndLargeAnswersAreGzippedForClientsThatAcceptIt) {
  for (const char* file : {"/assets/app.js", "/assets/app.css", "/"}) {
    HttpConnection plain_connection(port_);
    const HttpResult plain = plain_connection.Request("GET", file, "");
    HttpConnection gzip_connection(port_);
    const HttpResult gzipped =
        gzip_connection.Request("GET", file, "Accept-Encoding: gzip, deflate, br\r\n");
    ASSERT_EQ(plain.status, 200);
    ASSERT_EQ(gzipped.status, 200);
    EXPECT_EQ(plain.Header("content-encoding"), "");
    EXPECT_EQ(gzipped.Header("content-encoding"), "gzip") << file;
    EXPECT_EQ(gzipped.Header("vary"), "Accept-Encoding");
    EXPECT_EQ(plain.Header("vary"), "Accept-Encoding");
    EXPECT_LT(gzipped.body.size(), plain.body.size());
    EXPECT_EQ(Gunzip(gzipped.body), plain.body) << file;
    EXPECT_NE(gzipped.Header("etag"), plain.Header("etag")) << "one ETag for two encodings";
    HttpConnection again(port_);
    EXPECT_EQ(
        again
            .Request("GET", file,
                     "Accept-Encoding: gzip\r\nIf-None-Match: " + gzipped.Header("etag") + "\r\n")
            .status,
        304);
    HttpConnection refused(port_);
    EXPECT_EQ(
        refused.Request("GET", file, "Accept-Encoding: gzip;q=0, *\r\n").Header("content-encoding"),
        "");
  }
  // The process list of five processes is over a kilobyte: gzipped, and the same JSON.
  const HttpResult plain = Call("GET", "/api/v1/processes", "manager");
  HttpConnection connection(port_);
  const HttpResult gzipped = connection.Request(
      "GET", "/api/v1/processes",
      "Authorization: Bearer " + tokens_.at("manager") + "\r\nAccept-Encoding: gzip\r\n");
  ASSERT_EQ(gzipped.status, 200);
  EXPECT_EQ(gzipped.Header("content-encoding"), "gzip");
  EXPECT_EQ(json::parse(Gunzip(gzipped.body)), json::parse(plain.body));
  // A process view carries its version as ETag (If-Match compares it): never gzipped.
  HttpConnection view_connection(port_);
  const HttpResult view = view_connection.Request(
      "GET", "/api/v1/processes/" + stationsplein_,
      "Authorization: Bearer " + tokens_.at("manager") + "\r\nAccept-Encoding: gzip\r\n");
  ASSERT_EQ(view.status, 200);
  EXPECT_EQ(view.Header("content-encoding"), "");
}

}  // namespace
}  // namespace navolg
