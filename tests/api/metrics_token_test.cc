// GET /metrics for the operator only, when navolg serve has a metrics token: through a real
// server on a loopback port, as Prometheus would scrape it.
#include <gtest/gtest.h>

#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

constexpr const char* kMetricsToken = "operator-scrape-token-0123456789";

class MetricsTokenTest : public AppFixture {
 protected:
  void SetUp() override {
    over_http_ = true;
    metrics_token_ = kMetricsToken;
    AppFixture::SetUp();
  }
};

TEST_F(MetricsTokenTest, WithoutTheTokenTheMetricsAreRefused) {
  http::Response response = Send("GET", "/metrics", "");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(response.body.find("navolg_commits_total"), std::string::npos);
  EXPECT_NE(Header(response, "WWW-Authenticate").find("Bearer"), std::string::npos);
}

TEST_F(MetricsTokenTest, AUsersTokenIsNotTheMetricsToken) {
  // Even the beheerder of an organisation does not see the whole server's figures.
  http::Response response = Send("GET", "/metrics", Token("beheerder"));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body.find("navolg_commits_total"), std::string::npos);
}

TEST_F(MetricsTokenTest, ATokenThatDiffersOnlyAtTheEndIsRefused) {
  std::string almost = kMetricsToken;
  almost.back() = 'X';
  EXPECT_EQ(Send("GET", "/metrics", almost).status, 401);
  EXPECT_EQ(Send("GET", "/metrics", std::string(kMetricsToken) + "0").status, 401);
  EXPECT_EQ(Send("GET", "/metrics", std::string(kMetricsToken).substr(1)).status, 401);
}

TEST_F(MetricsTokenTest, WithTheTokenTheOperatorReadsTheMetrics) {
  http::Response response = Send("GET", "/metrics", kMetricsToken);
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("navolg_commits_total"), std::string::npos);
}

TEST_F(MetricsTokenTest, TheOtherPublicRoutesStayOpen) {
  EXPECT_EQ(Send("GET", "/healthz", "").status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/openapi.json", "").status, 200);
}

}  // namespace
}  // namespace navolg::testing
