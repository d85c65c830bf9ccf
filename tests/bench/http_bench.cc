// HTTP load benchmark: durable commands per second through `navolg serve` with 64
// keep-alive connections on loopback, beside GET /healthz on the same server in the same run
// as the baseline; p50/p99 latency and the server's peak resident memory.
//
//   cmake --preset release && cmake --build --preset release --target navolg http_bench
//   build/release/tests/bench/http_bench [SECONDS_PER_PHASE]    (default 5)
//
// Each connection is one client thread with its own process, walking the standard workflow
// to `gesprek` and then repeating: save gespreksverslag 1, take naar_duiden, take
// terug_naar_gesprek (with a motivatie), each with If-Match. Durability is the default, full.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"

namespace {

using navolg::testing::HttpConnection;
using navolg::testing::HttpResult;
using navolg::testing::Shell;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kConnections = 64;

std::string LastLine(const std::string& text) {
  std::string trimmed = text.substr(0, text.find_last_not_of('\n') + 1);
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

struct PhaseResult {
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::size_t failures = 0;
};

// Runs `step` on every connection until `seconds` have passed; step returns false on failure.
template <typename Setup, typename Step>
PhaseResult RunPhase(std::uint16_t port, int seconds, Setup setup, Step step) {
  std::mutex mutex;
  std::vector<double> latencies;
  std::atomic<std::size_t> failures{0};
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  Clock::time_point end;
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      HttpConnection connection(port);
      auto state = setup(connection, c);
      ++ready;
      while (!go) std::this_thread::yield();
      std::vector<double> mine;
      while (Clock::now() < end) {
        const auto started = Clock::now();
        const bool ok = step(connection, state);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
        if (!ok) ++failures;
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  while (ready < kConnections) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto started = Clock::now();
  end = started + std::chrono::seconds(seconds);
  go = true;
  for (auto& thread : threads) thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  std::sort(latencies.begin(), latencies.end());
  PhaseResult result;
  result.per_second = static_cast<double>(latencies.size()) / elapsed;
  result.p50_ms = latencies.empty() ? 0 : latencies[latencies.size() / 2];
  result.p99_ms = latencies.empty() ? 0 : latencies[latencies.size() * 99 / 100];
  result.failures = failures;
  return result;
}

long PeakRssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 5;
  const std::string navolg = std::string(NAVOLG_BINARY);
  const auto dir = std::filesystem::temp_directory_path() / "navolg-http-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "navolg.db").string();
  Shell(navolg + " org add --db " + db + " bench Bench");
  std::map<std::string, std::string> tokens;
  for (const char* role : {"adviseur", "manager", "bestuur"}) {
    tokens[role] = LastLine(Shell(navolg + " user add --db " + db + " --org bench --role " +
                                  role + " " + role));
  }

  navolg::testing::ServeChild server = navolg::testing::StartServe(navolg, db);
  if (server.port == 0) {
    std::fprintf(stderr, "navolg serve did not start: %s\n", server.banner.c_str());
    return 1;
  }
  const std::uint16_t port = server.port;

  auto auth = [&](const std::string& role, std::int64_t version) {
    std::string headers = "Authorization: Bearer " + tokens[role] + "\r\n";
    if (version > 0) headers += "If-Match: \"" + std::to_string(version) + "\"\r\n";
    return headers;
  };

  const PhaseResult health = RunPhase(
      port, seconds, [](HttpConnection&, int) { return 0; },
      [](HttpConnection& connection, int&) {
        return connection.Request("GET", "/healthz").status == 200;
      });

  struct Walk {
    std::string base;
    std::int64_t version = 0;
    int step = 0;
  };
  auto setup = [&](HttpConnection& connection, int client) {
    Walk walk;
    HttpResult created = connection.Request(
        "POST", "/api/v1/processes", auth("adviseur", 0),
        json{{"workflow", "standaard-participatie"}, {"title", "Last " + std::to_string(client)}}
            .dump());
    walk.base = "/api/v1/processes/" + json::parse(created.body).value("id", "");
    walk.version = 1;
    auto send = [&](const char* method, const std::string& path, const char* role,
                    const json& body) {
      HttpResult r = connection.Request(method, walk.base + path, auth(role, walk.version),
                                        body.is_null() ? "" : body.dump());
      if (r.status == 200) walk.version = std::stoll(r.Header("etag").substr(1));
    };
    send("PUT", "/products/kadernotitie", "adviseur",
         {{"onderwerp", "Marktplein"}, {"doel", "Wensen ophalen"}, {"vastgelegd", {"Budget"}},
          {"ruimte", {"Inrichting"}}, {"besluitvormer", "gemeenteraad"},
          {"participatieniveau", "adviseren"}, {"doelgroepen", {"bewoners"}},
          {"terugkoppeltermijn_dagen", 30}});
    send("POST", "/adoptions", "bestuur", {{"product", "kadernotitie"}});
    send("PUT", "/products/capaciteit", "manager", {{"adviseur", "adviseur"}, {"uren", 40}});
    send("POST", "/transitions/naar_gesprek", "adviseur", nullptr);
    send("PUT", "/products/gespreksplan", "adviseur",
         {{"vormen", {"bijeenkomst"}}, {"uitnodiging", "Kom"}, {"doelgroepen", {"bewoners"}}});
    return walk;
  };
  const PhaseResult commands = RunPhase(port, seconds, setup, [&](HttpConnection& connection,
                                                                   Walk& walk) {
    HttpResult r;
    switch (walk.step++ % 3) {
      case 0:
        r = connection.Request(
            "PUT", walk.base + "/products/gespreksverslag/1", auth("adviseur", walk.version),
            json{{"datum", walk.step % 2 ? "2026-03-01" : "2026-03-02"},
                 {"vorm", "bijeenkomst"},
                 {"aantal_deelnemers", walk.step},
                 {"inbreng", {{{"id", "inbreng-1"}, {"tekst", "Meer groen"}}}}}
                .dump());
        break;
      case 1:
        r = connection.Request("POST", walk.base + "/transitions/naar_duiden",
                               auth("adviseur", walk.version), "");
        break;
      default:
        r = connection.Request("POST", walk.base + "/transitions/terug_naar_gesprek",
                               auth("adviseur", walk.version),
                               json{{"motivatie", "Nog een bijeenkomst"}}.dump());
    }
    if (r.status != 200) return false;
    walk.version = std::stoll(r.Header("etag").substr(1));
    return true;
  });
  const long rss_kb = PeakRssKb(server.pid);
  server.Stop(SIGTERM);

  std::printf("HTTP load, %d keep-alive connections, %d s per phase, durability full\n",
              kConnections, seconds);
  std::printf("  %-34s %10.0f /s   p50 %7.2f ms   p99 %7.2f ms   failures %zu\n",
              "GET /healthz (baseline)", health.per_second, health.p50_ms, health.p99_ms,
              health.failures);
  std::printf("  %-34s %10.0f /s   p50 %7.2f ms   p99 %7.2f ms   failures %zu\n",
              "commands (save, 2 transitions)", commands.per_second, commands.p50_ms,
              commands.p99_ms, commands.failures);
  std::printf("  commands / healthz rate: %.2f   (goal: >= 5,000 commands/s, p99 < 50 ms)\n",
              commands.per_second / health.per_second);
  std::printf("  server peak resident memory: %.1f MB   (goal: < 100 MB)\n", rss_kb / 1024.0);
  std::filesystem::remove_all(dir);
  return 0;
}
