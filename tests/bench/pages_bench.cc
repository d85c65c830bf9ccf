// The server side of each page of the web interface over an organisation of 100,000
// processes: the requests a page makes (as web/*.js makes them) and their time through
// App::Handle (authentication, queries, JSON), p50 and p95 over the iterations. The same
// pages over an organisation of 1,000 processes in the same database are the baseline the
// ratios are read against (the machine is shared and noisy).
//
// Both organisations are built once through the real write path (engine, events, every
// projection), 5,000 processes per transaction, and kept in $NAVOLG_BENCH_DIR (default
// $TMPDIR/navolg-bench) as pages.db; delete it to rebuild.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "api/http/app.h"
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/sql/sqlite.h"
#include "storage/write_path_sql.h"
#include "tests/bench/bench_app.h"
#include "tests/bench/bench_files.h"
#include "tests/bench/bench_main.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

constexpr std::int64_t kLarge = 100'000;
constexpr std::int64_t kSmall = 1'000;
constexpr int kAdvisers = 20;
constexpr const char* kToday = "2026-11-29T12:00:00.000Z";

struct Organisation {
  const char* slug;
  std::int64_t processes;
  std::int64_t id;  // organisations.id
};
Organisation kOrganisations[] = {{"groot", kLarge, 1}, {"klein", kSmall, 2}};

std::string ProcessId(std::int64_t organisation, std::int64_t i) {
  char id[32];
  std::snprintf(id, sizeof id, "p-%02llx%010llx00000000",
                static_cast<unsigned long long>(organisation), static_cast<unsigned long long>(i));
  return id;
}

std::string Token(const char* slug, const std::string& role) {
  return std::string("navolg_bench_") + slug + "_" + role;
}

