// Organisation isolation: a user of gemeente-b cannot tell a process of gemeente-a from one
// that does not exist, on any process endpoint, and changes nothing of it.
#include <type_traits>

#include "api/http/handlers/handlers.h"
#include "api/http/policy.h"
#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

// A public route's handler has no user, so no organisation to read in: its call carries none,
// and an authenticated handler cannot be registered as a public one.
template <typename T>
concept CarriesAUser = requires(const T& call) {
  call.user;
};
static_assert(!CarriesAUser<http::PublicCall>);
static_assert(CarriesAUser<http::Call>);
static_assert(!std::is_convertible_v<decltype(&http::GetMe), http::PublicHandler>);
static_assert(!std::is_default_constructible_v<storage::User>);

constexpr const char* kSecretTitle = "Geheim project van gemeente A";

struct Endpoint {
  const char* method;
  const char* suffix;  // after /api/v1/processes/{id}
  json body;
};

std::vector<Endpoint> ProcessEndpoints() {
  return {
      {"GET", "", nullptr},
      {"GET", "/events", nullptr},
      {"GET", "/events.jsonl", nullptr},
      {"GET", "/participatieverslag", nullptr},
      {"PUT", "/products/kadernotitie", CompleteKadernotitie()},
      {"PUT", "/products/stopbericht", CompleteStopbericht()},
      {"PUT", "/products/gespreksverslag/1", CompleteGespreksverslag("2026-02-27")},
      {"POST", "/adoptions", json{{"product", "kadernotitie"}}},
      {"POST", "/transitions/naar_gesprek", nullptr},
      {"POST", "/transitions/stoppen", json{{"motivatie", "Weg ermee"}}},
  };
}

// Parameter: false sends requests straight to App::Handle, true through a real server.
class IsolationTest : public AppFixture, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    over_http_ = GetParam();
    AppFixture::SetUp();
  }
};

TEST_P(IsolationTest, AnotherOrganisationsProcessIsIndistinguishableFromAnUnknownOne) {
  const std::string id = NewProcess(kSecretTitle, kOrgA);
  ASSERT_EQ(Command("PUT", "adviseur", "/api/v1/processes/" + id + "/products/kadernotitie",
                    CompleteKadernotitie(), 1)
                .status,
            200);
  const std::int64_t version = VersionOf(id);
  const std::string unknown = "p-0000000000009999aaaa";
  ASSERT_EQ(unknown.size(), id.size());

  for (const Endpoint& endpoint : ProcessEndpoints()) {
    for (const std::string& role : AllRoles()) {
      auto send = [&](const std::string& target_id) {
        return Send(endpoint.method, "/api/v1/processes/" + target_id + endpoint.suffix,
                    Token(role, kOrgB), endpoint.body.is_null() ? "" : endpoint.body.dump(),
                    {{"If-Match", "\"" + std::to_string(version) + "\""}});
      };
      const http::Response theirs = send(id);
      const http::Response none = send(unknown);
      const std::string where =
          std::string(endpoint.method) + " " + endpoint.suffix + " as " + role;
      EXPECT_TRUE(theirs.status == 404 || theirs.status == 403) << where << ": " << theirs.status;
      EXPECT_EQ(theirs.status, none.status) << where;
      EXPECT_EQ(theirs.headers, none.headers) << where;
      std::string unknown_body = none.body;
      for (std::size_t at; (at = unknown_body.find(unknown)) != std::string::npos;) {
        unknown_body.replace(at, unknown.size(), id);
      }
      EXPECT_EQ(theirs.body, unknown_body) << where;
      EXPECT_EQ(theirs.body.find(kSecretTitle), std::string::npos) << where;
      EXPECT_EQ(theirs.body.find("Herinrichting"), std::string::npos) << where;
    }
  }
  // Nothing of it changed, and gemeente-b's list does not show it.
  EXPECT_EQ(VersionOf(id), version);
  for (const char* role : {"bestuur", "manager", "adviseur", "auditor"}) {
    http::Response list = Get(role, "/api/v1/processes", kOrgB);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(Body(list)["items"], json::array()) << role;
    EXPECT_EQ(list.body.find(kSecretTitle), std::string::npos);
  }
  http::Response own = Get("auditor", "/api/v1/processes", kOrgA);
  EXPECT_EQ(Body(own)["items"].size(), 1u);
}

TEST_P(IsolationTest, ListsShowOnlyTheCallersOrganisation) {
  NewProcess("Van A", kOrgA);
  NewProcess("Van B", kOrgB);
  const json a = Body(Get("manager", "/api/v1/processes", kOrgA));
  const json b = Body(Get("manager", "/api/v1/processes", kOrgB));
  ASSERT_EQ(a["items"].size(), 1u);
  ASSERT_EQ(b["items"].size(), 1u);
  EXPECT_EQ(a["items"][0]["title"], "Van A");
  EXPECT_EQ(b["items"][0]["title"], "Van B");
}

TEST_P(IsolationTest, MeNamesTheCallerAndItsOrganisation) {
  for (const char* org : {kOrgA, kOrgB}) {
    for (const std::string& role : AllRoles()) {
      http::Response me = Get(role, "/api/v1/me", org);
      ASSERT_EQ(me.status, 200);
      EXPECT_EQ(Body(me), (json{{"id", UserOf(role, org).id},
                                {"name", role + " van " + org},
                                {"role", role},
                                {"organisation_name", std::string("Gemeente ") + org},
                                {"organisation", org},
                                {"actions", http::AllowedActionNames(role)}}));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AppAndServer, IsolationTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OverHttp" : "DirectToApp";
                         });

}  // namespace
}  // namespace navolg::testing
