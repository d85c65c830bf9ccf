// `navolg serve` as an operator runs it behind a reverse proxy: the client address is taken
// from X-Forwarded-For or Forwarded only when the TCP peer is a trusted proxy (seen in the
// request log's "client"), and /metrics is for the operator only (a token, or the operator's
// own listener). The real binary on loopback ports; the proxy connects from 127.0.0.2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"
#include "tests/wait_until.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using namespace navolg::testing;
using nlohmann::json;
using std::chrono::milliseconds;

constexpr const char* kProxy = "127.0.0.2";
constexpr const char* kDirect = "127.0.0.1";

class ServeNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("navolg-network-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "navolg.db").string();
    log_ = (dir_ / "stderr.log").string();
  }
  void TearDown() override {
    server_.Stop();
    fs::remove_all(dir_);
  }

  void Start(const std::vector<std::string>& extra) {
    server_ = StartServe(NAVOLG_BINARY, db_, extra, log_);
    ASSERT_NE(server_.port, 0) << server_.banner;
  }

  // GET `path` from `source` with the header lines `headers`; the status.
  int Get(const char* source, const std::string& path, const std::string& headers) {
    HttpConnection connection(server_.port, source);
    EXPECT_TRUE(connection.connected());
    last_ = connection.Request("GET", path, headers);
    return last_.status;
  }

  // The "client" of the request log's line for `path` (each test uses a path once); empty
  // when no such line appears.
  std::string LoggedClient(const std::string& path) {
    std::string client;
    const bool found = WaitUntil(
        [&] {
          std::ifstream log(log_);
          for (std::string line; std::getline(log, line);) {
            const json entry = json::parse(line, nullptr, false);
            if (entry.is_object() && entry.value("path", "") == path) {
              client = entry.value("client", "");
              return true;
            }
          }
          return false;
        },
        milliseconds(5000));
    return found ? client : "";
  }

  fs::path dir_;
  std::string db_, log_;
  ServeChild server_;
  HttpResult last_;
};

TEST_F(ServeNetworkTest, ASpoofedXForwardedForFromAnUntrustedPeerIsIgnored) {
  Start({"--log", "on", "--trusted-proxy", kProxy});
  EXPECT_EQ(Get(kDirect, "/spoofed", "X-Forwarded-For: 198.51.100.7\r\n"), 404);
  EXPECT_EQ(LoggedClient("/spoofed"), "127.0.0.1");
  // Not even two of them make a difference: the header is not read at all.
  EXPECT_EQ(Get(kDirect, "/spoofed-twice",
                "X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-For: 198.51.100.8\r\n"),
            404);
  EXPECT_EQ(LoggedClient("/spoofed-twice"), "127.0.0.1");
}

TEST_F(ServeNetworkTest, ATrustedProxysXForwardedForNamesTheClient) {
  Start({"--log", "on", "--trusted-proxy", std::string(kProxy) + ",10.0.0.0/8"});
  // The client wrote 203.0.113.1 itself; the proxy appended the address it saw.
  EXPECT_EQ(Get(kProxy, "/forwarded", "X-Forwarded-For: 203.0.113.1, 198.51.100.7\r\n"), 404);
  EXPECT_EQ(LoggedClient("/forwarded"), "198.51.100.7");
  // Without the header: the proxy itself.
  EXPECT_EQ(Get(kProxy, "/proxy-itself", ""), 404);
  EXPECT_EQ(LoggedClient("/proxy-itself"), "127.0.0.2");
}

TEST_F(ServeNetworkTest, AmbiguousForwardingFromATrustedProxyIs400) {
  Start({"--log", "on", "--trusted-proxy", kProxy});
  // A proxy that adds its own line after the client's is read as one list, from the right.
  EXPECT_EQ(Get(kProxy, "/two-lines",
                "X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-For: 198.51.100.8\r\n"),
            404);
  EXPECT_EQ(LoggedClient("/two-lines"), "198.51.100.8");
  EXPECT_EQ(
      Get(kProxy, "/api/v1/me", "X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-For: garbage\r\n"),
      400);
  EXPECT_EQ(last_.Header("content-type"), "application/problem+json");
  EXPECT_NE(json::parse(last_.body).value("detail", "").find("X-Forwarded-For"), std::string::npos)
      << last_.body;
  EXPECT_EQ(Get(kProxy, "/api/v1/me", "X-Forwarded-For: unknown\r\n"), 400);
}

TEST_F(ServeNetworkTest, TheForwardedHeaderWhenConfigured) {
  Start({"--log", "on", "--trusted-proxy", "127.0.0.2/31", "--forwarded-header", "forwarded"});
  EXPECT_EQ(Get(kProxy, "/rfc7239",
                "Forwarded: for=203.0.113.1, for=\"[2001:db8:cafe::17]:4711\";proto=https\r\n"
                "X-Forwarded-For: 198.51.100.9\r\n"),
            404);
  EXPECT_EQ(LoggedClient("/rfc7239"), "2001:db8:cafe::17");
}

TEST_F(ServeNetworkTest, WithoutAMetricsTokenTheMetricsAreClosedAndSayHowToOpenThem) {
  Start({"--metrics-token", ""});
  EXPECT_EQ(Get(kDirect, "/metrics", ""), 403);
  const std::string detail = json::parse(last_.body).value("detail", "");
  EXPECT_NE(detail.find("--metrics-token"), std::string::npos) << detail;
  EXPECT_NE(detail.find("--metrics-listen"), std::string::npos) << detail;
}

TEST_F(ServeNetworkTest, TheOperatorsListenerServesTheMetricsWithoutAToken) {
  Start({"--metrics-listen", "127.0.0.1:0"});
  const std::string line = ReadLineContaining(server_, "Metrieken voor de beheerder");
  ASSERT_FALSE(line.empty());
  const auto colon = line.rfind(':');
  const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  EXPECT_EQ(Get(kDirect, "/healthz", ""), 200);
  HttpConnection scraper(port);
  const HttpResult metrics = scraper.Request("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("navolg_http_requests_total{method=\"GET\",route=\"/healthz\""),
            std::string::npos)
      << metrics.body;
  HttpConnection api(port);
  EXPECT_EQ(api.Request("GET", "/api/v1/openapi.json").status, 404);
  // On the public listener the token is still needed.
  EXPECT_EQ(Get(kDirect, "/metrics", ""), 401);
}

}  // namespace
}  // namespace navolg
