// Routes, methods, the public endpoints, API-Version and metrics.
#include <functional>
#include <set>

#include "engine/role.h"
#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

class RoutingTest : public AppFixture {};

TEST_F(RoutingTest, AKnownPathWithAnotherMethodIs405WithAllow) {
  struct Case {
    const char* method;
    std::string target;
    const char* allow;
  };
  const std::string id = NewProcess();
  const std::vector<Case> cases = {
      {"DELETE", "/api/v1/processes", "GET, HEAD, POST"},
      {"PUT", "/api/v1/processes", "GET, HEAD, POST"},
      {"POST", "/healthz", "GET, HEAD"},
      {"DELETE", "/api/v1/processes/" + id, "GET, HEAD"},
      {"GET", "/api/v1/processes/" + id + "/products/kadernotitie", "PUT"},
      {"GET", "/api/v1/processes/" + id + "/transitions/naar_gesprek", "POST"},
      {"PATCH", "/api/v1/me", "GET, HEAD"},
      {"BREW", "/api/v1/me", "GET, HEAD"},
      {"HEAD", "/api/v1/session", "POST, DELETE"},
  };
  for (const Case& c : cases) {
    http::Response response = Send(c.method, c.target, Token("adviseur"));
    EXPECT_EQ(response.status, 405) << c.method << " " << c.target;
    EXPECT_EQ(Header(response, "Allow"), c.allow) << c.method << " " << c.target;
    EXPECT_EQ(response.content_type, "application/problem+json");
  }
}

TEST_F(RoutingTest, ATrailingSlashIsAnotherPath) {
  const std::string id = NewProcess();
  for (const std::string& target :
       {std::string("/healthz/"), std::string("/api/v1/me/"), std::string("/api/v1/processes/"),
        "/api/v1/processes/" + id + "/", "/api/v1/processes/" + id + "/events/",
        std::string("/api/v1/workflows/"), std::string("/api/v1//me"), std::string("/assets/"),
        std::string("/api/v1/processes/" + id + "/products/kadernotitie/")}) {
    http::Response response = Send("GET", target, Token("adviseur"));
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.content_type, "application/problem+json") << target;
  }
}

TEST_F(RoutingTest, PublicEndpointsNeedNoToken) {
  http::Response health = Send("GET", "/healthz", "");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(Body(health), (json{{"status", "ok"}}));

  http::Response openapi = Send("GET", "/api/v1/openapi.json", "");
  EXPECT_EQ(openapi.status, 200);
  EXPECT_EQ(openapi.content_type, "application/json");
  EXPECT_TRUE(Body(openapi).is_object());

  // /metrics is the operator's (metrics_token_test.cc): without a metrics token it is closed.
  EXPECT_EQ(Send("GET", "/metrics", "").status, 403);

  // Everything else under /api/v1 needs one.
  for (const char* target : {"/api/v1/me", "/api/v1/workflows", "/api/v1/processes"}) {
    EXPECT_EQ(Send("GET", target, "").status, 401) << target;
  }
}

TEST_F(RoutingTest, EveryResponseCarriesApiVersion) {
  // Send checks API-Version on each of these; here the kinds of answer are all covered.
  const std::string id = NewProcess();
  std::set<int> statuses;
  for (const http::Response& response : {
           Send("GET", "/healthz", ""),
           Send("GET", "/metrics", ""),
           Send("GET", "/api/v1/openapi.json", ""),
           Send("GET", "/api/v1/me", ""),
           Send("GET", "/api/v1/me", "navolg_onbekend"),
           Get("beheerder", "/api/v1/processes"),
           Get("adviseur", "/nergens"),
           Send("DELETE", "/healthz", ""),
           Get("adviseur", "/api/v1/processes/" + id),
           Send("PUT", "/api/v1/processes/" + id + "/products/kadernotitie", Token("adviseur"),
                "{}"),
           Send("GET", "bad-target", ""),
           Send("GET", "/api/v1/processes?limit=%", ""),
       }) {
    EXPECT_EQ(Header(response, "API-Version"), "1.0.0") << response.status;
    statuses.insert(response.status);
  }
  EXPECT_EQ(statuses, (std::set<int>{200, 400, 401, 403, 404, 405, 428}));
}

TEST_F(RoutingTest, ApiResponsesAreNeitherStoredNorSniffed) {
  const std::string id = NewProcess();
  const std::vector<http::Response> api = {
      Get("adviseur", "/api/v1/processes/" + id),
      Send("GET", "/api/v1/openapi.json", ""),
      Send("GET", "/api/v1/me", ""),
      Get("adviseur", "/api/v1/nergens"),
      Send("DELETE", "/api/v1/me", Token("adviseur")),
      Get("beheerder", "/api/v1/processes"),
      Send("PUT", "/api/v1/processes/" + id + "/products/kadernotitie", Token("adviseur"), "{}"),
      Get("adviseur", "/api/v1/processes/p-0000000000000000beef"),
  };
  std::set<int> statuses;
  for (const http::Response& response : api) {
    EXPECT_EQ(Header(response, "Cache-Control"), "no-store") << response.status;
    EXPECT_EQ(Header(response, "X-Content-Type-Options"), "nosniff") << response.status;
    statuses.insert(response.status);
  }
  EXPECT_EQ(statuses, (std::set<int>{200, 401, 403, 404, 405, 428}));
  // The web interface and the operator's endpoints have rules of their own.
  EXPECT_EQ(Header(Send("GET", "/healthz", ""), "Cache-Control"), "");
  EXPECT_EQ(Header(Send("GET", "/", ""), "Cache-Control"), "no-cache");
}

