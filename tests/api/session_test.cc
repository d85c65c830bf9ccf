// Signing in with a password, over a real loopback server: the cookie and its flags, one
// answer for every wrong combination, throttling, the Origin rule for changing requests made
// with the cookie, sign-out, idle and absolute session ends, and organisation isolation.
// Bearer tokens keep working unchanged alongside.
//
// Every sign-in costs about a second of PBKDF2 (on purpose), so tests sign in sparingly; the
// fixture's users get a precomputed hash instead of hashing one each.
#include <future>
#include <regex>
#include <set>
#include <sstream>

#include "api/http/policy.h"
#include "engine/sha256.h"
#include "storage/sessions.h"
#include "storage/sign_in_throttle.h"
#include "storage/sql/sqlite.h"
#include "tests/api/app_fixture.h"
#include "tests/storage/known_password.h"
#include "tests/storage/raw_database.h"

namespace navolg::testing {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class SessionTest : public AppFixture {
 protected:
  void SetUp() override {
    over_http_ = true;
    AppFixture::SetUp();
    auto db = storage::OpenConnection({path_});
    ASSERT_TRUE(db.ok()) << db.status().message();
    for (const char* org : {kOrgA, kOrgB}) {
      for (const char* role : {"adviseur", "beheerder"}) {
        ASSERT_TRUE(storage::SetPasswordHash(**db, UserOf(role, org).id, kKnownPasswordHash).ok());
      }
    }
  }

  // The server's own origin, as a browser on its pages sends it.
  std::string OwnOrigin() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  http::Response SignIn(const std::string& organisation, const std::string& name,
                        const std::string& password, http::Headers headers = {}) {
    return Send("POST", "/api/v1/session", "",
                json{{"organisation", organisation}, {"name", name}, {"password", password}}.dump(),
                headers);
  }

  // Signs `role` of `org` in with the right password; returns "navolg_session=ID".
  std::string SignedIn(const std::string& role, const char* org = kOrgA) {
    http::Response response = SignIn(org, UserOf(role, org).name, kKnownPassword);
    EXPECT_EQ(response.status, 200) << response.body;
    return CookieOf(response);
  }

  // The "name=value" part of the Set-Cookie header; empty when there is none.
  static std::string CookieOf(const http::Response& response) {
    const std::string set = Header(response, "Set-Cookie");
    return set.substr(0, set.find(';'));
  }

  // A request with the cookie and no token; `headers` as for Send.
  http::Response WithCookie(const std::string& method, const std::string& target,
                            const std::string& cookie, const std::string& body = "",
                            http::Headers headers = {}) {
    headers["Cookie"] = cookie;
    return Send(method, target, "", body, headers);
  }

  std::string Metric(const std::string& outcome) {
    const std::string text = metrics_.Render();
    const std::string key = "navolg_sign_ins_total{outcome=\"" + outcome + "\"} ";
    const auto at = text.find(key);
    return at == std::string::npos
               ? "absent"
               : text.substr(at + key.size(), text.find('\n', at) - at - key.size());
  }
};

TEST_F(SessionTest, SignInSetsAnHttpOnlySameSiteStrictSessionCookie) {
  http::Response response = SignIn(kOrgA, "adviseur van gemeente-a", kKnownPassword);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Body(response), Body(Get("adviseur", "/api/v1/me")));
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");

  const std::string set_cookie = Header(response, "Set-Cookie");
  std::smatch parts;
  ASSERT_TRUE(std::regex_match(set_cookie, parts, std::regex("navolg_session=([0-9a-f]{64})(;.*)")))
      << set_cookie;
  std::set<std::string> attributes;
  std::istringstream in(parts[2].str());
  for (std::string attribute; std::getline(in, attribute, ';');) {
    attribute.erase(0, attribute.find_first_not_of(' '));
    if (!attribute.empty()) attributes.insert(attribute);
  }
  EXPECT_EQ(attributes, (std::set<std::string>{"Path=/", "HttpOnly", "SameSite=Strict"}))
      << set_cookie;
  // Without a public https address the cookie cannot be Secure (plain http would drop it).
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);

  // The cookie is the credential now; only its hash is in the database.
  const std::string cookie = CookieOf(response);
  http::Response me = WithCookie("GET", "/api/v1/me", cookie);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me)["role"], "adviseur");
  EXPECT_EQ(Body(me)["organisation"], kOrgA);
  EXPECT_EQ(Body(me)["actions"], json(http::AllowedActionNames("adviseur")));
  auto db = RawReader(path_);
  storage::sql::Statement stored(*db, "SELECT hash FROM sessions");
  ASSERT_TRUE(stored.executeStep());
  EXPECT_EQ(stored.getColumn(0).getString(), Sha256Hex(parts[1].str()).value());
  EXPECT_EQ(Metric("success"), "1");
}

