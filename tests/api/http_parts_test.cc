// The parts of the API that need no database: targets, routing, bodies, problem mapping.
#include <gtest/gtest.h>

#include <iterator>
#include <optional>
#include <string>

#include "api/http/json_body.h"
#include "api/http/problem.h"
#include "api/http/router.h"

namespace navolg::http {
namespace {

using nlohmann::json;

TEST(ParseTargetTest, DecodesPathAndQuery) {
  struct Case {
    std::string target;
    bool ok;
    std::string path;
    std::map<std::string, std::string> query;
  };
  const std::vector<Case> cases = {
      {"/healthz", true, "/healthz", {}},
      {"/api/v1/processes?state=kaders&limit=5",
       true,
       "/api/v1/processes",
       {{"state", "kaders"}, {"limit", "5"}}},
      {"/a%20b?q=x+y%26z", true, "/a b", {{"q", "x y&z"}}},
      {"/a+b", true, "/a+b", {}},  // '+' is only a space in a query
      {"/x?flag&&y=", true, "/x", {{"flag", ""}, {"y", ""}}},
      {"/x?", true, "/x", {}},
      {"/caf%C3%A9", true, "/caf\xC3\xA9", {}},
      {"", false, "", {}},
      {"healthz", false, "", {}},
      {"http://example.nl/healthz", false, "", {}},
      {"/a%2", false, "", {}},
      {"/a%zz", false, "", {}},
      {"/a%00b", false, "", {}},
      {"/a%2Fb", false, "", {}},  // an encoded '/' would let one segment pose as two
      {"/x?%=1", false, "", {}},
      {"/x?=1", false, "", {}},
      {"/x#frag", false, "", {}},
  };
  for (const Case& c : cases) {
    std::string path = "unchanged";
    std::map<std::string, std::string> query;
    EXPECT_EQ(ParseTarget(c.target, path, query), c.ok) << c.target;
    if (c.ok) {
      EXPECT_EQ(path, c.path) << c.target;
      EXPECT_EQ(query, c.query) << c.target;
    } else {
      EXPECT_EQ(path, "unchanged") << c.target;
    }
  }
}

TEST(RouterTest, MatchesPatternsExactly) {
  Router<int> router;
  router.Add("GET", "/api/v1/processes", 1);
  router.Add("POST", "/api/v1/processes", 2);
  router.Add("GET", "/api/v1/processes/{id}", 3);
  router.Add("PUT", "/api/v1/processes/{id}/products/{product}", 4);
  router.Add("PUT", "/api/v1/processes/{id}/products/{product}/{n}", 5);
  router.Add("GET", "/api/v1/processes/{id}/events", 6);
  router.Add("GET", "/api/v1/processes/{id}/events.jsonl", 7);

  struct Case {
    const char* method;
    const char* path;
    MatchKind kind;
    int target;
    RouteParams params;
    const char* allow;
  };
  const std::vector<Case> cases = {
      {"GET", "/api/v1/processes", MatchKind::kFound, 1, {}, ""},
      {"POST", "/api/v1/processes", MatchKind::kFound, 2, {}, ""},
      {"GET", "/api/v1/processes/p-1", MatchKind::kFound, 3, {{"id", "p-1"}}, ""},
      {"PUT",
       "/api/v1/processes/p-1/products/verslag",
       MatchKind::kFound,
       4,
       {{"id", "p-1"}, {"product", "verslag"}},
       ""},
      {"PUT",
       "/api/v1/processes/p-1/products/verslag/2",
       MatchKind::kFound,
       5,
       {{"id", "p-1"}, {"product", "verslag"}, {"n", "2"}},
       ""},
      {"GET", "/api/v1/processes/p-1/events.jsonl", MatchKind::kFound, 7, {{"id", "p-1"}}, ""},
      {"HEAD", "/api/v1/processes/p-1", MatchKind::kFound, 3, {{"id", "p-1"}}, ""},
      {"DELETE", "/api/v1/processes", MatchKind::kMethodNotAllowed, 0, {}, "GET, HEAD, POST"},
      {"HEAD",
       "/api/v1/processes/p-1/products/verslag",
       MatchKind::kMethodNotAllowed,
       0,
       {},
       "PUT"},
      {"GET", "/api/v1/processes/p-1/products/verslag", MatchKind::kMethodNotAllowed, 0, {}, "PUT"},
      {"GET", "/api/v1/processes/", MatchKind::kNotFound, 0, {}, ""},
      {"GET", "/api/v1/processes//events", MatchKind::kNotFound, 0, {}, ""},
      {"GET", "/api/v1/Processes", MatchKind::kNotFound, 0, {}, ""},
      {"GET", "/api/v1", MatchKind::kNotFound, 0, {}, ""},
      {"GET", "/", MatchKind::kNotFound, 0, {}, ""},
  };
  for (const Case& c : cases) {
    auto match = router.Find(c.method, c.path);
    EXPECT_EQ(match.kind, c.kind) << c.method << " " << c.path;
    EXPECT_EQ(match.allow, c.allow) << c.method << " " << c.path;
    if (c.kind == MatchKind::kFound) {
      EXPECT_EQ(match.route->target, c.target) << c.path;
      EXPECT_EQ(match.params, c.params) << c.path;
    }
  }
}

TEST(JsonBodyTest, ContentTypes) {
  for (const char* good : {"application/json", "APPLICATION/JSON", "application/json;charset=utf-8",
                           "application/json; charset=UTF-8", "application/json; charset=\"utf-8\"",
                           " application/json "}) {
    EXPECT_TRUE(IsJsonContentType(good)) << good;
  }
  for (const char* bad :
       {"", "text/plain", "application/jsonx", "application/problem+json",
        "application/json; charset=latin1", "application/json; boundary=x", "text/json"}) {
    EXPECT_FALSE(IsJsonContentType(bad)) << bad;
  }
}

// The limit itself is engine/json_text.h's (tests/engine/json_text_test.cc); here, that a
// body answers with it.
TEST(JsonBodyTest, BodiesNestedDeeperThanTheLimitAreRefused) {
  const auto read = [](std::string body) {
    Request request;
    request.headers["Content-Type"] = "application/json";
    request.body = std::move(body);
    return ReadJsonBody(request, BodyPresence::kRequired);
  };
  const std::string at_limit = std::string(kMaxBodyDepth, '[') + std::string(kMaxBodyDepth, ']');
  EXPECT_FALSE(read(at_limit).problem);
  EXPECT_FALSE(read(R"({"a":"[[[[\"[[["})").problem);
  for (const std::string& deep : {"[" + at_limit + "]", std::string(1'000'000, '['),
                                  std::string(R"({"a\\":)") + at_limit + "}"}) {
    const JsonBody body = read(deep);
    ASSERT_TRUE(body.problem);
    EXPECT_EQ(body.problem->status, 400);
    EXPECT_NE(body.problem->body.find("dieper genest dan 32"), std::string::npos)
        << body.problem->body;
  }
  const JsonBody invalid = read("[1,]");
  ASSERT_TRUE(invalid.problem);
  EXPECT_NE(invalid.problem->body.find("geen geldige JSON"), std::string::npos);
}

TEST(JsonBodyTest, OptionalBodiesMayBeEmpty) {
  Request request;
  JsonBody empty = ReadJsonBody(request, BodyPresence::kOptional);
  EXPECT_FALSE(empty.problem);
  EXPECT_EQ(empty.value, json::object());
  JsonBody required = ReadJsonBody(request, BodyPresence::kRequired);
  ASSERT_TRUE(required.problem);
  EXPECT_EQ(required.problem->status, 415);
  request.headers["Content-Type"] = "application/json";
  required = ReadJsonBody(request, BodyPresence::kRequired);
  ASSERT_TRUE(required.problem);
  EXPECT_EQ(required.problem->status, 400);
}

TEST(JsonBodyTest, ContractsNameTheMemberAtFault) {
  const std::vector<MemberSpec> contract = {
      {"product", MemberType::kString, Presence::kRequired},
      {"instance", MemberType::kInteger, Presence::kOptional}};
  EXPECT_FALSE(CheckContract(json{{"product", "x"}}, contract));
  EXPECT_FALSE(CheckContract(json{{"product", "x"}, {"instance", 2}}, contract));
  struct Case {
    json body;
    const char* names;
  };
  for (const Case& c : std::vector<Case>{{json{{"product", "x"}, {"extra", 1}}, "extra"},
                                         {json{{"product", 1}}, "product"},
                                         {json{{"product", "x"}, {"instance", "2"}}, "instance"},
                                         {json{{"product", "x"}, {"instance", 1.5}}, "instance"},
                                         {json{{"product", nullptr}}, "product"},
                                         {json::object(), "product"}}) {
    auto problem = CheckContract(c.body, contract);
    ASSERT_TRUE(problem) << c.body;
    EXPECT_EQ(problem->status, 400);
    EXPECT_NE(problem->body.find(c.names), std::string::npos) << problem->body;
  }
  EXPECT_EQ(CheckContract(json::array(), contract)->status, 400);
}

TEST(ProblemTest, RefusalsAreMappedInOnePlace) {
  EXPECT_EQ(HttpStatusFor(RefusalKind::kBadRequest), 400);
  EXPECT_EQ(HttpStatusFor(RefusalKind::kForbidden), 403);
  EXPECT_EQ(HttpStatusFor(RefusalKind::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(RefusalKind::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(RefusalKind::kInvalid), 422);
}

// Every Code, once, with the HTTP status a client gets for it.
struct CodeCase {
  Code code;
  int http_status;
};
constexpr CodeCase kCodeCases[] = {
    {Code::kOk, 500},  // a problem made of an ok status is a bug
    {Code::kInvalidArgument, 500},
    {Code::kNotFound, 404},
    {Code::kFailedPrecondition, 409},
    {Code::kAborted, 412},
    {Code::kUnavailable, 503},
    {Code::kDataLoss, 500},
    {Code::kDamaged, 409},  // with its own problem type (DamagedProblem)
    {Code::kInternal, 500},
};
static_assert(std::size(kCodeCases) == static_cast<std::size_t>(Code::kInternal) + 1,
              "a Code is missing from the table (kInternal is the last Code)");

TEST(ProblemTest, EveryCodeIsMappedInOnePlace) {
  for (std::size_t i = 0; i < std::size(kCodeCases); ++i) {
    const CodeCase& c = kCodeCases[i];
    EXPECT_EQ(static_cast<std::size_t>(c.code), i) << "the table lists each Code once, in order";
    EXPECT_EQ(HttpStatusFor(c.code), c.http_status) << "Code " << i;
    if (c.code != Code::kOk) {
      EXPECT_EQ(StatusProblem(Status(c.code, "x")).status, c.http_status) << "Code " << i;
    }
  }
}

TEST(ProblemTest, ServerErrorsRevealNoInternals) {
  for (Code code : {Code::kInternal, Code::kDataLoss, Code::kUnavailable, Code::kFailedPrecondition,
                    Code::kInvalidArgument}) {
    Response response = StatusProblem(Status(code, "database '/srv/geheim.db': SQLITE_CORRUPT"));
    EXPECT_EQ(response.content_type, "application/problem+json");
    EXPECT_EQ(response.body.find("geheim"), std::string::npos);
    EXPECT_EQ(response.body.find("SQLITE"), std::string::npos);
    EXPECT_FALSE(json::parse(response.body)["detail"].get<std::string>().empty());
  }
  EXPECT_EQ(StatusProblem(Status(Code::kUnavailable, "")).headers.at("Retry-After"), "5");
}

TEST(ProblemTest, RefusalsListEveryProblem) {
  Refusal refusal{RefusalKind::kConflict,
                  "Kan nog niet.",
                  {Problem{"product_ontbreekt", "kadernotitie", 0, "", "Kadernotitie ontbreekt."},
                   Problem{"veld_ontbreekt", "gespreksverslag", 2, "datum", "Datum ontbreekt."}}};
  Response response = RefusalProblem(refusal);
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(json::parse(response.body), (json{{"type", "urn:navolg:problem:conflict"},
                                              {"title", "Niet mogelijk in deze toestand"},
                                              {"status", 409},
                                              {"detail", "Kan nog niet."},
                                              {"missing",
                                               {{{"code", "product_ontbreekt"},
                                                 {"product", "kadernotitie"},
                                                 {"field", ""},
                                                 {"detail", "Kadernotitie ontbreekt."}},
                                                {{"code", "veld_ontbreekt"},
                                                 {"product", "gespreksverslag"},
                                                 {"field", "datum"},
                                                 {"detail", "Datum ontbreekt."},
                                                 {"instance", 2}}}}}));
}

}  // namespace
}  // namespace navolg::http
