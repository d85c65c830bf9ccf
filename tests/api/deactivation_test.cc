// Deactivating and activating users (POST /api/v1/users/{id}/deactivate and /activate) and
// the security log (GET /api/v1/security-log), through App::Handle on a real SQLite file:
// password, session and token refused at once, the name kept, the last beheerder kept,
// reactivation, and what the log shows to whom.
#include "storage/database.h"
#include "storage/directory.h"
#include "tests/api/app_fixture.h"
#include "tests/storage/known_password.h"

namespace navolg::testing {
namespace {

using nlohmann::json;
using std::chrono::minutes;

class DeactivationTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    auto db = storage::OpenConnection({path_});
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE(storage::SetPasswordHash(**db, UserOf("adviseur").id, kKnownPasswordHash).ok());
  }

  http::Response SignIn(const std::string& name, const std::string& password,
                        const std::string& address = "192.0.2.20") {
    http::Request request;
    request.method = "POST";
    request.target = "/api/v1/session";
    request.headers["Content-Type"] = "application/json";
    request.body = json{{"organisation", kOrgA}, {"name", name}, {"password", password}}.dump();
    request.client_address = address;
    return app_->Handle(request);
  }

  static std::string CookieOf(const http::Response& response) {
    const std::string set = Header(response, "Set-Cookie");
    return set.substr(0, set.find(';'));
  }

  http::Response AsBeheerder(const std::string& method, const std::string& target,
                             const char* org = kOrgA) {
    return Send(method, target, Token("beheerder", org));
  }

  std::string UserPath(const std::string& role, const std::string& what) {
    return "/api/v1/users/" + UserOf(role).id + "/" + what;
  }
};

TEST_F(DeactivationTest, PasswordSessionAndTokenAreRefusedAtOnceAndTheNameStays) {
  const std::string adviseur = UserOf("adviseur").name;
  const std::string process = NewProcess("Plein");
  http::Response signed_in = SignIn(adviseur, kKnownPassword);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string cookie = CookieOf(signed_in);
  ASSERT_EQ(Send("GET", "/api/v1/me", "", "", {{"Cookie", cookie}}).status, 200);

  http::Response deactivated = AsBeheerder("POST", UserPath("adviseur", "deactivate"));
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  EXPECT_EQ(Body(deactivated)["active"], false);
  EXPECT_EQ(Body(deactivated)["deactivated_at"], FormatTime(now_));
  EXPECT_EQ(Body(deactivated)["tokens_revoked"], 1);
  EXPECT_EQ(Body(deactivated)["sessions_ended"], 1);
  EXPECT_EQ(Body(deactivated)["name"], adviseur);

  EXPECT_EQ(Get("adviseur", "/api/v1/me").status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/me", "", "", {{"Cookie", cookie}}).status, 401);
  // The right password hears why; a wrong one hears what everyone hears.
  http::Response right = SignIn(adviseur, kKnownPassword);
  EXPECT_EQ(right.status, 403);
  EXPECT_NE(Body(right)["detail"].get<std::string>().find("gedeactiveerd"), std::string::npos)
      << right.body;
  EXPECT_EQ(Header(right, "Set-Cookie"), "");
  http::Response wrong = SignIn(adviseur, "niet het goede wachtwoord");
  http::Response nobody = SignIn("niemand", "niet het goede wachtwoord");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body, nobody.body);
  EXPECT_EQ(wrong.body.find("gedeactiveerd"), std::string::npos);

  // The name stays: in the users list, and the trail still names the same user.
  http::Response trail = Get("manager", "/api/v1/processes/" + process + "/events");
  ASSERT_EQ(trail.status, 200);
  EXPECT_EQ(Body(trail)["items"].front()["actor"]["user"], UserOf("adviseur").id);
  http::Response listing = AsBeheerder("GET", "/api/v1/users/" + UserOf("adviseur").id);
  EXPECT_EQ(Body(listing)["name"], adviseur);
  EXPECT_EQ(Body(listing)["active"], false);
  // A deactivated user gets no new token.
  EXPECT_EQ(AsBeheerder("POST", UserPath("adviseur", "tokens")).status, 409);

  now_ += minutes(1);
  http::Response activated = AsBeheerder("POST", UserPath("adviseur", "activate"));
  ASSERT_EQ(activated.status, 200) << activated.body;
  EXPECT_EQ(Body(activated)["active"], true);
  EXPECT_TRUE(Body(activated)["deactivated_at"].is_null());
  EXPECT_EQ(SignIn(adviseur, kKnownPassword).status, 200);
  EXPECT_EQ(Get("adviseur", "/api/v1/me").status, 401) << "revoked tokens stay revoked";
  http::Response token = AsBeheerder("POST", UserPath("adviseur", "tokens"));
  ASSERT_EQ(token.status, 201);
  EXPECT_EQ(Send("GET", "/api/v1/me", Body(token)["token"]).status, 200);
}