TEST_F(SessionTest, EveryWrongCombinationGetsTheSameAnswer) {
  const std::vector<std::pair<std::string, std::string>> tries = {
      {kOrgA, "adviseur van gemeente-a"},  // wrong password below
      {kOrgA, "niemand"},                  // no such user
      {kOrgB, "adviseur van gemeente-a"},  // a user of the other organisation
      {kOrgA, "manager van gemeente-a"},   // a user without a password
  };
  std::vector<http::Response> answers;
  for (const auto& [organisation, name] : tries) {
    answers.push_back(SignIn(organisation, name,
                             name == "adviseur van gemeente-a" && organisation == kOrgA
                                 ? "niet het goede wachtwoord"
                                 : kKnownPassword));
  }
  for (std::size_t i = 0; i < answers.size(); ++i) {
    EXPECT_EQ(answers[i].status, 401) << tries[i].second;
    EXPECT_EQ(answers[i].body, answers[0].body) << tries[i].second;
    EXPECT_EQ(answers[i].headers, answers[0].headers) << tries[i].second;
    EXPECT_EQ(Header(answers[i], "Set-Cookie"), "");
  }
  EXPECT_EQ(answers[0].content_type, "application/problem+json");
  EXPECT_NE(Body(answers[0])["detail"].get<std::string>().find("klopt niet"), std::string::npos);
  EXPECT_EQ(Metric("failure"), "4");
  EXPECT_EQ(Metric("success"), "0");
}

// People know their organisation by its name; the slug is what the beheerder typed once.
TEST_F(SessionTest, TheOrganisationMayBeTypedByItsNameOrItsSlugInAnyCase) {
  for (const char* typed : {"  Gemeente gemeente-a ", "GEMEENTE-A", "gemeente GEMEENTE-A"}) {
    http::Response response = SignIn(typed, "adviseur van gemeente-a", kKnownPassword);
    ASSERT_EQ(response.status, 200) << typed << ": " << response.body;
    EXPECT_EQ(Body(response)["organisation"], kOrgA) << typed;
    EXPECT_EQ(Body(response)["organisation_name"], "Gemeente gemeente-a") << typed;
  }
  EXPECT_EQ(
      Body(WithCookie("GET", "/api/v1/me", SignedIn("beheerder", kOrgB)))["organisation_name"],
      "Gemeente gemeente-b");
}

// An organisation nobody knows by that name gets help to find it, whatever name and password
// came with it: the answer is the same for a name that exists elsewhere and one that does not.
TEST_F(SessionTest, AnUnknownOrganisationIsExplainedWithoutSayingAnythingAboutNames) {
  http::Response existing = SignIn("Gemeente C", "adviseur van gemeente-a", kKnownPassword);
  http::Response made_up = SignIn("Gemeente C", "niemand", "een ander wachtwoord");
  ASSERT_EQ(existing.status, 401) << existing.body;
  EXPECT_EQ(existing.body, made_up.body);
  EXPECT_EQ(existing.headers, made_up.headers);
  EXPECT_EQ(Header(existing, "Set-Cookie"), "");
  const json problem = Body(existing);
  ASSERT_EQ(problem["missing"].size(), 1u) << existing.body;
  EXPECT_EQ(problem["missing"][0]["code"], "organisatie_onbekend");
  EXPECT_EQ(problem["missing"][0]["field"], "organisation");
  const std::string detail = problem["detail"];
  EXPECT_NE(detail.find("geen organisatie 'Gemeente C' bekend"), std::string::npos) << detail;
  EXPECT_NE(detail.find("hoofdletters maken niet uit"), std::string::npos) << detail;
  EXPECT_EQ(detail.find("adviseur"), std::string::npos) << detail;
  EXPECT_EQ(Metric("failure"), "2");

  // A known organisation with a wrong name keeps the one answer of every wrong combination.
  http::Response wrong_name = SignIn("GEMEENTE-A", "niemand", kKnownPassword);
  EXPECT_EQ(wrong_name.status, 401);
  EXPECT_FALSE(Body(wrong_name).contains("missing")) << wrong_name.body;
}

