// The assigned adviseur is enforced (issue 13, item 10): once a process is assigned, only
// its assignee (of the adviseurs) changes it, and managers and bestuur as the definition
// allows; another adviseur reads it and is refused with a 403 that says why. Until a process
// is assigned, any adviseur may act. The process view says whether the caller may act.
// Straight to App and through a real server.
#include "storage/directory.h"
#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

class AssignedAdviseurTest : public AppFixture, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    over_http_ = GetParam();
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    // A second adviseur of gemeente-a, made by the beheerder as in the web interface.
    http::Response made = Send("POST", "/api/v1/users", Token("beheerder"),
                               json{{"name", "Bea de Vries"}, {"role", "adviseur"}}.dump());
    ASSERT_EQ(made.status, 201) << made.body;
    bea_ = Body(made)["id"].get<std::string>();
    bea_token_ = Body(made)["token"].get<std::string>();
    ana_ = UserOf("adviseur").id;
    id_ = NewProcess();
    base_ = "/api/v1/processes/" + id_;
  }

  http::Response As(const std::string& token, const std::string& method, const std::string& path,
                    const json& body = nullptr) {
    return Send(method, base_ + path, token, body.is_null() ? "" : body.dump(),
                {{"If-Match", "\"" + std::to_string(VersionOf(id_)) + "\""}});
  }

  // Kaders done by ana (any adviseur may, unassigned), capaciteit naming `assignee`.
  void AssignTo(const std::string& assignee) {
    ASSERT_EQ(As(Token("adviseur"), "PUT", "/products/kadernotitie", CompleteKadernotitie()).status,
              200);
    ASSERT_EQ(As(Token("bestuur"), "POST", "/adoptions", json{{"product", "kadernotitie"}}).status,
              200);
    json capaciteit = CompleteCapaciteit();
    capaciteit["adviseur"] = assignee;
    ASSERT_EQ(As(Token("manager"), "PUT", "/products/capaciteit", capaciteit).status, 200);
  }

  json View(const std::string& token) { return Body(Send("GET", base_, token)); }

  std::string ana_, bea_, bea_token_, id_, base_;
};

TEST_P(AssignedAdviseurTest, UntilSomeoneIsAssignedAnyAdviseurMayAct) {
  EXPECT_TRUE(View(bea_token_)["assignee"].is_null());
  EXPECT_EQ(View(bea_token_)["may_act"], true);
  http::Response saved = As(bea_token_, "PUT", "/products/kadernotitie", CompleteKadernotitie());
  EXPECT_EQ(saved.status, 200) << saved.body;
}

TEST_P(AssignedAdviseurTest, AnotherAdviseurReadsButIsRefused) {
  AssignTo(ana_);
  const std::int64_t version = VersionOf(id_);
  const std::string events = Get("auditor", base_ + "/events").body;

  // Bea reads everything, but the view tells her she may not act, and why.
  const json view = View(bea_token_);
  EXPECT_EQ(view["assignee"], ana_);
  EXPECT_EQ(view["may_act"], false);
  for (const json& step : view["next"]) {
    EXPECT_EQ(step["allowed"], false) << step.dump();
    EXPECT_EQ(step["missing"][0]["code"], "niet_toegewezen") << step.dump();
  }
  EXPECT_EQ(Send("GET", base_ + "/events", bea_token_).status, 200);

  // Every kind of change is refused, 403 with a Dutch reason, and nothing is recorded.
  for (const http::Response& refused :
       {As(bea_token_, "POST", "/transitions/naar_gesprek"),
        As(bea_token_, "PUT", "/products/kadernotitie", CompleteKadernotitie())}) {
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(refused.content_type, "application/problem+json");
    EXPECT_EQ(Body(refused)["missing"][0]["code"], "niet_toegewezen");
    EXPECT_NE(Body(refused)["detail"].get<std::string>().find("toegewezen"), std::string::npos)
        << refused.body;
  }
  EXPECT_EQ(VersionOf(id_), version);
  EXPECT_EQ(Get("auditor", base_ + "/events").body, events);

  // The assignee acts; so does a manager, on any process.
  EXPECT_EQ(View(Token("adviseur"))["may_act"], true);
  EXPECT_EQ(As(Token("adviseur"), "POST", "/transitions/naar_gesprek").status, 200);
  EXPECT_EQ(View(Token("manager"))["may_act"], true);
  EXPECT_EQ(As(Token("manager"), "PUT", "/products/stopbericht", CompleteStopbericht()).status,
            200);
  // Readers who never act are told so too, without the assignee's reason.
  const json auditor = View(Token("auditor"));
  EXPECT_EQ(auditor["may_act"], false);
  EXPECT_EQ(auditor["next"][0]["missing"][0]["code"], "rol_niet_toegestaan");
}

TEST_P(AssignedAdviseurTest, TheAssigneeIsWhoeverTheProcessNamesNow) {
  AssignTo(bea_);
  EXPECT_EQ(View(Token("adviseur"))["may_act"], false);
  EXPECT_EQ(As(Token("adviseur"), "POST", "/transitions/naar_gesprek").status, 403);
  EXPECT_EQ(View(bea_token_)["may_act"], true);
  // Reassigned by the manager while still in kaders: now ana acts and bea reads.
  json capaciteit = CompleteCapaciteit();
  capaciteit["adviseur"] = ana_;
  ASSERT_EQ(As(Token("manager"), "PUT", "/products/capaciteit", capaciteit).status, 200);
  EXPECT_EQ(As(bea_token_, "POST", "/transitions/naar_gesprek").status, 403);
  EXPECT_EQ(As(Token("adviseur"), "POST", "/transitions/naar_gesprek").status, 200);
}

INSTANTIATE_TEST_SUITE_P(AppAndServer, AssignedAdviseurTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OverHttp" : "DirectToApp";
                         });

}  // namespace
}  // namespace navolg::testing
