// Idle connections must not lock real clients out (issue 13, item 2): a limit per client
// address, and, near the connection cap, idle connections give way. Over a real server on a
// loopback port; the attacker connects from 127.0.0.1, the real client from 127.0.0.2.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

#include "tests/http/server_fixture.h"
#include "tests/wait_until.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using std::chrono::milliseconds;

constexpr const char* kAttacker = "127.0.0.1";
constexpr const char* kRealClient = "127.0.0.2";

class ConnectionLimitsTest : public ServerFixture {
 protected:
  // Each idle connection takes a descriptor here and one in the server (same process).
  static void RaiseOpenFileLimit(rlim_t needed) {
    rlimit limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    if (limit.rlim_cur >= needed) return;
    limit.rlim_cur = std::min(limit.rlim_max, needed);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
    // Never a skip: a machine that cannot hold the connections cannot show the limit works.
    ASSERT_GE(limit.rlim_cur, needed) << "the hard limit of open files is too low for this test";
  }

  // `count` connections from `source` that send nothing.
  std::vector<std::unique_ptr<HttpConnection>> OpenIdle(std::size_t count, const char* source) {
    std::vector<std::unique_ptr<HttpConnection>> idle;
    for (std::size_t i = 0; i < count; ++i) {
      idle.push_back(std::make_unique<HttpConnection>(port_, source));
      EXPECT_TRUE(idle.back()->connected()) << i;
    }
    return idle;
  }

  // A real client from another address asks for /healthz and must get its answer within
  // `read_timeout` (not a reset); prints how long it took, `situation` saying beside what.
  void ExpectRealClientServed(std::chrono::milliseconds read_timeout, const char* situation) {
    HttpConnection client(port_, kRealClient);
    ASSERT_TRUE(client.connected());
    const auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(client.SendRaw(FormatRequest("GET", "/healthz")));
    const HttpResult result = client.ReadResponse(read_timeout);
    EXPECT_EQ(result.status, 200) << "reset or not answered within the read timeout";
    std::printf(
        "real client answered in %.1f ms %s\n",
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count(),
        situation);
  }

  double Counter(const std::string& name) {
    const std::string text = metrics_.Render();
    const auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
  }
};

// 1,100 idle connections from one address, with the default limits: the address limit keeps
// most of them out, and the real client from another address is answered.
TEST_F(ConnectionLimitsTest, IdleConnectionsFromOneAddressLeaveRoomForOthers) {
  RaiseOpenFileLimit(4096);
  StopServer();
  http::ServerOptions options;
  options.read_timeout = milliseconds(10'000);  // the default, which the attack waited out
  StartServer(options);
  auto idle = OpenIdle(1100, kAttacker);
  ExpectRealClientServed(options.read_timeout, "beside 1,100 idle connections (64 per address)");
  EXPECT_GE(Counter("navolg_http_connections_over_address_limit_total"), 1000);
}

// The same attack when the address limit does not stop it (many addresses, modelled by a
// limit above the cap): at the cap the oldest connection that has sent nothing makes room.
TEST_F(ConnectionLimitsTest, AtTheCapTheOldestIdleConnectionMakesRoomForARealClient) {
  RaiseOpenFileLimit(4096);
  StopServer();
  http::ServerOptions options;
  options.read_timeout = milliseconds(10'000);
  options.max_connections_per_address = 100'000;
  StartServer(options);
  auto idle = OpenIdle(1100, kAttacker);
  // The server has taken them all in (each one over the cap in place of an older one).
  ASSERT_TRUE(WaitUntil([&] { return Counter("navolg_http_connections_total") >= 1100; },
                        milliseconds(10'000)))
      << metrics_.Render();
  ExpectRealClientServed(options.read_timeout, "beside 1,100 idle connections at the cap");
  // None was turned away without a place (those over the cap took an idle one's).
  EXPECT_EQ(Counter("navolg_http_connections_rejected_total"), 0);
}

TEST_F(ConnectionLimitsTest, OverTheAddressLimitIs503WithRetryAfterAndOtherAddressesAreServed) {
  StopServer();
  http::ServerOptions options;
  options.max_connections_per_address = 3;
  StartServer(options);
  auto idle = OpenIdle(3, kAttacker);
  HttpConnection fourth(port_, kAttacker);
  const HttpResult refused = fourth.Request("GET", "/healthz");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.Header("retry-after"), "10");
  EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
  EXPECT_TRUE(fourth.ClosedByServer(milliseconds(2000)));
  HttpConnection other(port_, kRealClient);
  EXPECT_EQ(other.Request("GET", "/healthz").status, 200);
  // Once one of the three closes, the address may open another.
  idle.pop_back();
  EXPECT_TRUE(WaitUntil(
      [&] {
        HttpConnection again(port_, kAttacker);
        return again.Request("GET", "/healthz").status == 200;
      },
      milliseconds(5000)));
}

TEST_F(ConnectionLimitsTest, ATrustedProxyIsNotHeldToTheAddressLimit) {
  StopServer();
  http::ServerOptions options;
  options.max_connections_per_address = 2;
  options.trusted_proxies.ranges = {*http::ParseAddressRange("127.0.0.1")};
  StartServer(options);
  auto idle = OpenIdle(4, kAttacker);
  HttpConnection fifth(port_, kAttacker);
  EXPECT_EQ(fifth.Request("GET", "/healthz").status, 200);
}

TEST_F(ConnectionLimitsTest, AtTheCapAnIdleKeptAliveConnectionGivesWay) {
  StopServer();
  http::ServerOptions options;
  options.max_connections = 2;
  StartServer(options);
  HttpConnection first(port_), second(port_);
  ASSERT_EQ(first.Request("GET", "/healthz").status, 200);
  ASSERT_EQ(second.Request("GET", "/healthz").status, 200);
  HttpConnection third(port_, kRealClient);
  EXPECT_EQ(third.Request("GET", "/healthz").status, 200);
  // The oldest waiting connection was closed for it; a client reconnects as after any close.
  EXPECT_TRUE(first.ClosedByServer(milliseconds(2000)));
  EXPECT_EQ(Counter("navolg_http_connections_evicted_total"), 1);
}

TEST_F(ConnectionLimitsTest, ConnectionsInTheMiddleOfARequestAreNeverEvicted) {
  StopServer();
  http::ServerOptions options;
  options.max_connections = 2;
  StartServer(options);
  HttpConnection first(port_), second(port_);
  // Both have begun a request: neither is idle.
  ASSERT_TRUE(first.SendRaw("GET /healthz HTTP/1.1\r\n"));
  ASSERT_TRUE(second.SendRaw("GET /healthz HTTP/1.1\r\n"));
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Counter("navolg_http_open_connections") == 2 &&
               Counter("navolg_http_idle_connections") == 0;
      },
      milliseconds(2000)));
  HttpConnection third(port_, kRealClient);
  EXPECT_TRUE(third.ClosedByServer(milliseconds(1000)));
  // The two finish their requests and are answered.
  ASSERT_TRUE(first.SendRaw("Host: x\r\n\r\n"));
  ASSERT_TRUE(second.SendRaw("Host: x\r\n\r\n"));
  EXPECT_EQ(first.ReadResponse().status, 200);
  EXPECT_EQ(second.ReadResponse().status, 200);
  EXPECT_EQ(Counter("navolg_http_connections_rejected_total"), 1);
  EXPECT_EQ(Counter("navolg_http_connections_evicted_total"), 0);
}

}  // namespace
}  // namespace navolg
