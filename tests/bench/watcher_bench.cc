// The deadline watcher's cost per run over one organisation with 100,000 standard processes
// and 1,000,000 events (each process walked to duiden through the group committer, with two
// gespreksverslagen: ten events, an open terugkoppeling deadline). Due dates are spread over 300
// days after the build day, about 333 a day. The organisation has a webhook, so each run also
// writes the due-soon messages (deadlines due within 7 days).
//
//   cmake --preset release && cmake --build --preset release --target watcher_bench
//   NAVOLG_BENCH_DIR=/some/disk build/release/tests/bench/watcher_bench
//
// The database is built once (minutes) and kept as watcher-pristine.db in NAVOLG_BENCH_DIR;
// each benchmark works on a copy.
//   BM_WatcherQuietRun: a run with nothing new to mark (every overdue deadline already has its
//     deadline.missed, every due-soon message written); webhook:0 without the webhook.
//   BM_WatcherMarksOneDay: each run is one day later than the previous one and marks the
//     deadlines that became overdue that day (about 333: one RecordMissedDeadlines each, with
//     its deadline.missed message) and writes the due-soon messages of the day that came into
//     the 7-day window.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "storage/deadline_watcher.h"
#include "storage/group_committer.h"
#include "storage/outbox.h"
#include "storage/sql/sqlite.h"
#include "tests/bench/bench_files.h"
#include "tests/bench/bench_main.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::int64_t kProcesses = 100'000;
constexpr std::int64_t kOrganisation = 1;
const Time kBuiltAt = *ParseTime("2026-11-29T09:00:00.000Z");  // the day the processes started

Time DayAfterBuild(std::int64_t days) {
  // 09:00 Amsterdam-ish on day build + days: well inside the day in both UTC offsets.
  return kBuiltAt + std::chrono::hours(24 * days);
}

// Process i: gespreksverslag dated (i % 20) days before the build day, term chosen so that the
// deadline is due 1 + (i % 300) days after the build day.
std::vector<std::pair<Command, Actor>> Walk(const std::string& id, std::int64_t i) {
  const Date built = AmsterdamDate(kBuiltAt);
  const std::int64_t ago = i % 20;
  const std::int64_t term = 1 + (i % 300) + ago;
  const Actor adviseur{"u-adviseur", "adviseur"}, bestuur{"u-bestuur", "bestuur"},
      manager{"u-manager", "manager"};
  return {
      {CreateProcess{id, "Proces " + std::to_string(i)}, adviseur},
      {SaveProduct{"kadernotitie",
                   0,
                   {{"onderwerp", "Herinrichting " + std::to_string(i)},
                    {"doel", "Wensen ophalen"},
                    {"vastgelegd", {"Budget"}},
                    {"ruimte", {"Inrichting", "Groen"}},
                    {"besluitvormer", "gemeenteraad"},
                    {"participatieniveau", "adviseren"},
                    {"doelgroepen", {"bewoners"}},
                    {"terugkoppeltermijn_dagen", term}}},
       adviseur},
      {AdoptProduct{"kadernotitie", 0, ""}, bestuur},
      {SaveProduct{"capaciteit", 0, {{"adviseur", "u-adviseur"}, {"uren", 40}}}, manager},
      {TakeTransition{"naar_gesprek", std::nullopt}, adviseur},
      {SaveProduct{
           "gespreksplan",
           0,
           {{"vormen", {"bijeenkomst"}}, {"uitnodiging", "Kom"}, {"doelgroepen", {"bewoners"}}}},
       adviseur},
      {SaveProduct{"gespreksverslag",
                   1,
                   {{"datum", FormatDate(AddDays(built, -ago))},
                    {"vorm", "bijeenkomst"},
                    {"aantal_deelnemers", 25},
                    {"inbreng", {{{"tekst", "Meer groen"}}, {{"tekst", "Minder auto's"}}}}}},
       adviseur},
      {SaveProduct{"gespreksverslag",
                   2,
                   {{"datum", FormatDate(AddDays(built, -ago))},
                    {"vorm", "straatgesprek"},
                    {"aantal_deelnemers", 12},
                    {"inbreng", {{{"tekst", "Een speelplek"}}}}}},
       adviseur},
      {TakeTransition{"naar_duiden", std::nullopt}, adviseur},
  };
}

