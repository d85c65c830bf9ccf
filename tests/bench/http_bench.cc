// HTTP load benchmark: durable commands per second through `navolg serve` with 64
// keep-alive connections on loopback, beside GET /healthz on the same server in the same run
// as the baseline; p50/p99 latency, the server's peak resident memory, and the CPU time the
// server and this load generator each used in each phase.
//
//   cmake --preset release && cmake --build --preset release --target navolg http_bench
//   build/release/tests/bench/http_bench [SECONDS_PER_PHASE] [--connections N] [--threads N]
//   (defaults: 5 seconds, 64 connections, 1 client thread)
//
// With a PostgreSQL cluster (tests/postgres/cluster.sh start DIR, then NAVOLG_TEST_POSTGRES=DIR)
// the same load runs, in the same run, on one node on SQLite, one node on PostgreSQL and two
// nodes sharing one PostgreSQL database (connection i on node i % 2); each PostgreSQL figure
// is also given as a ratio to SQLite's.
//
// The load generator is event-driven like wrk (tests/bench/load_client.h): a few threads,
// each with an epoll loop over its share of the connections, so it takes little CPU from the
// two cores it shares with the server. In the command phase each connection has its own
// process, walked to `gesprek` beforehand (blocking, not timed), and then repeats: save
// gespreksverslag 1, take naar_duiden, take terug_naar_gesprek (with a motivatie), each with
// If-Match. Durability is the default, full.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/bench/load_client.h"
#include "tests/bench/proc_stat.h"
#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"
#include "tests/postgres/test_postgres.h"

namespace {

using navolg::bench::Answer;
using navolg::bench::ConnectionScript;
using navolg::bench::LoadResult;
using navolg::bench::Outcome;
using navolg::testing::FormatRequest;
using navolg::testing::HttpConnection;
using navolg::testing::HttpResult;
using navolg::testing::Shell;
using nlohmann::json;
using Scripts = std::vector<std::unique_ptr<ConnectionScript>>;

struct Options {
  int seconds = 5;
  int connections = 64;
  int threads = 1;
};

bool ParsePositive(const char* text, int& value) {
  const std::string_view digits(text);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc() && end == digits.data() + digits.size() && value > 0;
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  bool seconds_seen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--connections" || arg == "--threads") && i + 1 < argc) {
      if (!ParsePositive(argv[++i], arg == "--threads" ? options.threads : options.connections)) {
        return std::nullopt;
      }
    } else if (!seconds_seen && ParsePositive(argv[i], options.seconds)) {
      seconds_seen = true;
    } else {
      return std::nullopt;
    }
  }
  return options;
}

