// The oversight views over one large organisation: 100,000 standard processes with about
// 1,000,000 events, written through the real write path (events, projections, findings).
// Measures the answers of App::Handle (authentication, query, aggregation, JSON) for
// GET /api/v1/borgingshuis and GET /api/v1/processes/{id}/report, against GET /api/v1/me
// (authentication and a trivial answer) in the same run.
//
// The database is built once (a few minutes) and kept in $NAVOLG_BENCH_DIR (default
// $TMPDIR/navolg-bench) as oversight.db; delete it to rebuild.
#include <benchmark/benchmark.h>

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

constexpr std::int64_t kProcesses = 100'000;

std::string ProcessId(std::int64_t i) {
  char id[32];
  std::snprintf(id, sizeof id, "p-%012llx00000000", static_cast<unsigned long long>(i));
  return id;
}

// The commands of process i: how far it goes depends on i, so the organisation holds
// every stage, and a share of them slips (late verslagen, a doelgroep missed, no capacity).
std::vector<WalkStep> StepsOf(std::int64_t i) {
  std::vector<WalkStep> steps = {
      {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
       "2026-03-02T09:00:00.000Z"},
      {AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"},
  };
  if (i % 10 == 0) return steps;  // 10 %: kaders, no capacity yet
  steps.push_back(
      {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), "2026-03-03T10:00:00.000Z"});
  if (i % 10 < 4) return steps;  // 30 %: kaders, ready to go
  for (WalkStep& step : StandardWalkFromGesprek()) {
    if (auto* save = std::get_if<SaveProduct>(&step.command);
        save && save->product == "gespreksverslag") {
      if (i % 3 == 0) save->content["doelgroepen"] = {"bewoners", "ondernemers"};
      if (i % 7 == 0) step.at = "2026-03-18T09:00:00.000Z";  // more than a week after the gesprek
    }
    steps.push_back(std::move(step));
    if (i % 10 < 6 && std::holds_alternative<TakeTransition>(steps.back().command) &&
        std::get<TakeTransition>(steps.back().command).transition == "naar_duiden") {
      return steps;  // 20 %: duiden, the terugkoppeling term running or overdue
    }
  }
  return steps;  // 40 %: afgerond
}

// Builds oversight.db unless a complete one is there. Returns its path.
std::string EnsureDatabase() {
  std::filesystem::create_directories(bench::BenchDir());
  const std::string path = (bench::BenchDir() / "oversight.db").string();
  if (std::filesystem::exists(path)) {
    storage::sql::SqliteDatabase check(path, SQLite::OPEN_READONLY);
    storage::sql::Statement count(check, "SELECT count(*) FROM process_findings");
    if (count.executeStep() && count.getColumn(0).getInt64() == kProcesses) return path;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  std::cerr << "building " << path << " (" << kProcesses << " processes)...\n";
  auto db = storage::OpenForWriting({path, storage::Durability::kNormal});
  const Time setup = At("2026-01-01T00:00:00.000Z");
  storage::Connection connection(**db);
  (void)storage::RegisterWorkflow(connection, Standard(), setup);
  (void)storage::AddOrganisation(connection, "groot", "Gemeente Groot", setup);
  (void)storage::AddUser(connection, "groot", "auditor", "Auditor", "navolg_bench_auditor", setup);
  auto catalog = storage::WorkflowCatalog::Load(**db);
  storage::WriterCache cache;
  storage::WritePath write_path(**db, *catalog, cache);
  std::int64_t events = 0;
  for (std::int64_t i = 0; i < kProcesses; ++i) {
    if (i % 5'000 == 0) (*db)->exec("BEGIN");
    std::vector<WalkStep> steps = {{CreateProcess{ProcessId(i), "Proces " + std::to_string(i)},
                                    Adviseur(), "2026-03-01T09:00:00.000Z"}};
    for (WalkStep& step : StepsOf(i)) steps.push_back(std::move(step));
    for (WalkStep& step : steps) {
      storage::CommandRequest request;
      request.organisation_id = 1;
      request.process_id = ProcessId(i);
      request.workflow_key = Standard().key;
      request.command = std::move(step.command);
      request.actor = step.actor;
      request.at = At(step.at);
      auto result = write_path.Apply(request);
      if (!result.committed()) {
        std::cerr << "process " << i << " refused: "
                  << (result.refusal ? result.refusal->detail : result.status.message()) << "\n";
        std::exit(1);
      }
      events += static_cast<std::int64_t>(result.events.size());
    }
    if (i % 5'000 == 4'999) (*db)->exec("COMMIT");
  }
  (*db)->exec("ANALYZE");
  std::cerr << "built: " << events << " events\n";
  return path;
}

bench::BenchApp& Shared() {
  static bench::BenchApp app(EnsureDatabase(), At("2026-11-29T12:00:00.000Z"));
  return app;
}

void Measure(benchmark::State& bench, const std::string& target) {
  bench::BenchApp& oversight = Shared();
  std::size_t bytes = 0;
  for (auto _ : bench) {
    http::Response response = oversight.Get(target, "navolg_bench_auditor");
    if (response.status != 200) {
      bench.SkipWithError(
          ("status " + std::to_string(response.status) + ": " + response.body).c_str());
      return;
    }
    bytes = response.body.size();
  }
  bench.counters["bytes"] = static_cast<double>(bytes);
}

void BM_Me(benchmark::State& bench) { Measure(bench, "/api/v1/me"); }
void BM_Borgingshuis(benchmark::State& bench) { Measure(bench, "/api/v1/borgingshuis"); }
// An afgerond process: 21 events.
void BM_Report(benchmark::State& bench) {
  Measure(bench, "/api/v1/processes/" + ProcessId(9) + "/report");
}
BENCHMARK(BM_Me)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Borgingshuis)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Report)->Unit(benchmark::kMillisecond)->UseRealTime();

const bool kRatios = [] {
  bench::AddRatio("Borgingshuis over 100,000 processes / GET /me", "BM_Borgingshuis/real_time",
                  "BM_Me/real_time", "Borgingshuis < 500 ms");
  bench::AddRatio("report of one process / GET /me", "BM_Report/real_time", "BM_Me/real_time",
                  "report < 20 ms");
  return true;
}();

}  // namespace
}  // namespace navolg
