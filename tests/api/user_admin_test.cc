// The beheerder's user administration over a real loopback server: creating users with a
// role (and optionally a password and an e-mail address), resetting a password, setting an
// e-mail address, issuing and revoking tokens; only in the own organisation, only for the
// beheerder.
#include "tests/api/app_fixture.h"
#include "tests/storage/known_password.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

class UserAdminTest : public AppFixture {
 protected:
  void SetUp() override {
    over_http_ = true;
    AppFixture::SetUp();
  }

  http::Response AsBeheerder(const std::string& method, const std::string& target,
                             const json& body = nullptr, const char* org = kOrgA) {
    return Send(method, target, Token("beheerder", org), body.is_null() ? "" : body.dump());
  }

  http::Response SignIn(const std::string& name, const std::string& password) {
    return Send("POST", "/api/v1/session", "",
                json{{"organisation", kOrgA}, {"name", name}, {"password", password}}.dump());
  }

  // The listing of `name` in GET /api/v1/users, or null.
  json Listed(const std::string& name) {
    http::Response list = AsBeheerder("GET", "/api/v1/users");
    EXPECT_EQ(list.status, 200) << list.body;
    const json body = Body(list);
    for (const json& user : body["items"]) {
      if (user["name"] == name) return user;
    }
    return nullptr;
  }
};

TEST_F(UserAdminTest, TheBeheerderListsTheOrganisationsUsers) {
  http::Response list = AsBeheerder("GET", "/api/v1/users");
  ASSERT_EQ(list.status, 200) << list.body;
  const json items = Body(list)["items"];
  ASSERT_EQ(items.size(), AllRoles().size()) << "only gemeente-a's users";
  for (const json& user : items) {
    EXPECT_EQ(user["organisation"], kOrgA);
    EXPECT_EQ(user["has_password"], false);
    EXPECT_EQ(user["active_tokens"], 1);
    EXPECT_EQ(user["active_sessions"], 0);
    EXPECT_EQ(user["created_at"], "2026-01-01T00:00:00.000Z");
  }
  EXPECT_EQ(Listed("adviseur van gemeente-a")["id"], UserOf("adviseur").id);
  http::Response one = AsBeheerder("GET", "/api/v1/users/" + UserOf("auditor").id);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Body(one), Listed("auditor van gemeente-a"));
}

// The form for a new user offers the roles the server lists (engine/role.h).
TEST_F(UserAdminTest, TheListOffersEveryRoleAUserCanHave) {
  http::Response list = AsBeheerder("GET", "/api/v1/users");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Body(list)["roles"], json::parse(R"([
    {"key": "bestuur", "title": "Bestuur"},
    {"key": "manager", "title": "Manager"},
    {"key": "adviseur", "title": "Adviseur"},
    {"key": "auditor", "title": "Auditor"},
    {"key": "beheerder", "title": "Beheerder"}
  ])"));
}

TEST_F(UserAdminTest, CreatedUsersHaveTheirRoleATokenAndAPassword) {
  http::Response created = AsBeheerder(
      "POST", "/api/v1/users",
      json{{"name", "Carla Manager"}, {"role", "manager"}, {"password", kKnownPassword}});
  ASSERT_EQ(created.status, 201) << created.body;
  const json user = Body(created);
  EXPECT_EQ(Header(created, "Location"), "/api/v1/users/" + user["id"].get<std::string>());
  EXPECT_EQ(user["role"], "manager");
  EXPECT_EQ(user["organisation"], kOrgA);
  EXPECT_EQ(user["has_password"], true);
  EXPECT_EQ(user["active_tokens"], 1);
  // The token, shown once, works at once and acts as the new manager.
  const std::string token = user["token"];
  http::Response me = Send("GET", "/api/v1/me", token);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Body(me)["name"], "Carla Manager");
  EXPECT_EQ(Body(me)["role"], "manager");
  EXPECT_EQ(Send("POST", "/api/v1/processes", token,
                 json{{"workflow", "standaard-participatie"}, {"title", "Van Carla"}}.dump())
                .status,
            201);
  // The listing never shows a token again.
  EXPECT_FALSE(Listed("Carla Manager").contains("token"));
  // And the password signs her in.
  http::Response signed_in = SignIn("Carla Manager", kKnownPassword);
  EXPECT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_EQ(Listed("Carla Manager")["active_sessions"], 1);

  // Without a password: a token only.
  http::Response tokens_only =
      AsBeheerder("POST", "/api/v1/users", json{{"name", "Script"}, {"role", "auditor"}});
  ASSERT_EQ(tokens_only.status, 201) << tokens_only.body;
  EXPECT_EQ(Body(tokens_only)["has_password"], false);
}

