// Two `navolg serve` nodes behind Debian's nginx, configured with deploy/nginx's template as
// deploy/compose.yaml uses it: requests reach both nodes, each node sees the client's own
// address (not nginx's, and not what a client writes in X-Forwarded-For), and a node that
// dies is passed over. The clients are 127.0.0.2 and 127.0.0.3; nginx reaches the nodes from
// 127.0.0.1, the nodes' one trusted proxy.
//
// nginx runs as a child of the test, from a configuration in the test's folder that includes
// the filled-in template, on a loopback port of its own. Without nginx the tests are skipped
// with the reason, except under CI=true, where that fails them.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/http/metrics_scrape.h"
#include "tests/http/two_nodes.h"
#include "tests/wait_until.h"

namespace navolg::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kNginx[] = "/usr/sbin/nginx";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` with every `${name}` replaced by its value, as the nginx image's envsubst does.
std::string Fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = "${" + name + "}";
    for (auto at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

// The sum of navolg_http_requests_total over every method and status of `route`, on a node.
double RequestsTo(std::uint16_t node, const std::string& route) {
  std::istringstream lines(ScrapeMetrics(node).text);
  const std::string marker = ",route=\"" + route + "\",";
  double sum = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("navolg_http_requests_total{") && line.find(marker) != std::string::npos) {
      sum += std::strtod(line.substr(line.rfind(' ') + 1).c_str(), nullptr);
    }
  }
  return sum;
}

class BehindNginxTest : public TwoNodesTest {
 protected:
  void SetUp() override {
    if (::access(kNginx, X_OK) != 0) {
      const char* ci = std::getenv("CI");
      if (ci != nullptr && std::string(ci) == "true") {
        FAIL() << kNginx << " is missing (Debian package nginx); CI=true, so this fails";
      }
      GTEST_SKIP() << kNginx << " is missing (Debian package nginx): nothing to test behind";
    }
    TwoNodesTest::SetUp();
  }

  void TearDown() override {
    if (nginx_ > 0) {
      ::kill(nginx_, SIGTERM);
      ::waitpid(nginx_, nullptr, 0);
    }
    TwoNodesTest::TearDown();
  }

  // Both nodes trusting 127.0.0.1, and nginx in front of them on proxy_.
  void StartBehindNginx() {
    ASSERT_NO_FATAL_FAILURE(StartBoth({"--trusted-proxy", "127.0.0.1"}));
    const fs::path conf = dir_ / "nginx";
    for (const char* temp : {"body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
      fs::create_directories(conf / "temp" / temp);
      // As root nginx's worker runs as nobody and writes request bodies here.
      fs::permissions(conf / "temp" / temp, fs::perms::all);
    }
    for (int attempt = 0; attempt < 3 && nginx_ <= 0; ++attempt) {
      proxy_ = UnusedLoopbackPort();
      std::ofstream(conf / "navolg.conf")
          << Fill(ReadFile(fs::path(NAVOLG_SOURCE_DIR) / "deploy/nginx/navolg.conf.template"),
                  {{"NAVOLG_PROXY_LISTEN", "127.0.0.1:" + std::to_string(proxy_)},
                   {"NAVOLG_PROXY_NODE1", "127.0.0.1:" + std::to_string(a_.port)},
                   {"NAVOLG_PROXY_NODE2", "127.0.0.1:" + std::to_string(b_.port)}});
      std::ofstream(conf / "nginx.conf")
          << (::geteuid() == 0 ? "user nobody nogroup;\n" : "") << "daemon off;\n"
          << "worker_processes 1;\n"
          << "pid " << (conf / "nginx.pid").string() << ";\n"
          << "error_log " << (conf / "error.log").string() << " notice;\n"
          << "events { worker_connections 256; }\n"
          << "http {\n"
          << "  access_log " << (conf / "access.log").string() << ";\n"
          << "  client_body_temp_path " << (conf / "temp/body").string() << ";\n"
          << "  proxy_temp_path " << (conf / "temp/proxy").string() << ";\n"
          << "  fastcgi_temp_path " << (conf / "temp/fastcgi").string() << ";\n"
          << "  uwsgi_temp_path " << (conf / "temp/uwsgi").string() << ";\n"
          << "  scgi_temp_path " << (conf / "temp/scgi").string() << ";\n"
          << "  include " << (conf / "navolg.conf").string() << ";\n"
          << "}\n";
      const std::string error_log = (conf / "error.log").string();
      const std::string prefix = conf.string() + "/";
      const std::string config = (conf / "nginx.conf").string();
      const pid_t pid = ::fork();
      if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // Its messages go to error.log; the test's output stays the test's (a worker left
        // behind by a crashed test must not hold it open).
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execl(kNginx, kNginx, "-e", error_log.c_str(), "-p", prefix.c_str(), "-c", config.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
      }
      const bool up = WaitUntil(
          [&] {
            if (::waitpid(pid, nullptr, WNOHANG) == pid) return true;  // it gave up
            return HttpConnection(proxy_).Request("GET", "/healthz").status != 0;
          },
          std::chrono::seconds(20));
      if (up && ::waitpid(pid, nullptr, WNOHANG) == 0) nginx_ = pid;
    }
    ASSERT_GT(nginx_, 0) << "nginx did not start; its log:\n" << ReadFile(conf / "error.log");
  }

  // One request through nginx from the client at `source`.
  HttpResult ThroughNginx(const std::string& source, const std::string& method,
                          const std::string& target, const std::string& headers = "",
                          const std::string& body = "") {
    return HttpConnection(proxy_, source).Request(method, target, headers, body);
  }

  pid_t nginx_ = -1;
  std::uint16_t proxy_ = 0;
};

// A client guessing Anna's password from 127.0.0.2 locks her name for 127.0.0.2 only, however
// it fills in X-Forwarded-For; Anna at 127.0.0.3 signs in. Both nodes took part, and the
// security log names the clients, never nginx or a written-in address.
TEST_F(BehindNginxTest, EveryNodeSeesTheClientsOwnAddress) {
  ASSERT_NO_FATAL_FAILURE(AddAnna());
  ASSERT_NO_FATAL_FAILURE(StartBehindNginx());
  const std::string wrong =
      json{{"organisation", "gemeente"}, {"name", "Anna"}, {"password", "raden-maar"}}.dump();
  for (int i = 0; i < 5; ++i) {
    const std::string spoofed = "X-Forwarded-For: 198.51.100." + std::to_string(i) + "\r\n";
    const HttpResult guess = ThroughNginx("127.0.0.2", "POST", "/api/v1/session", spoofed, wrong);
    EXPECT_EQ(guess.status, 401) << "guess " << i << ": " << guess.body;
  }
  const HttpResult locked = ThroughNginx("127.0.0.2", "POST", "/api/v1/session",
                                         "X-Forwarded-For: 198.51.100.99\r\n", wrong);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_FALSE(locked.Header("retry-after").empty());

  const HttpResult anna = ThroughNginx(
      "127.0.0.3", "POST", "/api/v1/session", "",
      json{{"organisation", "gemeente"}, {"name", "Anna"}, {"password", kKnownPassword}}.dump());
  EXPECT_EQ(anna.status, 200) << "Anna at another address: " << anna.body;

  EXPECT_GE(RequestsTo(a_.port, "/api/v1/session"), 1) << "node A got no sign-in";
  EXPECT_GE(RequestsTo(b_.port, "/api/v1/session"), 1) << "node B got no sign-in";

  const HttpResult log = ThroughNginx("127.0.0.3", "GET", "/api/v1/security-log",
                                      "Authorization: Bearer " + tokens_.at("auditor") + "\r\n");
  ASSERT_EQ(log.status, 200) << log.body;
  std::set<std::string> addresses;
  const json entries = json::parse(log.body)["items"];
  for (const json& entry : entries) {
    if (entry["client_address"].is_string()) addresses.insert(entry["client_address"]);
  }
  EXPECT_EQ(addresses, (std::set<std::string>{"127.0.0.2", "127.0.0.3"})) << log.body;
}

// Node B is killed: every request after it goes to node A, a save included, and nothing is
// lost; a body over navolg's limit is refused by nginx already.
TEST_F(BehindNginxTest, ADeadNodeIsPassedOver) {
  ASSERT_NO_FATAL_FAILURE(StartBehindNginx());
  const std::string adviseur = "Authorization: Bearer " + tokens_.at("adviseur") + "\r\n";
  const std::string create =
      json{{"workflow", "standaard-participatie"}, {"title", "Achter nginx"}}.dump();
  ASSERT_EQ(ThroughNginx("127.0.0.2", "POST", "/api/v1/processes", adviseur, create).status, 201);
  ASSERT_EQ(ThroughNginx("127.0.0.2", "POST", "/api/v1/processes", adviseur, create).status, 201);
  EXPECT_GE(RequestsTo(a_.port, "/api/v1/processes"), 1);
  EXPECT_GE(RequestsTo(b_.port, "/api/v1/processes"), 1);

  b_.Stop(SIGKILL);
  for (int i = 0; i < 10; ++i) {
    const HttpResult created =
        ThroughNginx("127.0.0.2", "POST", "/api/v1/processes", adviseur, create);
    EXPECT_EQ(created.status, 201) << "save " << i << " after node B died: " << created.body;
    EXPECT_EQ(ThroughNginx("127.0.0.3", "GET", "/api/v1/processes", adviseur).status, 200);
  }
  const HttpResult list = ThroughNginx("127.0.0.2", "GET", "/api/v1/processes", adviseur);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json::parse(list.body)["items"].size(), 12u) << list.body;

  const HttpResult big = ThroughNginx("127.0.0.2", "POST", "/api/v1/processes", adviseur,
                                      std::string(2 * 1024 * 1024, ' '));
  EXPECT_EQ(big.status, 413);
  ExpectEveryChainVerifies();
}

}  // namespace
}  // namespace navolg::testing
