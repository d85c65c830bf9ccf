// What the API answers to requests it cannot carry out: each bad input gets its own status
// and a problem+json body, and changes nothing.
#include <chrono>
#include <stdexcept>

#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

// Parameter: false sends requests straight to App::Handle, true through a real server.
class BadInputTest : public AppFixture, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    over_http_ = GetParam();
    AppFixture::SetUp();
    id_ = NewProcess();
    base_ = "/api/v1/processes/" + id_;
  }

  // Expects a problem with `status`, and the process unchanged at version 1.
  void ExpectProblem(const http::Response& response, int status, const std::string& what) {
    EXPECT_EQ(response.status, status) << what << ": " << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json") << what;
    const json body = Body(response);
    ASSERT_TRUE(body.is_object()) << what;
    EXPECT_EQ(body["status"], status) << what;
    EXPECT_TRUE(body["type"].is_string() && body["title"].is_string() && body["detail"].is_string())
        << what;
    EXPECT_EQ(VersionOf(id_), 1) << what;
  }

  http::Response Put(const std::string& path, const std::string& body,
                     http::Headers headers = {{"If-Match", "\"1\""}}) {
    return Send("PUT", base_ + path, Token("adviseur"), body, headers);
  }

  std::string id_;
  std::string base_;
};

TEST_P(BadInputTest, MalformedJsonIs400) {
  ExpectProblem(Put("/products/kadernotitie", "{\"onderwerp\":"), 400, "cut off");
  ExpectProblem(Put("/products/kadernotitie", "{'onderwerp': 'x'}"), 400, "single quotes");
  ExpectProblem(Put("/products/kadernotitie", "{\"onderwerp\":\"\xff\"}"), 400, "bad UTF-8");
  ExpectProblem(Send("POST", "/api/v1/processes", Token("adviseur"), "{\"workflow\""), 400,
                "create");
  ExpectProblem(Send("POST", base_ + "/transitions/naar_gesprek", Token("adviseur"), "[1,",
                     {{"If-Match", "\"1\""}}),
                400, "transition");
}

