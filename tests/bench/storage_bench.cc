// Storage benchmarks: durable commands per second through the group committer, against a
// raw SQLite baseline measured in the same run; the overdue query over a large database;
// database bytes per event.
//
//   cmake --preset release && cmake --build --preset release --target storage_bench
//   build/release/tests/bench/storage_bench            (NAVOLG_BENCH_DIR sets the folder)
//
// Each command is a SaveProduct of a kadernotitie (one product.saved event, its product
// version and the process row). The raw baseline inserts rows of the same sizes into the same
// tables with plain prepared statements: one transaction per command, and batched.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

#include "engine/audit_chain.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"
#include "storage/sql/sqlite.h"
#include "tests/bench/bench_commands.h"
#include "tests/bench/bench_files.h"
#include "tests/bench/bench_main.h"
#include "tests/bench/proc_stat.h"

namespace navolg {
namespace {

using nlohmann::json;
using storage::Durability;

using bench::Kadernotitie;
using bench::Now;

using bench::FreshDatabase;

constexpr std::int64_t kOrganisation = 1;
// The version of workflows/standaard-participatie.json that FreshDatabase registers, as SQL.
const std::string kWorkflowVersion =
    "(SELECT max(version) FROM workflows WHERE key = 'standaard-participatie')";
const Actor kAdviseur{"u-bench", "adviseur"};

storage::CommandRequest Request(const std::string& process, Command command) {
  storage::CommandRequest request;
  request.organisation_id = kOrganisation;
  request.process_id = process;
  request.workflow_key = "standaard-participatie";
  request.command = std::move(command);
  request.actor = kAdviseur;
  request.at = Now();
  return request;
}

// Args: durability (0 full, 1 normal), submitters, max_batch.
void BM_DurableCommands(benchmark::State& bench) {
  const auto durability = bench.range(0) == 0 ? Durability::kFull : Durability::kNormal;
  const auto submitters = static_cast<int>(bench.range(1));
  const auto max_batch = static_cast<std::size_t>(bench.range(2));
  const int per_submitter = std::max(4000 / submitters, 20);
  const std::string path = FreshDatabase("commands.db");
  auto committer = storage::GroupCommitter::Start({path, durability}, {8192, max_batch});
  std::vector<std::string> processes;
  for (int s = 0; s < submitters; ++s) {
    processes.push_back(storage::NewProcessId(Now()).value());
    (*committer)->Submit(Request(processes.back(), CreateProcess{processes.back(), "Bench"}));
  }
  std::int64_t version = 0;
  const double cpu_before = bench::OwnCpuSeconds();
  const auto threads_before = bench::ThreadCpuSeconds(::getpid());
  for (auto _ : bench) {
    std::vector<std::thread> threads;
    for (int s = 0; s < submitters; ++s) {
      threads.emplace_back([&, s] {
        for (int n = 0; n < per_submitter; ++n) {
          auto result = (*committer)
                            ->Submit(Request(processes[s], SaveProduct{"kadernotitie", 0,
                                                                       Kadernotitie(version + n)}));
          if (!result.committed()) std::abort();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    version += per_submitter;
  }
  const auto commands = static_cast<std::int64_t>(bench.iterations()) * submitters * per_submitter;
  bench.counters["cpu_us_per_item"] =
      (bench::OwnCpuSeconds() - cpu_before) * 1e6 / static_cast<double>(commands);
  double writer_cpu = 0;  // the busiest thread that lived through the run: the writer
  for (const auto& [tid, seconds] : bench::ThreadCpuSeconds(::getpid())) {
    auto before = threads_before.find(tid);
    if (before != threads_before.end()) writer_cpu = std::max(writer_cpu, seconds - before->second);
  }
  bench.counters["writer_cpu_us_per_item"] = writer_cpu * 1e6 / static_cast<double>(commands);
  bench.SetItemsProcessed(commands);
  bench.counters["items_per_iteration"] = submitters * per_submitter;
  const auto stats = (*committer)->stats();
  bench.counters["cmds_per_txn"] =
      static_cast<double>(stats.commands) /
      static_cast<double>(std::max<std::uint64_t>(stats.transactions, 1));
}

// The same rows as the commands of eight submitters write (event line, product version,
// process row), inserted by a plain loop. The rows go round-robin to eight processes, as the
// eight submitters' commands do: every process has its own stretch of the (process_id, seq)
// keys, so a transaction of eight rows touches eight places in each key, as a batch of eight
// commands does. Args: durability, rows per transaction.
void BM_RawInsert(benchmark::State& bench) {
  const auto durability = bench.range(0) == 0 ? Durability::kFull : Durability::kNormal;
  const auto per_transaction = bench.range(1);
  constexpr int kProcesses = 8;
  const std::string path = FreshDatabase("raw.db");
  auto db = storage::OpenForWriting({path, durability});
  storage::sql::Database& connection = **db;
  // Rows of realistic size: a sealed product.saved event and its content.
  Event event;
  event.seq = 1;
  event.process_id = storage::NewProcessId(Now()).value();
  event.type = "product.saved";
  event.at = Now();
  event.actor = kAdviseur;
  event.data = {{"product", "kadernotitie"},
                {"instance", 1},
                {"version", 1},
                {"hash", std::string(64, 'b')},
                {"content", Kadernotitie(1)}};
  event.prev = GenesisHash();
  (void)SealEvent(event);
  const std::string line = ExportLine(event).value();
  const std::string content = Kadernotitie(1).dump();
  std::vector<std::string> processes;
  for (int p = 0; p < kProcesses; ++p) {
    processes.push_back(storage::NewProcessId(Now()).value());
    connection.exec(
        "INSERT INTO processes (id, organisation_id, workflow_key, workflow_version, title, "
        "state, version, head_hash, created_at, updated_at, closed_at, assignee) VALUES ('" +
        processes.back() + "', 1, 'standaard-participatie', " + kWorkflowVersion +
        ", 'Bench', 'kaders', 0, '', '', '', NULL, NULL)");
  }
  storage::sql::Statement insert_event(
      connection, "INSERT INTO events (process_id, seq, type, line) VALUES (?,?,?,?)");
  storage::sql::Statement insert_version(
      connection,
      "INSERT INTO product_versions (process_id, product, instance, version, hash, content, "
      "saved_by, saved_at, seq) VALUES (?, 'kadernotitie', 1, ?, ?, ?, ?, ?, ?)");
  storage::sql::Statement update_process(
      connection, "UPDATE processes SET version = ?, head_hash = ?, updated_at = ? WHERE id = ?");
  std::int64_t row = 0;
  const std::int64_t rows_per_iteration = 4000;
  const double cpu_before = bench::OwnCpuSeconds();
  for (auto _ : bench) {
    for (std::int64_t done = 0; done < rows_per_iteration; done += per_transaction) {
      storage::sql::Transaction transaction(connection);
      for (std::int64_t i = 0; i < per_transaction; ++i, ++row) {
        const std::string& process = processes[static_cast<std::size_t>(row % kProcesses)];
        const std::int64_t seq = 1 + row / kProcesses;
        insert_event.reset();
        insert_event.bind(1, process);
        insert_event.bind(2, seq);
        insert_event.bind(3, event.type);
        insert_event.bind(4, line);
        insert_event.exec();
        insert_version.reset();
        insert_version.bind(1, process);
        insert_version.bind(2, seq);
        insert_version.bind(3, event.hash);
        insert_version.bind(4, content);
        insert_version.bind(5, kAdviseur.user);
        insert_version.bind(6, FormatTime(event.at));
        insert_version.bind(7, seq);
        insert_version.exec();
        update_process.reset();
        update_process.bind(1, seq);
        update_process.bind(2, event.hash);
        update_process.bind(3, FormatTime(event.at));
        update_process.bind(4, process);
        update_process.exec();
      }
      transaction.commit();
    }
  }
  const auto rows = static_cast<std::int64_t>(bench.iterations()) * rows_per_iteration;
  bench.counters["cpu_us_per_item"] =
      (bench::OwnCpuSeconds() - cpu_before) * 1e6 / static_cast<double>(rows);
  bench.SetItemsProcessed(rows);
  bench.counters["items_per_iteration"] = static_cast<double>(rows_per_iteration);
}

// The managers' overview query over a large organisation database: 1,000,000 processes in 10
// organisations, 100,000 open deadlines (10,000 in the queried organisation, a fifth of them
// overdue) and 300,000 closed ones. Rows are inserted directly: this measures the query.
void BM_OverdueQuery(benchmark::State& bench) {
  const std::string path = (bench::BenchDir() / "overview.db").string();
  const Time now = *ParseTime("2026-11-29T12:00:00.000Z");
  bool ready = false;
  if (std::filesystem::exists(path)) {
    storage::sql::SqliteDatabase check(path, SQLite::OPEN_READONLY);
    storage::sql::Statement count(check, "SELECT count(*) FROM processes");
    ready = count.executeStep() && count.getColumn(0).getInt64() == 1'000'000;
  }
  if (!ready) {
    FreshDatabase("overview.db");
    auto db = storage::OpenForWriting({path, Durability::kNormal});
    storage::sql::Database& c = **db;
    storage::Connection connection(c);
    for (int org = 2; org <= 10; ++org) {
      (void)storage::AddOrganisation(connection, "org-" + std::to_string(org), "Org", now);
    }
    storage::sql::Transaction transaction(c);
    storage::sql::Statement process(
        c,
        "INSERT INTO processes (id, organisation_id, workflow_key, workflow_version, title, "
        "state, version, head_hash, created_at, updated_at, closed_at, assignee) VALUES (?, ?, "
        "'standaard-participatie', " +
            kWorkflowVersion +
            ", ?, 'duiden', 9, '', '2026-01-01T00:00:00.000Z', "
            "'2026-01-01T00:00:00.000Z', NULL, NULL)");
    storage::sql::Statement deadline(
        c,
        "INSERT INTO deadlines (process_id, key, instance, organisation_id, due, overdue_from, "
        "started_on, is_open, met_at, cancelled_at, missed_at, assignee) VALUES (?, "
        "'terugkoppeling', 1, ?, ?, ?, '2026-01-01', ?, NULL, NULL, NULL, NULL)");
    for (std::int64_t i = 0; i < 1'000'000; ++i) {
      char id[32];
      std::snprintf(id, sizeof id, "p-%012lld", static_cast<long long>(i));
      const std::int64_t org = 1 + i % 10;
      process.reset();
      process.bind(1, id);
      process.bind(2, org);
      process.bind(3, "Proces " + std::to_string(i));
      process.exec();
      if (i % 10 < 4) {  // 400,000 deadlines, a quarter of them open
        const bool open = i % 40 < 10;
        // Due dates spread over a year around `now`: days -73 .. +292.
        const Date due = AddDays(AmsterdamDate(now), (i / 40) % 365 - 73);
        deadline.reset();
        deadline.bind(1, id);
        deadline.bind(2, org);
        deadline.bind(3, FormatDate(due));
        deadline.bind(4, AmsterdamStartOfDay(AddDays(due, 1)).time_since_epoch().count());
        deadline.bind(5, open ? 1 : 0);
        deadline.exec();
      }
    }
    transaction.commit();
    c.exec("ANALYZE");
  }
  auto catalog_db = storage::OpenForWriting({path});
  auto catalog = storage::WorkflowCatalog::Load(**catalog_db);
  auto reads = storage::ReadStore::Open(path, *catalog);
  const auto filter =
      bench.range(0) == 0 ? storage::DeadlineFilter::kOverdue : storage::DeadlineFilter::kDueSoon;
  std::size_t rows = 0;
  for (auto _ : bench) {
    auto page = (*reads)->Deadlines(storage::OrganisationScope::Of(kOrganisation).value(), filter,
                                    now, 14, 50);
    rows = page->size();
    benchmark::DoNotOptimize(page);
  }
  bench.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_OverdueQuery)->Arg(0)->Arg(1)->ArgName("due_soon")->Unit(benchmark::kMicrosecond);

// Database bytes per event after 100 standard processes walked from kaders to afgerond
// through the group committer (all products, adoptions, deadlines, projections, indexes).
void BM_BytesPerEvent(benchmark::State& bench) {
  double bytes_per_event = 0;
  for (auto _ : bench) {
    const std::string path = FreshDatabase("walk.db");
    auto committer = storage::GroupCommitter::Start({path, Durability::kNormal}, {});
    auto run = [&](const std::string& id, Command command, Actor actor) {
      auto request = Request(id, std::move(command));
      request.actor = std::move(actor);
      request.at = *ParseTime("2026-04-20T10:00:00.000Z");
      if (!(*committer)->Submit(std::move(request)).committed()) std::abort();
    };
    const Actor bestuur{"u-b", "bestuur"}, manager{"u-m", "manager"};
    for (int p = 0; p < 100; ++p) {
      const std::string id = storage::NewProcessId(Now()).value();
      run(id, CreateProcess{id, "Proces " + std::to_string(p)}, kAdviseur);
      run(id, SaveProduct{"kadernotitie", 0, Kadernotitie(p)}, kAdviseur);
      run(id, AdoptProduct{"kadernotitie", 0, ""}, bestuur);
      run(id, SaveProduct{"capaciteit", 0, {{"adviseur", "u-bench"}, {"uren", 100}}}, manager);
      run(id, TakeTransition{"naar_gesprek", std::nullopt}, kAdviseur);
      run(id,
          SaveProduct{
              "gespreksplan",
              0,
              {{"vormen", {"bijeenkomst"}}, {"uitnodiging", "Kom"}, {"doelgroepen", {"bewoners"}}}},
          kAdviseur);
      run(id,
          SaveProduct{"gespreksverslag",
                      1,
                      {{"datum", "2026-04-01"},
                       {"vorm", "bijeenkomst"},
                       {"aantal_deelnemers", 30},
                       {"inbreng",
                        {{{"tekst", "Meer groen op het plein"}}, {{"tekst", "Minder auto's"}}}}}},
          kAdviseur);
      run(id, TakeTransition{"naar_duiden", std::nullopt}, kAdviseur);
      run(id,
          SaveProduct{"opbrengstendocument",
                      0,
                      {{"samenvatting", "Twee punten"},
                       {"reacties",
                        {{{"inbreng", "inbreng-1"}, {"besluit", "overgenomen"}},
                         {{"inbreng", "inbreng-2"},
                          {"besluit", "al_voorzien"},
                          {"motivatie", "Staat al in het plan"}}}},
                       {"advies", "Doen"}}},
          kAdviseur);
      run(id, TakeTransition{"naar_terugkoppeling", std::nullopt}, kAdviseur);
      run(id,
          SaveProduct{"terugkoppelingsbericht",
                      0,
                      {{"verzonden_op", "2026-04-10"},
                       {"kanalen", {"brief"}},
                       {"doelgroepen", {"bewoners", "ondernemers", "marktkooplieden"}},
                       {"bericht", "Dank voor uw inbreng"}}},
          kAdviseur);
      run(id, TakeTransition{"naar_besluit", std::nullopt}, kAdviseur);
      run(id,
          SaveProduct{"besluit",
                      0,
                      {{"datum", "2026-04-15"},
                       {"orgaan", "gemeenteraad"},
                       {"samenvatting", "Vastgesteld"}}},
          bestuur);
      run(id,
          SaveProduct{
              "besluitterugkoppeling",
              0,
              {{"verzonden_op", "2026-04-16"}, {"kanalen", {"website"}}, {"bericht", "Besloten"}}},
          kAdviseur);
      run(id, TakeTransition{"naar_evaluatie", std::nullopt}, kAdviseur);
      run(id, SaveProduct{"evaluatie", 0, {{"wat_ging_goed", "Veel"}}}, manager);
      run(id, TakeTransition{"afronden", std::nullopt}, manager);
    }
    (*committer)->Stop();
    storage::sql::SqliteDatabase db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.exec("VACUUM");
    storage::sql::Statement events(db, "SELECT count(*) FROM events");
    events.executeStep();
    bytes_per_event = static_cast<double>(std::filesystem::file_size(path)) /
                      static_cast<double>(events.getColumn(0).getInt64());
  }
  bench.counters["bytes_per_event"] = bytes_per_event;
}
BENCHMARK(BM_BytesPerEvent)->Iterations(1)->Unit(benchmark::kMillisecond);

// Context for the figures above: one hand-off round trip between two threads (queue under a
// mutex, condition variable, promise), the least every acknowledged command pays.
void BM_HandoffRoundTrip(benchmark::State& bench) {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::promise<int>*> queue;
  bool stop = false;
  std::thread server([&] {
    for (;;) {
      std::unique_lock lock(mutex);
      wake.wait(lock, [&] { return stop || !queue.empty(); });
      if (queue.empty()) return;
      std::promise<int>* answer = queue.front();
      queue.pop_front();
      lock.unlock();
      answer->set_value(1);
    }
  });
  for (auto _ : bench) {
    std::promise<int> answer;
    auto future = answer.get_future();
    {
      std::lock_guard lock(mutex);
      queue.push_back(&answer);
    }
    wake.notify_one();
    benchmark::DoNotOptimize(future.get());
  }
  {
    std::lock_guard lock(mutex);
    stop = true;
  }
  wake.notify_one();
  server.join();
}
BENCHMARK(BM_HandoffRoundTrip)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Durability x (one command per transaction | group commit with 1, 8, 64 submitters).
void CommandArgs(benchmark::internal::Benchmark* b) {
  for (int durability : {0, 1}) {
    b->Args({durability, 1, 1});
    b->Args({durability, 8, 1});
    for (int submitters : {1, 8, 64}) b->Args({durability, submitters, 512});
  }
  b->ArgNames({"normal", "submitters", "max_batch"})->UseRealTime()->Unit(benchmark::kMillisecond);
}
BENCHMARK(BM_DurableCommands)->Apply(CommandArgs)->MinTime(2.0);
BENCHMARK(BM_RawInsert)
    ->ArgsProduct({{0, 1}, {1, 8, 512}})
    ->ArgNames({"normal", "per_txn"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

const bool kRatios = [] {
  for (const char* d : {"0", "1"}) {
    const std::string durability = d;
    const std::string name = durability == "0" ? "full" : "normal";
    const std::string prefix = "BM_DurableCommands/normal:" + durability;
    const std::string group8 = prefix + "/submitters:8/max_batch:512/min_time:2.000/real_time";
    // The goals are for `full`; under `normal` no commit waits for the disk, so
    // batching has little to save and the ratios are context.
    const bool full = durability == "0";
    bench::AddRatio("group(8) rate / one-per-txn(8) rate, " + name,
                    prefix + "/submitters:8/max_batch:1/min_time:2.000/real_time", group8,
                    full ? ">= 5" : "context");
    // Eight closed-loop submitters can put at most eight commands in one transaction, so the
    // like-for-like raw baseline batches eight rows per transaction; 512 is shown for context.
    bench::AddRatio("group(8) rate / raw batched(8) rate, " + name,
                    "BM_RawInsert/normal:" + durability + "/per_txn:8/min_time:2.000/real_time",
                    group8, full ? ">= 0.5" : "context");
    bench::AddRatio("group(8) rate / raw batched(512) rate, " + name,
                    "BM_RawInsert/normal:" + durability + "/per_txn:512/min_time:2.000/real_time",
                    group8, "context");
    bench::AddRatio("one-per-txn(1) rate / raw one-per-txn rate, " + name,
                    "BM_RawInsert/normal:" + durability + "/per_txn:1/min_time:2.000/real_time",
                    prefix + "/submitters:1/max_batch:1/min_time:2.000/real_time", "context");
  }
  // What batching alone gains on this disk, without navolg: the ceiling for the first ratio.
  bench::AddRatio("raw batched(8) rate / raw one-per-txn rate, full",
                  "BM_RawInsert/normal:0/per_txn:1/min_time:2.000/real_time",
                  "BM_RawInsert/normal:0/per_txn:8/min_time:2.000/real_time", "context");
  return true;
}();

}  // namespace
}  // namespace navolg