// The commands of process i, each moved `shift` days later (gesprek dates too, so the
// terugkoppeling terms fall due over the year: most overdue on "today", some not yet).
// 10 %: a kadernotitie that waits for bestuur; 30 %: kaders, assigned; 20 %: duiden with a
// running terugkoppeling; 40 %: afgerond.
std::vector<WalkStep> StepsOf(std::int64_t i, const std::string& adviser) {
  json capaciteit = CompleteCapaciteit();
  capaciteit["adviseur"] = adviser;
  std::vector<WalkStep> steps = {{SaveProduct{"kadernotitie", 0, CompleteKadernotitie()},
                                  Adviseur(), "2026-03-02T09:00:00.000Z"}};
  if (i % 10 == 0) return steps;
  steps.push_back({AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"});
  steps.push_back(
      {SaveProduct{"capaciteit", 0, capaciteit}, Manager(), "2026-03-03T10:00:00.000Z"});
  if (i % 10 < 4) return steps;
  for (WalkStep& step : StandardWalkFromGesprek()) {
    steps.push_back(std::move(step));
    if (i % 10 < 6 && std::holds_alternative<TakeTransition>(steps.back().command) &&
        std::get<TakeTransition>(steps.back().command).transition == "naar_duiden") {
      break;
    }
  }
  return steps;
}

std::int64_t ShiftOf(std::int64_t i) { return (i * 7) % 270; }  // days

void Shift(const WalkStep& step, std::int64_t days, storage::CommandRequest& request) {
  request.at = At(step.at) + std::chrono::days(days);
  if (auto* save = std::get_if<SaveProduct>(&request.command)) {
    for (const char* field : {"datum"}) {
      if (save->content.contains(field)) {
        const Date date = ParseDate(save->content[field].get<std::string>()).value();
        save->content[field] = FormatDate(AddDays(date, days));
      }
    }
  }
}

// Builds pages.db unless a complete one is there. Returns its path.
std::string EnsureDatabase() {
  std::filesystem::create_directories(bench::BenchDir());
  const std::string path = (bench::BenchDir() / "pages.db").string();
  if (std::filesystem::exists(path)) {
    storage::sql::SqliteDatabase check(path, SQLite::OPEN_READONLY);
    storage::sql::Statement count(check, "SELECT count(*) FROM processes");
    if (count.executeStep() && count.getColumn(0).getInt64() == kLarge + kSmall) return path;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  std::cerr << "building " << path << "...\n";
  auto db = storage::OpenForWriting({path, storage::Durability::kNormal});
  const Time setup = At("2026-01-01T00:00:00.000Z");
  storage::Connection connection(**db);
  (void)storage::RegisterWorkflow(connection, Standard(), setup);
  auto catalog = storage::WorkflowCatalog::Load(**db);
  storage::WriterCache cache;
  storage::WritePath write_path(**db, *catalog, cache);
  std::int64_t events = 0;
  for (const Organisation& organisation : kOrganisations) {
    (void)storage::AddOrganisation(connection, organisation.slug, organisation.slug, setup);
    for (const char* role : {"auditor", "manager", "bestuur"}) {
      (void)storage::AddUser(connection, organisation.slug, role, role,
                             Token(organisation.slug, role), setup);
    }
    std::vector<std::string> advisers;
    for (int a = 0; a < kAdvisers; ++a) {
      auto user = storage::AddUser(connection, organisation.slug, "adviseur",
                                   "Adviseur " + std::to_string(a),
                                   Token(organisation.slug, "adviseur" + std::to_string(a)), setup);
      advisers.push_back(user->id);
    }
    for (std::int64_t i = 0; i < organisation.processes; ++i) {
      if (i % 5'000 == 0) (*db)->exec("BEGIN");
      const std::string id = ProcessId(organisation.id, i);
      std::vector<WalkStep> steps = {{CreateProcess{id, "Proces " + std::to_string(i)}, Adviseur(),
                                      "2026-03-01T09:00:00.000Z"}};
      for (WalkStep& step : StepsOf(i, advisers[i % kAdvisers])) steps.push_back(std::move(step));
      for (WalkStep& step : steps) {
        storage::CommandRequest request;
        request.organisation_id = organisation.id;
        request.process_id = id;
        request.workflow_key = Standard().key;
        request.command = std::move(step.command);
        request.actor = step.actor;
        Shift(step, ShiftOf(i), request);
        auto result = write_path.Apply(request);
        if (!result.committed()) {
          std::cerr << "process " << i << " refused: "
                    << (result.refusal ? result.refusal->detail : result.status.message()) << "\n";
          std::exit(1);
        }
        events += static_cast<std::int64_t>(result.events.size());
      }
      if (i % 5'000 == 4'999 || i + 1 == organisation.processes) (*db)->exec("COMMIT");
    }
  }
  std::cerr << "built: " << events << " events\n";
  return path;
}

bench::BenchApp& Shared() {
  static bench::BenchApp app(EnsureDatabase(), At(kToday));
  return app;
}

// One page: its requests, in the order the web makes them, as one role.
struct Page {
  const char* name;
  const char* role;
  std::vector<std::string> targets;  // "{id}": a process in duiden of the organisation
};

const std::vector<Page>& AllPages() {
  static const std::vector<Page> pages = {
      // web/process_list.js: the list, what waits for adoption, the workflows (the definition
      // is fetched once per page load; counted here, as on a first visit).
      {"process_list",
       "bestuur",
       {"/api/v1/processes?limit=50", "/api/v1/adoptions?status=open", "/api/v1/workflows",
        "/api/v1/workflows/standaard-participatie"}},
      {"process_list_overdue",
       "manager",
       {"/api/v1/processes?limit=50&overdue=true", "/api/v1/adoptions?status=open",
        "/api/v1/workflows", "/api/v1/workflows/standaard-participatie"}},
      {"process_list_mine_in_phase",
       "adviseur7",
       {"/api/v1/processes?limit=50&state=duiden&mine=true", "/api/v1/adoptions?status=open",
        "/api/v1/workflows", "/api/v1/workflows/standaard-participatie"}},
      {"process_list_search",
       "manager",
       {"/api/v1/processes?limit=50&q=proces%2099", "/api/v1/adoptions?status=open",
        "/api/v1/workflows", "/api/v1/workflows/standaard-participatie"}},
      // web/process.js: the view, the definition, the first page of the trail.
      {"process_page",
       "manager",
       {"/api/v1/processes/{id}", "/api/v1/workflows/standaard-participatie",
        "/api/v1/processes/{id}/events?after=0&limit=200"}},
      // web/overview.js.
      {"termijnen", "manager", {"/api/v1/deadlines?status=overdue"}},
      {"borgingshuis", "auditor", {"/api/v1/borgingshuis"}},
      {"bestuur_waiting", "bestuur", {"/api/v1/adoptions?status=open"}},
      // web/overview.js, an indicator followed to its processes: those that lack it (60 %).
      {"borgingshuis_indicator",
       "auditor",
       {"/api/v1/borgingshuis/indicators/standaard-participatie/doelgroepen_bereikt/"
        "processes?status=niet_voldaan&limit=50"}},
  };
  return pages;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(at, values.size() - 1)];
}

// Args: page index, organisation index.
void BM_Page(benchmark::State& bench) {
  const Page& page = AllPages()[static_cast<std::size_t>(bench.range(0))];
  const Organisation& organisation = kOrganisations[bench.range(1)];
  bench::BenchApp& pages = Shared();
  const std::string token = Token(organisation.slug, page.role);
  const std::string process = ProcessId(organisation.id, 4);  // duiden
  std::vector<double> page_ms;
  std::size_t bytes = 0;
  for (auto _ : bench) {
    const auto started = std::chrono::steady_clock::now();
    bytes = 0;
    for (std::string target : page.targets) {
      if (auto at = target.find("{id}"); at != std::string::npos) target.replace(at, 4, process);
      http::Response response = pages.Get(target, token);
      if (response.status != 200) {
        bench.SkipWithError(
            (target + ": " + std::to_string(response.status) + " " + response.body.substr(0, 200))
                .c_str());
        return;
      }
      bytes += response.body.size();
    }
    page_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
  }
  bench.SetLabel(std::string(page.name) + " @" + std::to_string(organisation.processes));
  bench.counters["requests"] = static_cast<double>(page.targets.size());
  bench.counters["bytes"] = static_cast<double>(bytes);
  bench.counters["p50_ms"] = Percentile(page_ms, 0.5);
  bench.counters["p95_ms"] = Percentile(page_ms, 0.95);
}

void PageArguments(benchmark::internal::Benchmark* bench) {
  for (std::int64_t page = 0; page < static_cast<std::int64_t>(AllPages().size()); ++page) {
    bench->Args({page, 0});
    bench->Args({page, 1});
  }
}
BENCHMARK(BM_Page)->Apply(PageArguments)->Unit(benchmark::kMillisecond)->UseRealTime();

const bool kRatios = [] {
  for (std::size_t page = 0; page < AllPages().size(); ++page) {
    const std::string at = "BM_Page/" + std::to_string(page) + "/";
    bench::AddRatio(std::string(AllPages()[page].name) + ": 100,000 / 1,000 processes",
                    at + "0/real_time", at + "1/real_time", "p95 < 100 ms at 100,000");
  }
  return true;
}();

}  // namespace
}  // namespace navolg
