// The HTTP API driven the way a client would: a real server on a loopback port, real SQLite.
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <regex>
#include <thread>
#include <vector>

#include "tests/http/server_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

// Runs a shell command; returns its exit code and puts its output in `output`.
int RunCommand(const std::string& command, std::string& output) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    output.append(buffer, n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class HttpTest : public ServerFixture {
 protected:
  // Sends a command that changes the process and expects `status`; returns the body.
  json Change(const std::string& method, const std::string& target, const std::string& role,
              const json& body, std::int64_t& version, int status = 200) {
    HttpResult result = Call(method, target, role, body.is_null() ? "" : body.dump(), version);
    EXPECT_EQ(result.status, status)
        << method << " " << target << " as " << role << ": " << result.body;
    EXPECT_EQ(result.Header("api-version"), http::kApiVersion);
    if (result.status == 200) {
      // A command appends one event, or more when it starts or meets a deadline.
      const std::int64_t next = std::stoll(result.Header("etag").substr(1));
      EXPECT_GT(next, version) << target;
      EXPECT_EQ(Json(result).value("version", 0), next);
      version = next;
    }
    return Json(result);
  }

  std::string CreateOverHttp(std::int64_t& version) {
    HttpResult created = Call("POST", "/api/v1/processes", "adviseur",
                              R"({"workflow":"standaard-participatie","title":"Marktplein"})");
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = Json(created).value("id", "");
    EXPECT_EQ(created.Header("location"), "/api/v1/processes/" + id);
    EXPECT_EQ(created.Header("etag"), "\"1\"");
    version = 1;
    return id;
  }
};

std::vector<std::string> Codes(const json& problem) {
  std::vector<std::string> codes;
  for (const json& missing : problem.value("missing", json::array())) {
    codes.push_back(missing.value("code", ""));
  }
  return codes;
}

TEST_F(HttpTest, WholeStandardProcessWithFourUsersAndAVerifiedExport) {
  std::int64_t v = 0;
  const std::string id = CreateOverHttp(v);
  const std::string base = "/api/v1/processes/" + id;

  Change("PUT", base + "/products/kadernotitie", "adviseur", CompleteKadernotitie(), v);
  // Not yet: the kadernotitie is not adopted and there is no capaciteit. Both are listed.
  json refused = Change("POST", base + "/transitions/naar_gesprek", "adviseur", nullptr, v, 409);
  EXPECT_EQ(Codes(refused), (std::vector<std::string>{"niet_vastgesteld", "product_ontbreekt"}))
      << refused.dump();
  EXPECT_FALSE(refused.value("detail", "").empty());
  Change("POST", base + "/adoptions", "bestuur", {{"product", "kadernotitie"}}, v);
  json capaciteit = CompleteCapaciteit();
  capaciteit["adviseur"] = user_ids_["adviseur"];  // who takes the adviseur's steps below
  Change("PUT", base + "/products/capaciteit", "manager", capaciteit, v);
  // The auditor reads but never changes.
  EXPECT_EQ(Call("GET", base, "auditor").status, 200);
  Change("PUT", base + "/products/capaciteit", "auditor", CompleteCapaciteit(), v, 403);
  Change("POST", base + "/transitions/naar_gesprek", "adviseur", nullptr, v);
  Change("PUT", base + "/products/gespreksplan", "adviseur", CompleteGespreksplan(), v);
  json view = Change("PUT", base + "/products/gespreksverslag/1", "adviseur",
                     CompleteGespreksverslag("2026-04-01"), v);
  Change("POST", base + "/transitions/naar_duiden", "adviseur", nullptr, v);
  Change("PUT", base + "/products/opbrengstendocument", "adviseur",
         {{"samenvatting", "Twee punten"},
          {"reacties",
           {{{"inbreng", "inbreng-1"}, {"besluit", "overgenomen"}},
            {{"inbreng", "inbreng-2"},
             {"besluit", "niet_overgenomen"},
             {"motivatie", "Parkeerbehoefte blijft"}}}},
          {"advies", "Meer groen"}},
         v);
  Change("POST", base + "/transitions/naar_terugkoppeling", "adviseur", nullptr, v);
  Change("PUT", base + "/products/terugkoppelingsbericht", "adviseur",
         {{"verzonden_op", "2026-04-10"},
          {"kanalen", {"brief"}},
          {"doelgroepen", {"bewoners", "ondernemers"}},
          {"bericht", "Dank"}},
         v);
  Change("POST", base + "/transitions/naar_besluit", "adviseur", nullptr, v);
  Change("PUT", base + "/products/besluit", "bestuur",
         {{"datum", "2026-04-15"}, {"orgaan", "gemeenteraad"}, {"samenvatting", "Vastgesteld"}}, v);
  Change("PUT", base + "/products/besluitterugkoppeling", "adviseur",
         {{"verzonden_op", "2026-04-16"}, {"kanalen", {"website"}}, {"bericht", "Besloten"}}, v);
  Change("POST", base + "/transitions/naar_evaluatie", "adviseur", nullptr, v);
  Change("PUT", base + "/products/evaluatie", "manager", {{"wat_ging_goed", "Veel"}}, v);
  view = Change("POST", base + "/transitions/afronden", "manager", nullptr, v);
  EXPECT_EQ(view.value("state", ""), "afgerond");

  HttpResult trail = Call("GET", base + "/events.jsonl", "auditor");
  ASSERT_EQ(trail.status, 200);
  const std::string file = (dir_ / "trail.jsonl").string();
  std::ofstream(file, std::ios::binary) << trail.body;
  std::string output;
  EXPECT_EQ(RunCommand(std::string(NAVOLG_BINARY) + " audit verify " + file, output), 0) << output;
  EXPECT_NE(output.find("intact: " + std::to_string(v) + " gebeurtenissen"), std::string::npos)
      << output;
}

TEST_F(HttpTest, OneOfThirtyTwoConcurrentCommandsWithTheSameIfMatchWins) {
  std::int64_t v = 0;
  const std::string id = CreateOverHttp(v);
  std::vector<std::future<int>> answers;
  for (int i = 0; i < 32; ++i) {
    answers.push_back(std::async(std::launch::async, [&, i] {
      json content = CompleteKadernotitie();
      content["onderwerp"] = "Versie " + std::to_string(i);
      return Call("PUT", "/api/v1/processes/" + id + "/products/kadernotitie", "adviseur",
                  content.dump(), 1)
          .status;
    }));
  }
  int ok = 0, stale = 0;
  for (auto& answer : answers) {
    const int status = answer.get();
    ok += status == 200;
    stale += status == 412;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(stale, 31);
  EXPECT_EQ(Json(Call("GET", "/api/v1/processes/" + id, "adviseur")).value("version", 0), 2);
}

TEST_F(HttpTest, ATricklingClientIsDroppedAndOthersAreServed) {
  HttpConnection slow(port_);
  ASSERT_TRUE(slow.connected());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto started = std::chrono::steady_clock::now();
  bool dropped = false;
  for (char c : request) {  // one byte every 300 ms: the read timeout is 1.5 s
    if (!slow.SendRaw(std::string(1, c))) {
      dropped = true;
      break;
    }
    if (slow.ClosedByServer(std::chrono::milliseconds(300))) {
      dropped = true;
      break;
    }
    EXPECT_EQ(Call("GET", "/healthz", "").status, 200);  // the server keeps serving
  }
  EXPECT_TRUE(dropped);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
  EXPECT_EQ(Call("GET", "/healthz", "").status, 200);
}

TEST_F(HttpTest, OversizedAndDeeplyNestedBodiesAreRefusedAndTheServerGoesOn) {
  std::int64_t v = 0;
  const std::string id = CreateOverHttp(v);
  const std::string target = "/api/v1/processes/" + id + "/products/kadernotitie";
  HttpResult big = Call("PUT", target, "adviseur",
                        json{{"onderwerp", std::string(2 * 1024 * 1024, 'x')}}.dump(), v);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.Header("content-type"), "application/problem+json");
  HttpResult deep =
      Call("PUT", target, "adviseur", std::string(100'000, '[') + std::string(100'000, ']'), v);
  EXPECT_EQ(deep.status, 400);
  EXPECT_EQ(Call("GET", "/healthz", "").status, 200);
  EXPECT_EQ(Json(Call("GET", "/api/v1/processes/" + id, "adviseur")).value("version", 0), 1);
}

// A browser's second load. The page names every script, style sheet and the icon by its
// content hash: the browser keeps those a year without asking (immutable), and should it ask
// anyway, its ETag gets 304 without a body. The page itself is asked for every time
// (no-cache) and, while unchanged, is 304 too. 304 has no Content-Length (it would have to be
// the 200's), and the kept-alive connection goes on.
TEST_F(HttpTest, ASecondLoadTransfersNoPageScriptOrStyleAgain) {
  HttpConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  const HttpResult page = connection.Request("GET", "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("cache-control"), "no-cache");
  std::vector<std::string> assets;
  const std::regex reference("(?:href|src)=\"(/assets/[^\"]+)\"");
  for (std::sregex_iterator it(page.body.begin(), page.body.end(), reference), end; it != end;
       ++it) {
    assets.push_back((*it)[1].str());
  }
  // The icon, three style sheets and app.js.
  ASSERT_EQ(assets.size(), 5u) << page.body;
  std::map<std::string, std::string> etags;
  for (const std::string& asset : assets) {
    const HttpResult first = connection.Request("GET", asset);
    ASSERT_EQ(first.status, 200) << asset;
    ASSERT_FALSE(first.body.empty()) << asset;
    EXPECT_EQ(first.Header("cache-control"), "public, max-age=31536000, immutable") << asset;
    EXPECT_EQ(first.Header("vary"), "Accept-Encoding") << asset;
    etags[asset] = first.Header("etag");
  }

  const HttpResult page_again =
      connection.Request("GET", "/", "If-None-Match: " + page.Header("etag") + "\r\n");
  EXPECT_EQ(page_again.status, 304);
  EXPECT_EQ(page_again.body, "");
  EXPECT_EQ(page_again.headers.count("content-length"), 0u);
  for (const auto& [asset, etag] : etags) {
    const HttpResult again = connection.Request("GET", asset, "If-None-Match: " + etag + "\r\n");
    EXPECT_EQ(again.status, 304) << asset;
    EXPECT_EQ(again.body, "") << asset;
    EXPECT_EQ(again.Header("etag"), etag) << asset;
  }
  const HttpResult next = connection.Request("GET", "/assets/app.css");
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(next.Header("cache-control"), "no-cache") << "its own name may change content";
}

// A client still sending a body the server has already refused is not reset: the server
// shuts down its side, then reads and discards the rest (RFC 9112 section 9.6), so a client
// over a real network reads the 413 instead of "connection reset".
TEST_F(HttpTest, ARefusedBodyIsDrainedNotReset) {
  HttpConnection connection(port_);
  ASSERT_TRUE(connection.connected());
  const std::size_t declared = 2 * 1024 * 1024;
  ASSERT_TRUE(
      connection.SendRaw("PUT /api/v1/processes/p/products/kadernotitie HTTP/1.1\r\n"
                         "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         "Content-Length: " +
                         std::to_string(declared) + "\r\n\r\n"));
  // The server answers 413 after the head; read it before sending more.
  HttpResult refused = connection.ReadResponse(std::chrono::seconds(10));
  EXPECT_EQ(refused.status, 413) << refused.body;
  // Now send the body the client had promised, in pieces, as a slow uploader would. Without
  // the drain, the server's close with unread data resets the connection and a send fails.
  const std::string piece(64 * 1024, 'x');
  bool all_sent = true;
  for (std::size_t sent = 0; sent < declared; sent += piece.size()) {
    if (!connection.SendRaw(piece)) {
      all_sent = false;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a client's pace, not a fact
  }
  EXPECT_TRUE(all_sent) << "the server reset a connection whose body it had refused";
  EXPECT_EQ(Call("GET", "/healthz", "").status, 200);
}

TEST_F(HttpTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  HttpConnection connection(port_);
  for (int i = 0; i < 5; ++i) {
    HttpResult result = connection.Request("GET", "/api/v1/me",
                                           "Authorization: Bearer " + tokens_["auditor"] + "\r\n");
    ASSERT_EQ(result.status, 200) << i;
    EXPECT_EQ(Json(result).value("role", ""), "auditor");
  }
}

TEST_F(HttpTest, HeadersOverTheLimitAre431) {
  HttpConnection connection(port_);
  HttpResult result =
      connection.Request("GET", "/healthz", "X-Padding: " + std::string(20 * 1024, 'a') + "\r\n");
  EXPECT_EQ(result.status, 431);
  EXPECT_EQ(result.Header("api-version"), http::kApiVersion);
  EXPECT_EQ(Call("GET", "/healthz", "").status, 200);
}

}  // namespace
}  // namespace navolg