// Builds (once) the database of 100,000 processes and 1,000,000 events; returns its path.
std::string PristineDatabase() {
  fs::create_directories(bench::BenchDir());
  const std::string path = (bench::BenchDir() / "watcher-pristine.db").string();
  if (fs::exists(path)) {
    storage::sql::SqliteDatabase check(path, SQLite::OPEN_READONLY);
    storage::sql::Statement count(check, "SELECT count(*) FROM events");
    if (count.executeStep() && count.getColumn(0).getInt64() == kProcesses * 10) return path;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  {
    auto db = storage::OpenConnection({path});
    auto definition =
        ParseDefinitionText(bench::ReadSourceFile("workflows/standaard-participatie.json"));
    (void)storage::RegisterWorkflow(**db, *definition.definition, kBuiltAt);
    (void)storage::AddOrganisation(**db, "bench", "Bench", kBuiltAt);
    (void)storage::SetWebhookUrl(**db, "bench", std::string("http://127.0.0.1:9/hook"));
  }
  const auto started = std::chrono::steady_clock::now();
  auto committer = storage::GroupCommitter::Start({path, storage::Durability::kNormal}, {});
  std::atomic<std::int64_t> next{0};
  std::vector<std::thread> submitters;
  for (int t = 0; t < 64; ++t) {
    submitters.emplace_back([&] {
      for (std::int64_t i; (i = next.fetch_add(1)) < kProcesses;) {
        char id[32];
        std::snprintf(id, sizeof id, "p-%012lld", static_cast<long long>(i));
        for (auto& [command, actor] : Walk(id, i)) {
          storage::CommandRequest request;
          request.organisation_id = kOrganisation;
          request.process_id = id;
          request.workflow_key = "standaard-participatie";
          request.command = std::move(command);
          request.actor = actor;
          request.at = kBuiltAt;
          if (!(*committer)->Submit(std::move(request)).committed()) std::abort();
        }
      }
    });
  }
  for (auto& thread : submitters) thread.join();
  (*committer)->Stop();
  storage::sql::SqliteDatabase db(path, SQLite::OPEN_READWRITE);
  db.exec("ANALYZE");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  std::fprintf(stderr, "built %s: %lld processes in %.0f s\n", path.c_str(),
               static_cast<long long>(kProcesses),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return path;
}

// A fresh copy of the pristine database for one benchmark.
std::string WorkingCopy(const std::string& name) {
  const std::string pristine = PristineDatabase();
  const std::string path = (bench::BenchDir() / name).string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  fs::copy_file(pristine, path);
  return path;
}

struct Watching {
  std::unique_ptr<storage::GroupCommitter> committer;
  std::unique_ptr<storage::DeadlineWatcher> watcher;
};

Watching StartWatching(const std::string& path,
                       storage::Durability durability = storage::Durability::kFull) {
  Watching watching;
  auto committer = storage::GroupCommitter::Start({path, durability}, {});
  if (!committer.ok()) std::abort();
  watching.committer = std::move(*committer);
  auto watcher = storage::DeadlineWatcher::Open(path, *watching.committer, {});
  if (!watcher.ok()) std::abort();
  watching.watcher = std::move(*watcher);
  return watching;
}

// Arg: 1 with the organisation's webhook (due-soon messages checked), 0 without.
void BM_WatcherQuietRun(benchmark::State& bench) {
  const std::string path = WorkingCopy("watcher-quiet.db");
  if (bench.range(0) == 0) {
    auto db = storage::OpenConnection({path});
    (void)storage::SetWebhookUrl(**db, "bench", std::nullopt);
  }
  Watching watching = StartWatching(path);
  // Catch up to day 30: about 10,000 deadlines overdue and marked.
  const Time now = DayAfterBuild(30);
  const storage::WatchRun catch_up = watching.watcher->RunOnce(now);
  if (!catch_up.status.ok()) std::abort();
  std::int64_t missed = 0;
  for (auto _ : bench) {
    const storage::WatchRun run = watching.watcher->RunOnce(now);
    missed += run.missed + run.due_soon;
  }
  if (missed != 0) std::abort();
  bench.counters["caught_up_missed"] = static_cast<double>(catch_up.missed);
  bench.counters["caught_up_due_soon"] = static_cast<double>(catch_up.due_soon);
}
BENCHMARK(BM_WatcherQuietRun)->Arg(1)->Arg(0)->ArgName("webhook")->Unit(benchmark::kMillisecond);

// Arg: durability, 0 full (the default), 1 normal.
void BM_WatcherMarksOneDay(benchmark::State& bench) {
  const std::string path = WorkingCopy("watcher-day.db");
  Watching watching = StartWatching(
      path, bench.range(0) == 0 ? storage::Durability::kFull : storage::Durability::kNormal);
  std::int64_t day = 30;
  if (!watching.watcher->RunOnce(DayAfterBuild(day)).status.ok()) std::abort();
  std::int64_t missed = 0, due_soon = 0;
  for (auto _ : bench) {
    const storage::WatchRun run = watching.watcher->RunOnce(DayAfterBuild(++day));
    if (!run.status.ok()) std::abort();
    missed += run.missed;
    due_soon += run.due_soon;
  }
  const auto runs = static_cast<double>(bench.iterations());
  const auto stats = watching.committer->stats();
  bench.counters["cmds_per_txn"] =
      static_cast<double>(stats.commands) /
      static_cast<double>(std::max<std::uint64_t>(stats.transactions, 1));
  bench.counters["missed_per_run"] = static_cast<double>(missed) / runs;
  bench.counters["due_soon_per_run"] = static_cast<double>(due_soon) / runs;
  bench.counters["items_per_iteration"] = static_cast<double>(missed) / runs;
}
BENCHMARK(BM_WatcherMarksOneDay)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("normal")
    ->Iterations(30)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace navolg