TEST_F(RoutingTest, HeadAnswersAsGetWithoutTheBody) {
  const std::string id = NewProcess();
  for (const auto& [target, token] : std::vector<std::pair<std::string, std::string>>{
           {"/healthz", ""},
           {"/api/v1/me", Token("adviseur")},
           {"/api/v1/processes/" + id, Token("adviseur")},
           {"/api/v1/processes/" + id + "/events.jsonl", Token("auditor")},
           {"/api/v1/processes/" + id, Token("beheerder")},
           {"/api/v1/processes/p-0000000000000000beef", Token("adviseur")},
           {"/api/v1/me", ""},
           {"/", ""},
       }) {
    const http::Response get = Send("GET", target, token);
    const http::Response head = Send("HEAD", target, token);
    EXPECT_EQ(head.status, get.status) << target;
    EXPECT_EQ(head.content_type, get.content_type) << target;
    EXPECT_EQ(head.body, "") << target;
    EXPECT_NE(get.body, "") << target;
    for (const char* name : {"ETag", "Cache-Control", "WWW-Authenticate", "Allow"}) {
      EXPECT_EQ(Header(head, name), Header(get, name)) << target << " " << name;
    }
  }
  // HEAD changes nothing, and takes no command route.
  EXPECT_EQ(Send("HEAD", "/api/v1/processes/" + id + "/transitions/naar_gesprek", Token("adviseur"))
                .status,
            405);
  EXPECT_EQ(VersionOf(id), 1);
}

TEST_F(RoutingTest, WorkflowsListTheLatestVersionOfEach) {
  http::Response list = Get("beheerder", "/api/v1/workflows");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list), (json{{{"key", "participatiebeleid"},
                               {"version", 2},
                               {"title", LoadWorkflow("participatiebeleid").title}},
                              {{"key", "standaard-participatie"},
                               {"version", 3},
                               {"title", LoadWorkflow("standaard-participatie").title}}}));
  http::Response one = Get("auditor", "/api/v1/workflows/participatiebeleid");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Body(one), LoadWorkflow("participatiebeleid").source);
}

TEST_F(RoutingTest, MetricsNameRoutesNeverIds) {
  const std::string id = NewProcess();
  Get("adviseur", "/api/v1/processes/" + id);
  Get("adviseur", "/api/v1/processes/" + id + "/events");
  Get("adviseur", "/api/v1/processes/p-0000000000000000beef");
  Send("GET", "/api/v1/nergens/" + id, "");
  Command("PUT", "adviseur", "/api/v1/processes/" + id + "/products/kadernotitie",
          CompleteKadernotitie(), 1);
  // As the operator's own listener (--metrics-listen) serves it.
  http::Request scrape;
  scrape.method = "GET";
  scrape.target = "/metrics";
  const http::Response metrics = app_->HandleOperator(scrape);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  const std::string text = metrics.body;
  EXPECT_NE(text.find("route=\"/api/v1/processes/{id}\""), std::string::npos) << text;
  EXPECT_NE(text.find("method=\"GET\",route=\"/api/v1/processes/{id}\",status=\"404\""),
            std::string::npos);
  EXPECT_NE(text.find("route=\"/api/v1/processes/{id}/products/{product}\",status=\"200\""),
            std::string::npos);
  EXPECT_NE(text.find("route=\"unmatched\""), std::string::npos);
  EXPECT_EQ(text.find(id), std::string::npos);
  EXPECT_EQ(text.find("beef"), std::string::npos);
  for (const char* family :
       {"navolg_http_requests_total", "navolg_http_request_duration_seconds_bucket",
        "navolg_commits_total ", "navolg_commands_total ", "navolg_commands_refused_total ",
        "navolg_commands_failed_total ", "navolg_commands_busy_total ",
        "navolg_commands_deferred_total 0", "navolg_commit_batch_size_bucket{le=\"1\"}",
        "navolg_commit_batch_size_bucket{le=\"512\"}",
        "navolg_commit_batch_size_bucket{le=\"+Inf\"}", "navolg_deadlines_open 0",
        "navolg_deadlines_overdue 0"}) {
    EXPECT_NE(text.find(family), std::string::npos) << family;
  }
  // Two commands were committed: the creation and the save.
  EXPECT_NE(text.find("navolg_commands_total 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("navolg_commit_batch_size_sum 2\n"), std::string::npos) << text;
}

// The API description restates the roles for its readers; it must name exactly the
// engine's (engine/role.h), wherever a schema takes a role.
TEST(OpenApiRolesTest, TheDescriptionNamesTheEnginesRoles) {
  const json openapi = json::parse(ReadRepoFile("api/http/openapi.json"));
  const auto names = [](const std::vector<Role>& roles) {
    json list = json::array();
    for (Role role : roles) list.push_back(RoleName(role));
    return list;
  };
  const json& schemas = openapi["components"]["schemas"];
  EXPECT_EQ(schemas["Role"]["enum"], names(UserRoles()));
  EXPECT_EQ(schemas["ProcessRole"]["enum"], names(RolesWhere(&ActsInProcesses)));
  // No other schema lists roles of its own.
  std::size_t role_lists = 0;
  const std::function<void(const json&)> visit = [&](const json& value) {
    if (value.is_object() && value.contains("enum") && value["enum"].is_array() &&
        !value["enum"].empty() && value["enum"][0].is_string() &&
        ParseRole(value["enum"][0].get<std::string>())) {
      ++role_lists;
    }
    if (value.is_structured()) {
      for (const json& child : value) visit(child);
    }
  };
  visit(openapi);
  EXPECT_EQ(role_lists, 2u);
}

}  // namespace
}  // namespace navolg::testing