std::string LastLine(const std::string& text) {
  std::string trimmed = text.substr(0, text.find_last_not_of('\n') + 1);
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

// The version in an ETag such as "12", or nullopt.
std::optional<std::int64_t> VersionIn(std::string_view etag) {
  if (etag.size() < 3 || etag.front() != '"' || etag.back() != '"') return std::nullopt;
  std::int64_t version = 0;
  const auto [end, error] =
      std::from_chars(etag.data() + 1, etag.data() + etag.size() - 1, version);
  if (error != std::errc() || end != etag.data() + etag.size() - 1) return std::nullopt;
  return version;
}

class HealthzScript : public ConnectionScript {
 public:
  std::string NextRequest() override { return FormatRequest("GET", "/healthz"); }
  Outcome OnAnswer(const Answer& answer) override {
    return answer.status == 200 ? Outcome::kSuccess : Outcome::kFailure;
  }
};

// One connection's process, walked to `gesprek`: save gespreksverslag 1, naar_duiden,
// terug_naar_gesprek, again and again, each with the If-Match of the previous answer. After a
// failure it reads the process (not counted) to learn its version and state, and goes on
// from there.
class CommandScript : public ConnectionScript {
 public:
  CommandScript(std::string base, std::int64_t version, const std::string& token)
      : base_(std::move(base)),
        version_(version),
        authorization_("Authorization: Bearer " + token + "\r\n") {}

  std::string NextRequest() override {
    if (catching_up_) return FormatRequest("GET", base_, authorization_);
    const std::string headers =
        authorization_ + "If-Match: \"" + std::to_string(version_) + "\"\r\n";
    switch (step_++ % 3) {
      case 0:
        return FormatRequest("PUT", base_ + "/products/gespreksverslag/1", headers,
                             json{{"datum", step_ % 2 ? "2026-03-01" : "2026-03-02"},
                                  {"vorm", "bijeenkomst"},
                                  {"aantal_deelnemers", step_},
                                  {"inbreng", {{{"id", "inbreng-1"}, {"tekst", "Meer groen"}}}}}
                                 .dump());
      case 1:
        return FormatRequest("POST", base_ + "/transitions/naar_duiden", headers);
      default:
        return FormatRequest("POST", base_ + "/transitions/terug_naar_gesprek", headers,
                             json{{"motivatie", "Nog een bijeenkomst"}}.dump());
    }
  }

  Outcome OnAnswer(const Answer& answer) override {
    const std::optional<std::int64_t> version = VersionIn(answer.etag);
    if (version) version_ = *version;
    if (answer.status == 200 && version && catching_up_) {
      catching_up_ = false;
      const json view = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
      const std::string state = view.is_object() ? view.value("state", "") : "";
      const int next_step = state == "duiden" ? 2 : 0;  // else gesprek: start with the save
      while (step_ % 3 != next_step) ++step_;
      return Outcome::kNotCounted;
    }
    if (answer.status == 200 && version) return Outcome::kSuccess;
    catching_up_ = true;
    return Outcome::kFailure;
  }

 private:
  std::string base_;
  std::int64_t version_;
  std::string authorization_;
  int step_ = 0;
  bool catching_up_ = false;
};

// Creates a process and walks it to `gesprek` over a blocking connection; nullopt when a step
// fails.
std::optional<std::unique_ptr<ConnectionScript>> WalkToGesprek(
    std::uint16_t port, int client, std::map<std::string, std::string>& tokens) {
  HttpConnection connection(port);
  auto auth = [&](const std::string& role, std::int64_t version) {
    std::string headers = "Authorization: Bearer " + tokens[role] + "\r\n";
    if (version > 0) headers += "If-Match: \"" + std::to_string(version) + "\"\r\n";
    return headers;
  };
  HttpResult created = connection.Request(
      "POST", "/api/v1/processes", auth("adviseur", 0),
      json{{"workflow", "standaard-participatie"}, {"title", "Last " + std::to_string(client)}}
          .dump());
  if (created.status != 201) return std::nullopt;
  const std::string base = "/api/v1/processes/" + json::parse(created.body).value("id", "");
  std::int64_t version = 1;
  bool ok = true;
  std::string failed;
  auto send = [&](const char* method, const std::string& path, const char* role, const json& body) {
    if (!ok) return;
    HttpResult r = connection.Request(method, base + path, auth(role, version),
                                      body.is_null() ? "" : body.dump());
    const std::optional<std::int64_t> next = VersionIn(r.Header("etag"));
    ok = r.status == 200 && next;
    if (ok) version = *next;
    if (!ok) failed = path + ": " + std::to_string(r.status) + " " + r.body;
  };
  send("PUT", "/products/kadernotitie", "adviseur",
       {{"onderwerp", "Marktplein"},
        {"doel", "Wensen ophalen"},
        {"vastgelegd", {"Budget"}},
        {"ruimte", {"Inrichting"}},
        {"besluitvormer", "gemeenteraad"},
        {"participatieniveau", "adviseren"},
        {"doelgroepen", {"bewoners"}},
        {"terugkoppeltermijn_dagen", 30}});
  send("POST", "/adoptions", "bestuur", {{"product", "kadernotitie"}});
  // The capaciteit names the adviseur by user id.
  const HttpResult me = connection.Request("GET", "/api/v1/me", auth("adviseur", 0));
  const json adviseur = json::parse(me.body, nullptr, false);
  if (me.status != 200 || !adviseur.is_object()) return std::nullopt;
  send("PUT", "/products/capaciteit", "manager", {{"adviseur", adviseur["id"]}, {"uren", 40}});
  send("POST", "/transitions/naar_gesprek", "adviseur", nullptr);
  send("PUT", "/products/gespreksplan", "adviseur",
       {{"vormen", {"bijeenkomst"}}, {"uitnodiging", "Kom"}, {"doelgroepen", {"bewoners"}}});
  if (!ok) {
    std::fprintf(stderr, "walk of process %d: %s %s\n", client, base.c_str(), failed.c_str());
    return std::nullopt;
  }
  return std::make_unique<CommandScript>(base, version, tokens["adviseur"]);
}

struct Phase {
  LoadResult load;
  double server_cpu = 0;  // seconds
  double client_cpu = 0;
  std::vector<double> server_threads_cpu;  // seconds per thread, busiest first
};

// `servers`: each node's pid; `ports`: where the connections go (connection i to
// ports[i % ports.size()]). CPU is the nodes' together; threads are listed for one node only.
Phase RunPhase(const std::vector<pid_t>& servers, const std::vector<std::uint16_t>& ports,
               const Scripts& scripts, const Options& options) {
  auto servers_cpu = [&] {
    double total = 0;
    for (pid_t server : servers) total += navolg::bench::ProcessCpuSeconds(server);
    return total;
  };
  const double server_before = servers_cpu();
  const auto threads_before = navolg::bench::ThreadCpuSeconds(servers[0]);
  const double client_before = navolg::bench::OwnCpuSeconds();
  Phase phase;
  phase.load = navolg::bench::RunLoad(ports, scripts, options.threads,
                                      std::chrono::seconds(options.seconds));
  phase.client_cpu = navolg::bench::OwnCpuSeconds() - client_before;
  phase.server_cpu = servers_cpu() - server_before;
  if (servers.size() == 1) {
    for (const auto& [tid, seconds] : navolg::bench::ThreadCpuSeconds(servers[0])) {
      const auto before = threads_before.find(tid);
      phase.server_threads_cpu.push_back(seconds -
                                         (before == threads_before.end() ? 0 : before->second));
    }
  }
  std::sort(phase.server_threads_cpu.begin(), phase.server_threads_cpu.end(), std::greater<>());
  return phase;
}

void PrintPhase(const char* name, const Phase& phase) {
  const LoadResult& load = phase.load;
  std::printf("  %-34s %10.0f /s   p50 %7.2f ms   p99 %7.2f ms   failures %zu\n", name,
              load.PerSecond(), load.PercentileMs(0.50), load.PercentileMs(0.99), load.failures);
  std::printf("    CPU: server %.2f s (%.2f cores), load generator %.2f s (%.2f cores)\n",
              phase.server_cpu, phase.server_cpu / load.seconds, phase.client_cpu,
              phase.client_cpu / load.seconds);
  // The kernel samples each thread's CPU time at its ticks, so threads that run in short
  // bursts (the handler pool, under /healthz) are under-counted; the process total is exact,
  // and what the threads do not add up to is shown as such.
  constexpr std::size_t kShown = 4;
  const std::vector<double>& threads = phase.server_threads_cpu;
  double attributed = 0, others = 0;
  std::size_t busy_others = 0;
  if (threads.empty()) return;
  std::printf("    server threads, busiest first:");
  for (std::size_t i = 0; i < threads.size(); ++i) {
    attributed += threads[i];
    if (i < kShown) {
      std::printf(" %.2f", threads[i]);
    } else {
      others += threads[i];
      busy_others += threads[i] > 0 ? 1 : 0;
    }
  }
  std::printf(" s; %zu others %.2f s (%zu busy); not attributed to a thread %.2f s\n",
              threads.size() - std::min(kShown, threads.size()), others, busy_others,
              phase.server_cpu - attributed);
}

// PostgreSQL's memory: the proportional set size (shared memory divided among the processes
// that map it) of every `postgres` process, in kB; 0 when none can be read.
long PostgresPssKb() {
  long total = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream comm(entry.path() / "comm");
    std::string name;
    if (!(comm >> name) || name != "postgres") continue;
    std::ifstream rollup(entry.path() / "smaps_rollup");
    for (std::string line; std::getline(rollup, line);) {
      if (line.rfind("Pss:", 0) == 0) total += std::atol(line.c_str() + 4);
    }
  }
  return total;
}