// However the organisation is typed, guesses at one name count against that one name.
TEST_F(SessionTest, TheThrottleCountsAnOrganisationByItsSlugHoweverItIsTyped) {
  const char* spellings[] = {"gemeente-a", "GEMEENTE-A", "Gemeente gemeente-a",
                             "gemeente GEMEENTE-a", " gemeente-a"};
  static_assert(std::size(spellings) == storage::kFreeFailures);
  for (const char* typed : spellings) {
    EXPECT_EQ(SignIn(typed, "adviseur van gemeente-a", "een gok").status, 401) << typed;
  }
  http::Response locked = SignIn("Gemeente Gemeente-A", "adviseur van gemeente-a", kKnownPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
}

// With one organisation in the installation the sign-in page needs nobody to type it; with
// several it names none of them.
TEST_F(SessionTest, SignInOptionsNameTheOrganisationOnlyWhenThereIsOne) {
  http::Response two = Send("GET", "/api/v1/sign-in-options", "");
  ASSERT_EQ(two.status, 200) << two.body;
  EXPECT_EQ(Body(two), (json{{"organisation", nullptr}}));
  {
    auto db_owned = RawWriter(path_);
    storage::sql::Database& db = *db_owned;
    // Behind navolg's back, past the references to it.
    if (db.dialect() == storage::sql::Dialect::kSqlite) {
      db.exec("PRAGMA foreign_keys = OFF");
    } else {
      db.exec("SET session_replication_role = replica");
    }
    db.exec("DELETE FROM organisations WHERE slug = 'gemeente-b'");
  }
  http::Response one = Send("GET", "/api/v1/sign-in-options", "");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Body(one),
            (json{{"organisation", {{"slug", kOrgA}, {"name", "Gemeente gemeente-a"}}}}));
}