TEST_F(UserAdminTest, BadNewUsersAreRefusedAndNothingIsCreated) {
  struct Case {
    json body;
    int status;
    std::string words;
  };
  const std::vector<Case> cases = {
      {json{{"name", "X"}, {"role", "koning"}}, 422, "Onbekende rol 'koning'"},
      {json{{"name", "  "}, {"role", "adviseur"}}, 422, "naam"},
      {json{{"name", "Y"}, {"role", "adviseur"}, {"password", "kort"}}, 422, "te kort"},
      {json{{"name", "adviseur van gemeente-a"}, {"role", "adviseur"}}, 409, "bestaat al"},
      {json{{"role", "adviseur"}}, 400, "'name' ontbreekt"},
      {json{{"name", "Z"}, {"role", "adviseur"}, {"token", "eigen"}}, 400, "Onbekend veld 'token'"},
      {json{{"name", "Z"}, {"role", "adviseur"}, {"password", 123456789012}}, 400, "tekst"},
  };
  for (const Case& c : cases) {
    http::Response response = AsBeheerder("POST", "/api/v1/users", c.body);
    EXPECT_EQ(response.status, c.status) << c.body << ": " << response.body;
    EXPECT_NE(response.body.find(c.words), std::string::npos) << response.body;
  }
  EXPECT_EQ(Body(AsBeheerder("GET", "/api/v1/users"))["items"].size(), AllRoles().size());
  EXPECT_EQ(
      Send("POST", "/api/v1/users", Token("beheerder"), "name=Z", {{"Content-Type", "text/plain"}})
          .status,
      415);
}

// A reset takes effect at once: the old password and the user's sessions stop working.
TEST_F(UserAdminTest, ResettingAPasswordEndsTheOldOneAndItsSessions) {
  const storage::User& adviseur = UserOf("adviseur");
  {
    auto db = storage::OpenConnection({path_});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(storage::SetPasswordHash(**db, adviseur.id, kKnownPasswordHash).ok());
  }
  http::Response before = SignIn(adviseur.name, kKnownPassword);
  ASSERT_EQ(before.status, 200) << before.body;
  const std::string cookie = Header(before, "Set-Cookie").substr(0, 79);

  EXPECT_EQ(AsBeheerder("PUT", "/api/v1/users/" + adviseur.id + "/password",
                        json{{"password", "te kort"}})
                .status,
            422);
  http::Response reset = AsBeheerder("PUT", "/api/v1/users/" + adviseur.id + "/password",
                                     json{{"password", "een heel nieuw wachtwoord"}});
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(Body(reset)["has_password"], true);
  EXPECT_EQ(Body(reset)["active_sessions"], 0);

  EXPECT_EQ(Send("GET", "/api/v1/me", "", "", {{"Cookie", cookie}}).status, 401);
  EXPECT_EQ(SignIn(adviseur.name, kKnownPassword).status, 401);
  EXPECT_EQ(SignIn(adviseur.name, "een heel nieuw wachtwoord").status, 200);
  // The token is a separate credential and keeps working.
  EXPECT_EQ(Get("adviseur", "/api/v1/me").status, 200);
}

