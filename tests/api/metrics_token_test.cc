// GET /metrics for the operator only: with navolg serve's metrics token, or on the operator's
// own listener (--metrics-listen); without either it is closed. Through a real server on a
// loopback port, as Prometheus would scrape it.
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

// No metrics token configured: the public listener never shows the figures, and says how an
// operator turns them on.
class MetricsClosedTest : public AppFixture {
 protected:
  void SetUp() override {
    over_http_ = true;
    AppFixture::SetUp();
  }
};

TEST_F(MetricsClosedTest, WithoutAMetricsTokenTheMetricsAreRefusedWithHowToEnableThem) {
  for (const std::string& token : {std::string(), Token("beheerder"), std::string("x")}) {
    http::Response response = Send("GET", "/metrics", token);
    EXPECT_EQ(response.status, 403);
    EXPECT_EQ(response.content_type, "application/problem+json");
    const std::string detail = Body(response).value("detail", "");
    EXPECT_NE(detail.find("--metrics-token"), std::string::npos) << detail;
    EXPECT_NE(detail.find("--metrics-listen"), std::string::npos) << detail;
    EXPECT_EQ(response.body.find("navolg_commits_total"), std::string::npos);
  }
  EXPECT_EQ(Send("GET", "/healthz", "").status, 200);
}

// The operator's listener: a second server in front of the same App with operator_only set,
// as navolg serve --metrics-listen starts it.
class OperatorListenerTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    http::ServerOptions options;
    options.port = 0;
    options.handle_signals = false;
    options.log_requests = false;
    options.operator_only = true;
    auto server = http::Server::Start(options, *app_, operator_metrics_);
    ASSERT_TRUE(server.ok()) << server.status().message();
    operator_ = std::move(*server);
    operator_thread_ = std::thread([this] { operator_->Run(); });
  }
  void TearDown() override {
    if (operator_) {
      operator_->Stop();
      operator_thread_.join();
      operator_.reset();
    }
    AppFixture::TearDown();
  }

  http::Metrics operator_metrics_;
  std::unique_ptr<http::Server> operator_;
  std::thread operator_thread_;
};

TEST_F(OperatorListenerTest, ServesTheMetricsWithoutATokenAndNothingElse) {
  NewProcess();
  HttpConnection scraper(operator_->port());
  const HttpResult metrics = scraper.Request("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("navolg_commits_total"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("route=\"/api/v1/processes\",status=\"201\""), std::string::npos)
      << metrics.body;
  // Not the API, not the web interface: only /metrics.
  for (const char* target : {"/api/v1/me", "/healthz", "/", "/api/v1/openapi.json"}) {
    HttpConnection other(operator_->port());
    const HttpResult result =
        other.Request("GET", target, "Authorization: Bearer " + Token("beheerder") + "\r\n");
    EXPECT_EQ(result.status, 404) << target;
    EXPECT_EQ(result.body.find("gemeente"), std::string::npos) << result.body;
  }
  HttpConnection poster(operator_->port());
  EXPECT_EQ(poster.Request("POST", "/metrics", "", "{}").status, 405);
  // The public listener still refuses without a token.
  EXPECT_EQ(Send("GET", "/metrics", "").status, 403);
}

}  // namespace
}  // namespace navolg::testing