// One deployment under the load: `nodes` servers on the database at `db`.
struct Figures {
  Phase health;
  Phase commands;
  std::vector<long> rss_kb;  // each node's peak resident memory
  long postgres_pss_kb = 0;  // PostgreSQL's, when the database is there
};

std::optional<Figures> RunDeployment(const std::string& navolg, const std::string& db, int nodes,
                                     const Options& options) {
  const std::string quoted = "'" + db + "'";
  Shell(navolg + " org add --db " + quoted + " bench Bench");
  std::map<std::string, std::string> tokens;
  for (const char* role : {"adviseur", "manager", "bestuur"}) {
    tokens[role] = LastLine(
        Shell(navolg + " user add --db " + quoted + " --org bench --role " + role + " " + role));
  }
  // Every connection comes from 127.0.0.1: lift the per-address limit above what the
  // phases open at once (the walkers' connections and the load's).
  std::vector<navolg::testing::ServeChild> servers;
  std::vector<pid_t> pids;
  std::vector<std::uint16_t> ports;
  for (int n = 0; n < nodes; ++n) {
    servers.push_back(navolg::testing::StartServe(
        navolg, db,
        {"--max-connections-per-address", std::to_string(2 * options.connections + 16),
         "--max-connections", std::to_string(std::max(1024, 2 * options.connections + 16))}));
    if (servers.back().port == 0) {
      std::fprintf(stderr, "navolg serve did not start: %s\n", servers.back().banner.c_str());
      for (auto& server : servers) server.Stop(SIGTERM);
      return std::nullopt;
    }
    pids.push_back(servers.back().pid);
    ports.push_back(servers.back().port);
  }
  const auto connections = static_cast<std::size_t>(options.connections);
  Figures figures;
  Scripts healthz_scripts;
  for (std::size_t c = 0; c < connections; ++c) {
    healthz_scripts.push_back(std::make_unique<HealthzScript>());
  }
  figures.health = RunPhase(pids, ports, healthz_scripts, options);

  // The walks to `gesprek` are not timed; one thread each keeps the setup short. Connection c
  // walks on the node it will load.
  Scripts command_scripts(connections);
  std::atomic<bool> walked{true};
  {
    std::vector<std::thread> walkers;
    for (std::size_t c = 0; c < connections; ++c) {
      walkers.emplace_back([&, c] {
        auto script = WalkToGesprek(ports[c % ports.size()], static_cast<int>(c), tokens);
        if (script)
          command_scripts[c] = std::move(*script);
        else
          walked = false;
      });
    }
    for (auto& walker : walkers) walker.join();
  }
  if (!walked) {
    std::fprintf(stderr, "walking the processes to gesprek failed\n");
    for (auto& server : servers) server.Stop(SIGTERM);
    return std::nullopt;
  }
  figures.commands = RunPhase(pids, ports, command_scripts, options);
  for (pid_t pid : pids) figures.rss_kb.push_back(navolg::bench::PeakRssKb(pid));
  if (db.starts_with("postgresql://")) figures.postgres_pss_kb = PostgresPssKb();
  for (auto& server : servers) server.Stop(SIGTERM);
  return figures;
}