TEST_F(UserAdminTest, RevokingTokensLocksAnApiClientOutUntilANewTokenIsIssued) {
  const std::string id = UserOf("auditor").id;
  ASSERT_EQ(Get("auditor", "/api/v1/me").status, 200);
  http::Response revoked = AsBeheerder("DELETE", "/api/v1/users/" + id + "/tokens");
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Body(revoked), (json{{"tokens_revoked", 1}, {"sessions_ended", 0}}));
  http::Response old = Get("auditor", "/api/v1/me");
  EXPECT_EQ(old.status, 401);
  EXPECT_NE(Header(old, "WWW-Authenticate").find("invalid_token"), std::string::npos);
  EXPECT_EQ(Listed("auditor van gemeente-a")["active_tokens"], 0);
  // Revoking again revokes nothing more.
  EXPECT_EQ(Body(AsBeheerder("DELETE", "/api/v1/users/" + id + "/tokens"))["tokens_revoked"], 0);

  http::Response issued = AsBeheerder("POST", "/api/v1/users/" + id + "/tokens");
  ASSERT_EQ(issued.status, 201) << issued.body;
  EXPECT_EQ(Header(issued, "Location"), "/api/v1/users/" + id);
  const std::string token = Body(issued)["token"];
  EXPECT_NE(token, Token("auditor"));
  EXPECT_EQ(Body(Send("GET", "/api/v1/me", token))["id"], id);
  EXPECT_EQ(Get("auditor", "/api/v1/me").status, 401) << "the old one stays revoked";
}

// Another organisation's user is indistinguishable from one that does not exist, and stays
// untouched.
TEST_F(UserAdminTest, ABeheerderCannotReachAnotherOrganisationsUsers) {
  const std::string theirs = UserOf("adviseur", kOrgA).id;
  const std::string unknown = "u-00000000deadbeef";
  ASSERT_EQ(theirs.size(), unknown.size());
  const std::vector<std::tuple<std::string, std::string, json>> routes = {
      {"GET", "", nullptr},
      {"PUT", "/password", json{{"password", "een overgenomen wachtwoord"}}},
      {"PUT", "/email", json{{"email", "overgenomen@example.nl"}}},
      {"POST", "/tokens", nullptr},
      {"DELETE", "/tokens", nullptr},
  };
  for (const auto& [method, suffix, body] : routes) {
    http::Response response = AsBeheerder(method, "/api/v1/users/" + theirs + suffix, body, kOrgB);
    http::Response none = AsBeheerder(method, "/api/v1/users/" + unknown + suffix, body, kOrgB);
    EXPECT_EQ(response.status, 404) << method << " " << suffix << ": " << response.body;
    std::string expected = none.body;
    expected.replace(expected.find(unknown), unknown.size(), theirs);
    EXPECT_EQ(response.body, expected) << method << " " << suffix;
  }
  EXPECT_EQ(Get("adviseur", "/api/v1/me", kOrgA).status, 200);
  EXPECT_EQ(Listed("adviseur van gemeente-a")["active_tokens"], 1);
  EXPECT_EQ(Listed("adviseur van gemeente-a")["has_password"], false);
  EXPECT_EQ(Listed("adviseur van gemeente-a")["email"], nullptr);
  // Nor does B's list show A's users.
  const json theirs_list = Body(AsBeheerder("GET", "/api/v1/users", nullptr, kOrgB));
  for (const json& user : theirs_list["items"]) {
    EXPECT_EQ(user["organisation"], kOrgB);
  }
}