TEST_F(SessionTest, MalformedSignInsAreRefusedWithoutChecking) {
  EXPECT_EQ(Send("POST", "/api/v1/session", "", "organisation=a&name=b",
                 {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            415);
  EXPECT_EQ(Send("POST", "/api/v1/session", "", "{\"organisation\":\"gemeente-a\"}").status, 400);
  EXPECT_EQ(Send("POST", "/api/v1/session", "",
                 json{{"organisation", kOrgA}, {"name", "x"}, {"password", 12}}.dump())
                .status,
            400);
  EXPECT_EQ(Metric("failure"), "0");
}

// Five wrong passwords at once from one address are all counted before any is checked; the
// sixth try from that address, even with the right password, is refused unchecked with 429
// and Retry-After until the lock ends. (Other addresses are not locked out:
// tests/http/sign_in_flood_test.cc.)
TEST_F(SessionTest, RepeatedFailuresAreAnswered429UntilTheLockEnds) {
  const std::string name = "adviseur van gemeente-a";
  std::vector<std::future<http::Response>> guesses;
  for (int i = 0; i < storage::kFreeFailures; ++i) {
    guesses.push_back(std::async(std::launch::async, [&, i] {
      return SignIn(kOrgA, name, "gok nummer " + std::to_string(i));
    }));
  }
  for (auto& guess : guesses) EXPECT_EQ(guess.get().status, 401);

  http::Response locked = SignIn(kOrgA, name, kKnownPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(Header(locked, "Retry-After"), "30");
  EXPECT_EQ(Header(locked, "Set-Cookie"), "");
  EXPECT_NE(Body(locked)["detail"].get<std::string>().find("30 seconden"), std::string::npos)
      << locked.body;
  EXPECT_EQ(Metric("throttled"), "1");
  // The name's lock is the name's: a colleague signs in as usual.
  EXPECT_EQ(SignIn(kOrgA, "beheerder van gemeente-a", kKnownPassword).status, 200);

  now_ += seconds(20);
  EXPECT_EQ(Header(SignIn(kOrgA, name, kKnownPassword), "Retry-After"), "10");
  now_ += seconds(10);
  EXPECT_EQ(SignIn(kOrgA, name, kKnownPassword).status, 200);
}

TEST_F(SessionTest, ChangingRequestsWithTheCookieMustComeFromOurOwnPages) {
  const std::string cookie = SignedIn("adviseur");
  const std::string start = json{{"workflow", "standaard-participatie"}, {"title", "Plein"}}.dump();
  // Reading needs no Origin.
  EXPECT_EQ(WithCookie("GET", "/api/v1/processes", cookie).status, 200);

  for (const std::string& origin :
       {std::string(), std::string("http://evil.example"), std::string("null"),
        std::string("https://127.0.0.1:") + std::to_string(server_->port()),
        std::string("http://127.0.0.1:1")}) {
    http::Headers headers;
    if (!origin.empty()) headers["Origin"] = origin;
    http::Response refused = WithCookie("POST", "/api/v1/processes", cookie, start, headers);
    EXPECT_EQ(refused.status, 403) << "Origin '" << origin << "': " << refused.body;
    EXPECT_NE(refused.body.find("Origin"), std::string::npos) << refused.body;
  }
  EXPECT_EQ(Body(Get("adviseur", "/api/v1/processes"))["items"], json::array())
      << "a refused request created something";

  http::Response created =
      WithCookie("POST", "/api/v1/processes", cookie, start, {{"Origin", OwnOrigin()}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Body(created)["id"];
  // PUT too: refused without, accepted with our Origin; acting as the signed-in user.
  const std::string product = "/api/v1/processes/" + id + "/products/kadernotitie";
  EXPECT_EQ(
      WithCookie("PUT", product, cookie, CompleteKadernotitie().dump(), {{"If-Match", "\"1\""}})
          .status,
      403);
  http::Response saved = WithCookie("PUT", product, cookie, CompleteKadernotitie().dump(),
                                    {{"If-Match", "\"1\""}, {"Origin", OwnOrigin()}});
  EXPECT_EQ(saved.status, 200) << saved.body;
  http::Response trail = Get("adviseur", "/api/v1/processes/" + id + "/events");
  EXPECT_EQ(Body(trail)["items"].back()["actor"]["user"], UserOf("adviseur").id);

  // Bearer requests carry no ambient credential: no Origin rule for them.
  EXPECT_EQ(Send("POST", "/api/v1/processes", Token("adviseur"), start).status, 201);
  EXPECT_EQ(Send("POST", "/api/v1/processes", Token("adviseur"), start,
                 {{"Origin", "http://evil.example"}, {"Cookie", cookie}})
                .status,
            201);
}

TEST_F(SessionTest, OriginIsComparedWithTheHostTheBrowserUsed) {
  const std::string cookie = SignedIn("adviseur");
  const std::string start = json{{"workflow", "standaard-participatie"}, {"title", "Plein"}}.dump();
  EXPECT_EQ(
      WithCookie("POST", "/api/v1/processes", cookie, start,
                 {{"Host", "navolg.gemeente.test"}, {"Origin", "http://navolg.gemeente.test"}})
          .status,
      201);
  EXPECT_EQ(WithCookie("POST", "/api/v1/processes", cookie, start,
                       {{"Host", "navolg.gemeente.test"}, {"Origin", OwnOrigin()}})
                .status,
            403);
}

TEST_F(SessionTest, ASignInFromAnotherSitesPageIsRefused) {
  http::Response foreign =
      SignIn(kOrgA, "adviseur van gemeente-a", kKnownPassword, {{"Origin", "http://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(Header(foreign, "Set-Cookie"), "");
  EXPECT_EQ(Metric("failure"), "0") << "refused before any password was checked";
}

TEST_F(SessionTest, SignOutEndsTheSessionOnTheServer) {
  const std::string cookie = SignedIn("adviseur");
  // From another site: refused, and the session lives on.
  EXPECT_EQ(WithCookie("DELETE", "/api/v1/session", cookie, "", {{"Origin", "http://evil.example"}})
                .status,
            403);
  ASSERT_EQ(WithCookie("GET", "/api/v1/me", cookie).status, 200);

  http::Response out =
      WithCookie("DELETE", "/api/v1/session", cookie, "", {{"Origin", OwnOrigin()}});
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_EQ(out.body, "");
  const std::string expired = Header(out, "Set-Cookie");
  EXPECT_EQ(expired.rfind("navolg_session=;", 0), 0u) << expired;
  EXPECT_NE(expired.find("Max-Age=0"), std::string::npos) << expired;

  // The browser's copy, if it kept one, is worthless now.
  http::Response after = WithCookie("GET", "/api/v1/me", cookie);
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(after.body.find("opnieuw aan"), std::string::npos) << after.body;
  EXPECT_NE(Header(after, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(WithCookie("DELETE", "/api/v1/session", cookie, "", {{"Origin", OwnOrigin()}}).status,
            401);

  // A bearer token is not a session: there is nothing to sign out.
  http::Response bearer = Send("DELETE", "/api/v1/session", Token("adviseur"));
  EXPECT_EQ(bearer.status, 400);
  EXPECT_EQ(Get("adviseur", "/api/v1/me").status, 200);
}

TEST_F(SessionTest, ForgedOrMalformedCookiesAreRefused) {
  for (const std::string& cookie :
       {std::string("navolg_session=") + std::string(64, 'a'), std::string("navolg_session=kapot"),
        std::string("navolg_session="), std::string("andere=waarde")}) {
    http::Response response = WithCookie("GET", "/api/v1/me", cookie);
    EXPECT_EQ(response.status, 401) << cookie;
  }
}

TEST_F(SessionTest, SessionsEndWhenIdleAndAfterTwelveHours) {
  const std::string cookie = SignedIn("adviseur");
  // Active every 50 minutes: alive until the absolute end.
  const Time signed_in = now_;
  while (now_ + minutes(50) < signed_in + storage::kSessionLifetime) {
    now_ += minutes(50);
    ASSERT_EQ(WithCookie("GET", "/api/v1/me", cookie).status, 200) << FormatTime(now_);
  }
  now_ = signed_in + storage::kSessionLifetime;
  EXPECT_EQ(WithCookie("GET", "/api/v1/me", cookie).status, 401);

  const std::string idle = SignedIn("adviseur");
  now_ += storage::kSessionIdleTimeout - minutes(1);
  EXPECT_EQ(WithCookie("GET", "/api/v1/me", idle).status, 200);
  now_ += storage::kSessionIdleTimeout;
  EXPECT_EQ(WithCookie("GET", "/api/v1/me", idle).status, 401);
}

TEST_F(SessionTest, ACookieOfOrganisationBSeesNothingOfA) {
  const std::string id = NewProcess("Geheim plein", kOrgA);
  const std::string cookie = SignedIn("adviseur", kOrgB);
  ASSERT_EQ(Body(WithCookie("GET", "/api/v1/me", cookie))["organisation"], kOrgB);
  const http::Headers own{{"Origin", OwnOrigin()}, {"If-Match", "\"1\""}};
  for (const auto& [method, suffix, body] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", "", ""},
           {"GET", "/events", ""},
           {"PUT", "/products/kadernotitie", CompleteKadernotitie().dump()},
           {"POST", "/transitions/stoppen", json{{"motivatie", "weg"}}.dump()}}) {
    http::Response theirs =
        WithCookie(method, "/api/v1/processes/" + id + suffix, cookie, body, own);
    EXPECT_EQ(theirs.status, 404) << method << " " << suffix << ": " << theirs.body;
    EXPECT_EQ(theirs.body.find("Geheim"), std::string::npos);
  }
  EXPECT_EQ(Body(WithCookie("GET", "/api/v1/processes", cookie))["items"], json::array());
  EXPECT_EQ(VersionOf(id), 1);
}

}  // namespace
}  // namespace navolg::testing
