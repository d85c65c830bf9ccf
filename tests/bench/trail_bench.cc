// Reading a long process (issue 13, item 6): a read of a process at its 10,000th version
// against one at its second, measured in the same run (the kept state and the current texts
// are loaded, nothing is replayed); the first page of a 10,000-event trail; and the
// zorgvuldigheidsrapport of that trail, which is computed from every event, each verified.
//
//   cmake --preset release && cmake --build --preset release --target trail_bench
//   build/release/tests/bench/trail_bench            (NAVOLG_BENCH_DIR sets the folder)
#include <benchmark/benchmark.h>

#include <filesystem>

#include "engine/report.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"
#include "tests/bench/bench_commands.h"
#include "tests/bench/bench_files.h"
#include "tests/bench/bench_main.h"

namespace navolg {
namespace {

using nlohmann::json;

constexpr std::int64_t kLongVersions = 10'000;

using bench::Kadernotitie;
using bench::Now;

// One database with a process at version 2 and one at version kLongVersions, made once.
struct Fixture {
  std::string path;
  std::string short_process;
  std::string long_process;
  std::unique_ptr<storage::ReadStore> reads;
  storage::OrganisationScope scope = storage::OrganisationScope::Of(1).value();

  Fixture() {
    path = bench::FreshDatabase("trail.db");
    auto committer =
        storage::GroupCommitter::Start({path, storage::Durability::kNormal}, {}).value();
    short_process = Make(*committer, 2);
    long_process = Make(*committer, kLongVersions);
    reads = storage::ReadStore::Open(path, committer->catalog()).value();
  }

  static std::string Make(storage::GroupCommitter& committer, std::int64_t versions) {
    const std::string id = storage::NewProcessId(Now()).value();
    for (std::int64_t v = 1; v <= versions; ++v) {
      storage::CommandRequest request;
      request.organisation_id = 1;
      request.process_id = id;
      request.workflow_key = "standaard-participatie";
      if (v == 1) {
        request.command = CreateProcess{id, "Marktplein"};
      } else {
        request.command = SaveProduct{"kadernotitie", 0, Kadernotitie(v)};
      }
      request.actor = Actor{"u-bench", "adviseur"};
      request.at = Now();
      if (!committer.Submit(std::move(request)).committed()) std::abort();
    }
    return id;
  }
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

// Arg: the process's version (2 or kLongVersions).
void BM_ReadProcess(benchmark::State& bench) {
  Fixture& f = Shared();
  const std::string& id = bench.range(0) == 2 ? f.short_process : f.long_process;
  for (auto _ : bench) {
    auto record = f.reads->GetProcess(f.scope, id);
    if (!record.ok() || record->state.version != bench.range(0)) std::abort();
    benchmark::DoNotOptimize(record);
  }
}
BENCHMARK(BM_ReadProcess)->Arg(2)->Arg(kLongVersions)->Unit(benchmark::kMicrosecond);

// The first page of the long trail, as the web interface asks for it (200 events).
void BM_EventsFirstPage(benchmark::State& bench) {
  Fixture& f = Shared();
  for (auto _ : bench) {
    auto page = f.reads->Events(f.scope, f.long_process, 0, 200);
    if (!page.ok() || page->events.size() != 200) std::abort();
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_EventsFirstPage)->Unit(benchmark::kMillisecond);

// The whole long trail read, every event verified, and the report computed from it.
void BM_ReportOfLongTrail(benchmark::State& bench) {
  Fixture& f = Shared();
  for (auto _ : bench) {
    auto trail = f.reads->GetTrail(f.scope, f.long_process);
    if (!trail.ok() || trail->damage || trail->events.size() != kLongVersions) std::abort();
    auto report = BuildCarefulnessReport(*trail->definition, trail->events, Now());
    if (!report.ok()) std::abort();
    benchmark::DoNotOptimize(report);
  }
}
BENCHMARK(BM_ReportOfLongTrail)->Unit(benchmark::kMillisecond);

const bool kRatios = [] {
  bench::AddRatio("read at version 10,000 / read at version 2", "BM_ReadProcess/10000",
                  "BM_ReadProcess/2", "<= 2");
  return true;
}();

}  // namespace
}  // namespace navolg