// An e-mail address is optional: given when the user is made, changed or removed later,
// shown in the list, and logged (that it changed, not the address).
TEST_F(UserAdminTest, AUserHasAnOptionalEmailAddress) {
  EXPECT_EQ(Listed("adviseur van gemeente-a")["email"], nullptr) << "none until one is given";
  http::Response created = AsBeheerder(
      "POST", "/api/v1/users",
      json{{"name", "Eva Adviseur"}, {"role", "adviseur"}, {"email", " eva@gemeente.nl "}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Body(created)["email"], "eva@gemeente.nl") << "without the spaces around it";
  EXPECT_EQ(Listed("Eva Adviseur")["email"], "eva@gemeente.nl");
  const std::string id = Body(created)["id"];

  http::Response changed =
      AsBeheerder("PUT", "/api/v1/users/" + id + "/email", json{{"email", "e.jansen@gemeente.nl"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Body(changed)["email"], "e.jansen@gemeente.nl");
  EXPECT_EQ(Listed("Eva Adviseur")["email"], "e.jansen@gemeente.nl");

  http::Response removed =
      AsBeheerder("PUT", "/api/v1/users/" + id + "/email", json{{"email", ""}});
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Body(removed)["email"], nullptr);

  http::Response log = Get("beheerder", "/api/v1/security-log");
  ASSERT_EQ(log.status, 200) << log.body;
  int changes = 0;
  const json entries = Body(log)["items"];
  for (const json& entry : entries) {
    if (entry["kind"] == "email.changed" && entry["user"]["id"] == id) ++changes;
    EXPECT_EQ(entry.dump().find("jansen@"), std::string::npos) << "the address is not logged";
  }
  EXPECT_EQ(changes, 2);
}

TEST_F(UserAdminTest, AMalformedEmailAddressIsRefusedInDutchAndNothingChanges) {
  const std::string id = UserOf("adviseur").id;
  ASSERT_EQ(
      AsBeheerder("PUT", "/api/v1/users/" + id + "/email", json{{"email", "anna@gemeente.nl"}})
          .status,
      200);
  for (const char* bad : {"anna", "anna@", "@gemeente.nl", "anna@gemeente", "anna gemeente@x.nl",
                          "anna@@gemeente.nl", "anna.@gemeente.nl", "anna@-gemeente.nl",
                          "anna@gemeente.nl\n", "anna@gemeente.123", "ánna@gemeente.nl"}) {
    SCOPED_TRACE(bad);
    http::Response refused =
        AsBeheerder("PUT", "/api/v1/users/" + id + "/email", json{{"email", bad}});
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.content_type, "application/problem+json");
    EXPECT_NE(Body(refused).value("detail", "").find("is geen geldig e-mailadres"),
              std::string::npos)
        << refused.body;
  }
  EXPECT_EQ(Listed("adviseur van gemeente-a")["email"], "anna@gemeente.nl");
  const std::string long_address = std::string(250, 'a') + "@gemeente.nl";
  http::Response too_long =
      AsBeheerder("PUT", "/api/v1/users/" + id + "/email", json{{"email", long_address}});
  EXPECT_EQ(too_long.status, 422);
  EXPECT_NE(too_long.body.find("hoogstens 254 tekens"), std::string::npos) << too_long.body;
  EXPECT_EQ(AsBeheerder("PUT", "/api/v1/users/" + id + "/email", json{{"email", nullptr}}).status,
            400);

  http::Response not_created =
      AsBeheerder("POST", "/api/v1/users",
                  json{{"name", "Fout Adres"}, {"role", "adviseur"}, {"email", "fout-adres"}});
  EXPECT_EQ(not_created.status, 422) << not_created.body;
  EXPECT_NE(not_created.body.find("'fout-adres' is geen geldig e-mailadres"), std::string::npos);
  EXPECT_TRUE(Listed("Fout Adres").is_null()) << "a refused address leaves no user behind";
}

TEST_F(UserAdminTest, OnlyTheBeheerderManagesUsers) {
  for (const char* role : {"bestuur", "manager", "adviseur", "auditor"}) {
    EXPECT_EQ(Get(role, "/api/v1/users").status, 403) << role;
    EXPECT_EQ(Send("POST", "/api/v1/users", Token(role),
                   json{{"name", "Stiekem"}, {"role", "beheerder"}}.dump())
                  .status,
              403)
        << role;
    EXPECT_EQ(
        Send("DELETE", "/api/v1/users/" + UserOf("beheerder").id + "/tokens", Token(role)).status,
        403)
        << role;
    EXPECT_EQ(Send("PUT", "/api/v1/users/" + UserOf(role).id + "/email", Token(role),
                   json{{"email", "eigen@gemeente.nl"}}.dump())
                  .status,
              403)
        << role;
  }
  EXPECT_TRUE(Listed("Stiekem").is_null());
  EXPECT_EQ(Get("beheerder", "/api/v1/me").status, 200);
}

}  // namespace
}  // namespace navolg::testing