TEST_F(DeactivationTest, OnlyWithinTheOwnOrganisation) {
  EXPECT_EQ(AsBeheerder("POST", UserPath("adviseur", "deactivate"), kOrgB).status, 404);
  EXPECT_EQ(Get("adviseur", "/api/v1/me").status, 200);
}

TEST_F(DeactivationTest, TheLastActiveBeheerderStays) {
  http::Response self = AsBeheerder("POST", UserPath("beheerder", "deactivate"));
  EXPECT_EQ(self.status, 409);
  EXPECT_NE(Body(self)["detail"].get<std::string>().find("laatste actieve beheerder"),
            std::string::npos)
      << self.body;
  EXPECT_EQ(AsBeheerder("GET", "/api/v1/me").status, 200);

  // With a second beheerder, the first may step down; their own token stops working.
  http::Response second = Send("POST", "/api/v1/users", Token("beheerder"),
                               json{{"name", "Tweede beheerder"}, {"role", "beheerder"}}.dump());
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(AsBeheerder("POST", UserPath("beheerder", "deactivate")).status, 200);
  EXPECT_EQ(AsBeheerder("GET", "/api/v1/me").status, 401);
  const std::string other = Body(second)["token"];
  EXPECT_EQ(
      Send("POST", "/api/v1/users/" + Body(second)["id"].get<std::string>() + "/deactivate", other)
          .status,
      409);
}

TEST_F(DeactivationTest, TheSecurityLogShowsSignInsAndChangesNewestFirst) {
  const std::string adviseur = UserOf("adviseur").name;
  ASSERT_EQ(SignIn(adviseur, "fout wachtwoord", "192.0.2.21").status, 401);
  ASSERT_EQ(SignIn(adviseur, kKnownPassword, "192.0.2.22").status, 200);
  ASSERT_EQ(AsBeheerder("POST", UserPath("adviseur", "deactivate")).status, 200);
  ASSERT_EQ(AsBeheerder("POST", UserPath("adviseur", "activate")).status, 200);

  for (const char* role : {"beheerder", "auditor"}) {
    http::Response log = Get(role, "/api/v1/security-log");
    ASSERT_EQ(log.status, 200) << role << ": " << log.body;
    const json items = Body(log)["items"];
    ASSERT_EQ(items.size(), 4u) << log.body;
    EXPECT_EQ(items[0]["kind"], "user.activated");
    EXPECT_EQ(items[0]["actor"]["name"], UserOf("beheerder").name);
    EXPECT_EQ(items[1]["kind"], "user.deactivated");
    EXPECT_EQ(items[1]["user"]["name"], adviseur);
    EXPECT_EQ(items[2]["kind"], "sign_in.succeeded");
    EXPECT_EQ(items[2]["client_address"], "192.0.2.22");
    EXPECT_EQ(items[3]["kind"], "sign_in.failed");
    EXPECT_EQ(items[3]["client_address"], "192.0.2.21");
    EXPECT_EQ(items[3]["user"]["id"], UserOf("adviseur").id);
    EXPECT_TRUE(Body(log)["next"].is_null());
  }
  EXPECT_EQ(Get("bestuur", "/api/v1/security-log").status, 403);
  EXPECT_EQ(Get("manager", "/api/v1/security-log").status, 403);
  EXPECT_EQ(Body(Get("auditor", "/api/v1/security-log", kOrgB))["items"], json::array());

  // Keyset pages.
  http::Response first = Get("auditor", "/api/v1/security-log?limit=3");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(Body(first)["items"].size(), 3u);
  const json next = Body(first)["next"];
  ASSERT_TRUE(next.is_number()) << first.body;
  http::Response rest =
      Get("auditor", "/api/v1/security-log?limit=3&before=" + std::to_string(next.get<int>()));
  ASSERT_EQ(rest.status, 200);
  ASSERT_EQ(Body(rest)["items"].size(), 1u);
  EXPECT_EQ(Body(rest)["items"][0]["kind"], "sign_in.failed");
  for (const char* bad : {"limit=0", "limit=201", "limit=x", "before=0", "before=-1"}) {
    EXPECT_EQ(Get("auditor", std::string("/api/v1/security-log?") + bad).status, 400) << bad;
  }
}

}  // namespace
}  // namespace navolg::testing