TEST_P(BadInputTest, ABodyThatIsNotJsonIs415) {
  const std::string body = CompleteKadernotitie().dump();
  ExpectProblem(
      Put("/products/kadernotitie", body, {{"If-Match", "\"1\""}, {"Content-Type", "text/plain"}}),
      415, "text/plain");
  ExpectProblem(Put("/products/kadernotitie", body, {{"If-Match", "\"1\""}, {"Content-Type", ""}}),
                415, "no content type");
  ExpectProblem(Put("/products/kadernotitie", body,
                    {{"If-Match", "\"1\""}, {"Content-Type", "application/json; charset=latin1"}}),
                415, "latin1");
  ExpectProblem(Send("POST", "/api/v1/processes", Token("adviseur"),
                     json{{"workflow", "standaard-participatie"}, {"title", "X"}}.dump(),
                     {{"Content-Type", "application/x-www-form-urlencoded"}}),
                415, "form");
  // A charset parameter is fine.
  http::Response ok =
      Put("/products/kadernotitie", body,
          {{"If-Match", "\"1\""}, {"Content-Type", "Application/JSON; charset=UTF-8"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_P(BadInputTest, DeepNestingIsRefusedBeforeParsing) {
  // Well-formed, so only the depth can be why: the parser never sees it.
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  const std::string deep_member = "{\"title\":" + deep + "}";
  const auto started = std::chrono::steady_clock::now();
  for (const http::Response& response :
       {Put("/products/kadernotitie", deep), Put("/products/kadernotitie", deep_member),
        Put("/products/kadernotitie", std::string(100'000, '{')),
        Send("POST", "/api/v1/processes", Token("adviseur"), deep_member),
        Send("POST", base_ + "/transitions/naar_gesprek", Token("adviseur"), deep,
             {{"If-Match", "\"1\""}})}) {
    ExpectProblem(response, 400, "100000 levels");
    EXPECT_NE(Body(response)["detail"].get<std::string>().find("genest"), std::string::npos)
        << response.body;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));

  // 33 levels are too many; brackets inside strings do not count.
  std::string nested33 = "{\"onderwerp\":" + std::string(32, '[') + std::string(32, ']') + "}";
  ExpectProblem(Put("/products/kadernotitie", nested33), 400, "33 levels");
  std::string in_string = "{\"onderwerp\":\"" + std::string(100, '[') + "\"}";
  EXPECT_EQ(Put("/products/kadernotitie", in_string).status, 200);
}

TEST_P(BadInputTest, ContractBodiesRefuseUnknownMembersAndWrongTypes) {
  ExpectProblem(
      Send("POST", "/api/v1/processes", Token("adviseur"),
           json{{"workflow", "standaard-participatie"}, {"title", "X"}, {"owner", "me"}}.dump()),
      400, "create, unknown member");
  ExpectProblem(Send("POST", "/api/v1/processes", Token("adviseur"),
                     json{{"workflow", "standaard-participatie"}, {"title", 5}}.dump()),
                400, "create, title a number");
  ExpectProblem(Send("POST", "/api/v1/processes", Token("adviseur"),
                     json{{"workflow", "standaard-participatie"}}.dump()),
                400, "create, no title");
  ExpectProblem(Send("POST", "/api/v1/processes", Token("adviseur"), "[]"), 400, "create, array");
  ExpectProblem(Send("POST", "/api/v1/processes", Token("adviseur"),
                     json{{"workflow", "standaard-participatie"}, {"title", "   "}}.dump()),
                422, "create, blank title (engine)");
  const http::Response no_workflow = Send("POST", "/api/v1/processes", Token("adviseur"),
                                          json{{"workflow", ""}, {"title", "X"}}.dump());
  ExpectProblem(no_workflow, 422, "create, no workflow chosen");
  EXPECT_NE(no_workflow.body.find("Kies een procesdefinitie"), std::string::npos)
      << no_workflow.body;
  const http::Headers if_match{{"If-Match", "\"1\""}};
  ExpectProblem(Send("POST", base_ + "/adoptions", Token("bestuur"),
                     json{{"product", "kadernotitie"}, {"versie", 1}}.dump(), if_match),
                400, "adoption, unknown member");
  ExpectProblem(Send("POST", base_ + "/adoptions", Token("bestuur"),
                     json{{"product", json::array()}}.dump(), if_match),
                400, "adoption, product an array");
  ExpectProblem(Send("POST", base_ + "/adoptions", Token("bestuur"), "{}", if_match), 400,
                "adoption, no product");
  ExpectProblem(Send("POST", base_ + "/transitions/naar_gesprek", Token("adviseur"),
                     json{{"reden", "x"}}.dump(), if_match),
                400, "transition, unknown member");
  ExpectProblem(Send("POST", base_ + "/transitions/naar_gesprek", Token("adviseur"),
                     json{{"motivatie", 3}}.dump(), if_match),
                400, "transition, motivatie a number");
}

TEST_P(BadInputTest, ProductFieldsOfTheWrongTypeAre422) {
  json content = CompleteKadernotitie();
  content["terugkoppeltermijn_dagen"] = "dertig";
  http::Response wrong_type = Put("/products/kadernotitie", content.dump());
  ExpectProblem(wrong_type, 422, "integer as text");
  ASSERT_FALSE(Body(wrong_type)["missing"].empty());
  EXPECT_EQ(Body(wrong_type)["missing"][0]["product"], "kadernotitie");
  EXPECT_EQ(Body(wrong_type)["missing"][0]["field"], "terugkoppeltermijn_dagen");

  content = CompleteKadernotitie();
  content["terugkoppeltermijn_dagen"] = 366;
  ExpectProblem(Put("/products/kadernotitie", content.dump()), 422, "out of bounds");
  ExpectProblem(Put("/products/kadernotitie", json{{"kleur", "rood"}}.dump()), 422,
                "unknown field");
  ExpectProblem(Put("/products/kadernotitie", "[1, 2]"), 422, "not an object");
  ExpectProblem(Put("/products/kadernotitie", json{{"terugkoppeltermijn_dagen", 1.5}}.dump()), 422,
                "a float");
}

TEST_P(BadInputTest, UnknownThingsAre404) {
  ExpectProblem(Get("adviseur", "/api/v1/processes/p-0000000000000000beef"), 404, "process");
  ExpectProblem(Get("adviseur", "/api/v1/processes/p-0000000000000000beef/events"), 404, "events");
  ExpectProblem(Get("adviseur", "/api/v1/processes/p-0000000000000000beef/events.jsonl"), 404,
                "export");
  ExpectProblem(Send("PUT", "/api/v1/processes/p-0000000000000000beef/products/kadernotitie",
                     Token("adviseur"), CompleteKadernotitie().dump(), {{"If-Match", "\"1\""}}),
                404, "command on unknown process");
  ExpectProblem(Put("/products/onbekend", "{}"), 404, "product");
  ExpectProblem(Put("/products/kadernotitie/2", CompleteKadernotitie().dump()), 404,
                "second instance of a single product");
  ExpectProblem(Put("/products/gespreksverslag/x", "{}"), 404, "instance not a number");
  ExpectProblem(
      Send("POST", base_ + "/transitions/vliegen", Token("adviseur"), "", {{"If-Match", "\"1\""}}),
      404, "transition");
  ExpectProblem(Get("adviseur", "/api/v1/workflows/onbekend"), 404, "workflow");
  ExpectProblem(Get("adviseur", "/api/v1/nergens"), 404, "path");
  // A workflow named in a body is a value, not an address.
  http::Response unknown_workflow = Send("POST", "/api/v1/processes", Token("adviseur"),
                                         json{{"workflow", "onbekend"}, {"title", "X"}}.dump());
  ExpectProblem(unknown_workflow, 422, "unknown workflow");
  EXPECT_EQ(Body(unknown_workflow)["missing"][0]["field"], "workflow");
}

TEST_P(BadInputTest, ARepeatingProductNeedsItsInstanceNumber) {
  ASSERT_EQ(Command("PUT", "adviseur", base_ + "/products/kadernotitie", CompleteKadernotitie(), 1)
                .status,
            200);
  // (The process is now at version 2; the refusals below must not change that.)
  http::Response response =
      Send("PUT", base_ + "/products/gespreksverslag", Token("adviseur"),
           CompleteGespreksverslag("2026-02-27").dump(), {{"If-Match", "\"2\""}});
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(VersionOf(id_), 2);
}

TEST_P(BadInputTest, NoOrABadTokenIs401) {
  http::Response none = Send("GET", base_, "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Header(none, "WWW-Authenticate").rfind("Bearer", 0), 0u);
  const std::string bad = "navolg_" + std::string(64, '0');
  http::Response unknown = Send("GET", base_, bad);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Header(unknown, "WWW-Authenticate").rfind("Bearer", 0), 0u);
  EXPECT_EQ(unknown.body.find(bad), std::string::npos);
  for (const auto& [name, value] : unknown.headers) {
    EXPECT_EQ(value.find(bad), std::string::npos) << name;
  }
  for (const std::string& authorization :
       {std::string("Basic YWRtaW46YWRtaW4="), std::string("Bearer"), std::string("Bearer  "),
        "Token " + Token("adviseur"), "Bearer " + Token("adviseur") + " extra"}) {
    http::Request request;
    request.method = "GET";
    request.target = "/api/v1/me";
    request.headers["Authorization"] = authorization;
    http::Response response = app_->Handle(request);
    EXPECT_EQ(response.status, 401) << authorization;
    EXPECT_EQ(response.body.find(Token("adviseur")), std::string::npos);
  }
  // The scheme is case-insensitive (RFC 6750).
  http::Request lower;
  lower.method = "GET";
  lower.target = "/api/v1/me";
  lower.headers["authorization"] = "bearer " + Token("auditor");
  EXPECT_EQ(app_->Handle(lower).status, 200);
  // Commands without a token change nothing.
  ExpectProblem(Send("PUT", base_ + "/products/kadernotitie", "", CompleteKadernotitie().dump(),
                     {{"If-Match", "\"1\""}}),
                401, "command without a token");
}

TEST_P(BadInputTest, CommandsNeedACurrentIfMatch) {
  const std::string body = CompleteKadernotitie().dump();
  ExpectProblem(Put("/products/kadernotitie", body, {}), 428, "missing");
  ExpectProblem(Put("/products/kadernotitie", body, {{"If-Match", "*"}}), 428, "star");
  ExpectProblem(Put("/products/kadernotitie", body, {{"If-Match", "1"}}), 400, "unquoted");
  ExpectProblem(Put("/products/kadernotitie", body, {{"If-Match", "W/\"1\""}}), 400, "weak");
  ExpectProblem(Put("/products/kadernotitie", body, {{"If-Match", "\"1\", \"2\""}}), 400, "list");
  ExpectProblem(Send("POST", base_ + "/transitions/naar_gesprek", Token("adviseur")), 428,
                "transition, missing");
  ExpectProblem(Send("POST", base_ + "/adoptions", Token("bestuur"),
                     json{{"product", "kadernotitie"}}.dump()),
                428, "adoption, missing");

  const http::Response events_before = Get("auditor", base_ + "/events");
  for (const char* stale : {"\"0\"", "\"2\"", "\"99\""}) {
    ExpectProblem(Put("/products/kadernotitie", body, {{"If-Match", stale}}), 412, stale);
    ExpectProblem(
        Send("POST", base_ + "/transitions/stoppen", Token("manager"), "", {{"If-Match", stale}}),
        412, stale);
  }
  EXPECT_EQ(Get("auditor", base_ + "/events").body, events_before.body);
  EXPECT_EQ(Put("/products/kadernotitie", body).status, 200);
}

TEST_P(BadInputTest, BadListQueriesAre400) {
  for (const char* limit : {"0", "201", "abc", "-1", "1.5", ""}) {
    ExpectProblem(Get("adviseur", std::string("/api/v1/processes?limit=") + limit), 400, limit);
  }
  ExpectProblem(Get("adviseur", "/api/v1/processes?state=%zz"), 400, "bad percent-encoding");
  // Paging: one at a time, following "next".
  now_ += std::chrono::seconds(1);  // ids are time-ordered; within a millisecond, random
  NewProcess("Tweede");
  const json first = Body(Get("adviseur", "/api/v1/processes?limit=1"));
  ASSERT_EQ(first["items"].size(), 1u);
  ASSERT_TRUE(first["next"].is_string());
  const json second =
      Body(Get("adviseur", "/api/v1/processes?limit=1&after=" + first["next"].get<std::string>()));
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["title"], "Tweede");
  EXPECT_TRUE(second["next"].is_null());
  EXPECT_EQ(Body(Get("adviseur", "/api/v1/processes?state=gesprek"))["items"], json::array());
  EXPECT_EQ(Body(Get("adviseur", "/api/v1/processes?state=kaders"))["items"].size(), 2u);
}

TEST_P(BadInputTest, AnExceptionInAHandlerIsAGeneric500) {
  http::App throwing(http::Services{
      committer_.get(), reads_.get(),
      []() -> Time { throw std::runtime_error("SQLITE_IOERR in /secret/path/navolg.db"); },
      &metrics_});
  http::Request request;
  request.method = "GET";
  request.target = base_;
  request.headers["Authorization"] = "Bearer " + Token("adviseur");
  http::Response response = throwing.Handle(request);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(Header(response, "API-Version"), "1.0.0");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(response.body.find("SQLITE"), std::string::npos);
  EXPECT_FALSE(Body(response)["detail"].get<std::string>().empty());
}

INSTANTIATE_TEST_SUITE_P(AppAndServer, BadInputTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OverHttp" : "DirectToApp";
                         });

}  // namespace
}  // namespace navolg::testing