void PrintMemory(const Figures& figures) {
  std::printf("  peak resident memory:");
  for (std::size_t n = 0; n < figures.rss_kb.size(); ++n) {
    std::printf(" node %zu %.1f MB", n + 1, static_cast<double>(figures.rss_kb[n]) / 1024.0);
  }
  if (figures.postgres_pss_kb > 0) {
    std::printf("; PostgreSQL (all its processes, PSS) %.1f MB",
                static_cast<double>(figures.postgres_pss_kb) / 1024.0);
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> parsed = ParseOptions(argc, argv);
  if (!parsed) {
    std::fprintf(stderr, "usage: http_bench [SECONDS_PER_PHASE] [--connections N] [--threads N]\n");
    return 2;
  }
  const Options& options = *parsed;
  const std::string navolg = std::string(NAVOLG_BINARY);
  const auto dir = std::filesystem::temp_directory_path() / "navolg-http-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  ::setenv("NAVOLG_SIGNING_KEY", (dir / "signing.key").c_str(), 1);

  std::printf(
      "HTTP load, %d keep-alive connections from %d epoll client thread(s), %d s per phase, "
      "durability full\n",
      options.connections, options.threads, options.seconds);
  const std::optional<Figures> sqlite =
      RunDeployment(navolg, (dir / "navolg.db").string(), 1, options);
  if (!sqlite) return 1;
  std::printf("One node on SQLite\n");
  PrintPhase("GET /healthz (baseline)", sqlite->health);
  PrintPhase("commands (save, 2 transitions)", sqlite->commands);
  std::printf("  commands / healthz rate: %.2f   (goal: >= 5,000 commands/s, p99 < 50 ms)\n",
              sqlite->commands.load.PerSecond() / sqlite->health.load.PerSecond());
  PrintMemory(*sqlite);

  // With the run's PostgreSQL cluster (tests/postgres/cluster.sh start DIR; NAVOLG_TEST_POSTGRES
  // =DIR): the same load on one node and on two nodes sharing a database of their own each.
  if (std::getenv("NAVOLG_TEST_POSTGRES") != nullptr) {
    for (int nodes : {1, 2}) {
      const std::string schema = "http_bench_" + std::to_string(nodes);
      const auto address = navolg::test_postgres::FreshSchema(schema);
      if (!address) return 1;
      const std::optional<Figures> postgres = RunDeployment(navolg, *address, nodes, options);
      navolg::test_postgres::DropSchema(schema);
      if (!postgres) return 1;
      std::printf("%s on PostgreSQL\n", nodes == 1 ? "One node" : "Two nodes");
      PrintPhase("GET /healthz", postgres->health);
      PrintPhase("commands (save, 2 transitions)", postgres->commands);
      std::printf(
          "  commands / SQLite's commands in this run: %.2f   (goal for one node: >= 0.5)\n",
          postgres->commands.load.PerSecond() / sqlite->commands.load.PerSecond());
      PrintMemory(*postgres);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
