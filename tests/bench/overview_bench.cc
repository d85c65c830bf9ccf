// The managers' overview (GET /api/v1/deadlines) over one organisation with 100,000
// processes and about 1,000,000 events: its response time through App::Handle (token look-up,
// both queries, JSON or CSV), and the storage query alone.
//
//   cmake --preset release && cmake --build --preset release --target overview_bench
//   build/release/tests/bench/overview_bench        (NAVOLG_BENCH_DIR sets the folder)
//
// The database is built once and kept (overview-org.db): every process is driven through the
// real write path (engine, events, projections) on one connection, 2,000 commands per
// transaction, without the group committer's per-batch fsync. Process i walks a number of
// steps of the standard process that depends on i % 20, so the organisation holds processes
// in every phase; its steps happen on a day spread over the 400 days before "today"
// (2026-11-29), with its gespreksverslag on that day and a 30-day terugkoppeltermijn, and it is
// assigned to one of 50 advisers.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/http/app.h"
#include "storage/database.h"
#include "storage/deadline_overview.h"
#include "storage/sql/sqlite.h"
#include "storage/write_path_sql.h"
#include "tests/bench/bench_files.h"
#include "tests/bench/bench_main.h"

namespace navolg {
namespace {

using nlohmann::json;

constexpr std::int64_t kProcesses = 100'000;
constexpr int kAdvisers = 50;
constexpr std::int64_t kOrganisation = 1;
const Time kToday = *ParseTime("2026-11-29T10:00:00.000Z");

// Commands walked per process, by i % 20: from a draft kadernotitie (2) to afgerond (17), as
// Commands() lists them; 10.25 events per process on average.
constexpr int kStages[20] = {2, 3, 4, 5, 7, 8, 8, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 14, 17};

std::string AdviserId(int n) {
  char id[32];
  std::snprintf(id, sizeof id, "u-bench-adviseur-%02d", n);
  return id;
}

struct Walk {
  Command command;
  Actor actor;
};

// The standard process from creation to afgerond, as one process's commands.
std::vector<Walk> Commands(const std::string& id, std::int64_t i, Date day) {
  const Actor adviseur{AdviserId(static_cast<int>(i % kAdvisers)), "adviseur"};
  const Actor manager{"u-bench-manager", "manager"}, bestuur{"u-bench-bestuur", "bestuur"};
  const std::string date = FormatDate(day);
  return {
      {CreateProcess{id, "Participatie bij project " + std::to_string(i)}, adviseur},
      {SaveProduct{"kadernotitie",
                   0,
                   {{"onderwerp", "Project " + std::to_string(i)},
                    {"doel", "Wensen ophalen"},
                    {"vastgelegd", {"Budget"}},
                    {"ruimte", {"Inrichting", "Groen"}},
                    {"besluitvormer", "college"},
                    {"participatieniveau", "raadplegen"},
                    {"doelgroepen", {"bewoners", "ondernemers"}},
                    {"terugkoppeltermijn_dagen", 30}}},
       adviseur},
      {AdoptProduct{"kadernotitie", 0, ""}, bestuur},
      {SaveProduct{"capaciteit", 0, {{"adviseur", adviseur.user}, {"uren", 80}}}, manager},
      {TakeTransition{"naar_gesprek", std::nullopt}, adviseur},
      {SaveProduct{"gespreksplan",
                   0,
                   {{"vormen", {"bijeenkomst"}},
                    {"uitnodiging", "Kom naar het buurthuis"},
                    {"doelgroepen", {"bewoners"}}}},
       adviseur},
      {SaveProduct{"gespreksverslag",
                   1,
                   {{"datum", date},
                    {"vorm", "bijeenkomst"},
                    {"aantal_deelnemers", 25},
                    {"inbreng", {{{"tekst", "Meer groen"}}, {{"tekst", "Minder verkeer"}}}}}},
       adviseur},
      {TakeTransition{"naar_duiden", std::nullopt}, adviseur},
      {SaveProduct{"opbrengstendocument",
                   0,
                   {{"samenvatting", "Twee punten"},
                    {"reacties",
                     {{{"inbreng", "inbreng-1"}, {"besluit", "overgenomen"}},
                      {{"inbreng", "inbreng-2"},
                       {"besluit", "niet_overgenomen"},
                       {"motivatie", "Doorgaande route"}}}},
                    {"advies", "Meer groen"}}},
       adviseur},
      {TakeTransition{"naar_terugkoppeling", std::nullopt}, adviseur},
      {SaveProduct{"terugkoppelingsbericht",
                   0,
                   {{"verzonden_op", date},
                    {"kanalen", {"brief"}},
                    {"doelgroepen", {"bewoners", "ondernemers"}},
                    {"bericht", "Dank voor uw inbreng"}}},
       adviseur},
      {TakeTransition{"naar_besluit", std::nullopt}, adviseur},
      {SaveProduct{
           "besluit", 0, {{"datum", date}, {"orgaan", "college"}, {"samenvatting", "Vastgesteld"}}},
       bestuur},
      {SaveProduct{"besluitterugkoppeling",
                   0,
                   {{"verzonden_op", date}, {"kanalen", {"website"}}, {"bericht", "Besloten"}}},
       adviseur},
      {TakeTransition{"naar_evaluatie", std::nullopt}, adviseur},
      {SaveProduct{"evaluatie", 0, {{"wat_ging_goed", "Opkomst"}}}, manager},
      {TakeTransition{"afronden", std::nullopt}, manager},
  };
}

struct Built {
  std::int64_t processes = 0, events = 0, open_deadlines = 0;
};

Built Count(storage::sql::Database& db) {
  storage::sql::Statement count(
      db,
      "SELECT (SELECT count(*) FROM processes), (SELECT count(*) FROM events), "
      "(SELECT count(*) FROM deadlines WHERE is_open = 1)");
  count.executeStep();
  return {count.getColumn(0).getInt64(), count.getColumn(1).getInt64(),
          count.getColumn(2).getInt64()};
}

// The organisation's database, built on first use; its path.
std::string OrganisationDatabase() {
  std::filesystem::create_directories(bench::BenchDir());
  const std::string path = (bench::BenchDir() / "overview-org.db").string();
  if (std::filesystem::exists(path)) {
    storage::sql::SqliteDatabase check(path, SQLite::OPEN_READONLY);
    if (Count(check).processes == kProcesses) return path;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  const auto started = std::chrono::steady_clock::now();
  auto db = storage::OpenForWriting({path, storage::Durability::kNormal});
  storage::sql::Database& c = **db;
  storage::Connection connection(c);
  auto definition =
      ParseDefinitionText(bench::ReadSourceFile("workflows/standaard-participatie.json"));
  (void)storage::RegisterWorkflow(connection, *definition.definition, kToday);
  (void)storage::AddOrganisation(connection, "bench", "Gemeente Bench", kToday);
  {
    // Advisers with the ids the processes name (AddUser makes its own ids).
    storage::sql::Statement user(c,
                                 "INSERT INTO users (id, organisation_id, name, role, created_at) "
                                 "VALUES (?, 1, ?, 'adviseur', '2026-01-01T00:00:00.000Z')");
    for (int n = 0; n < kAdvisers; ++n) {
      user.reset();
      user.bind(1, AdviserId(n));
      user.bind(2, "Adviseur " + std::to_string(n));
      user.exec();
    }
  }
  auto catalog = storage::WorkflowCatalog::Load(c);
  storage::WriterCache cache;
  storage::WritePath writer(c, *catalog, cache);
  const Date today = AmsterdamDate(kToday);
  std::int64_t in_transaction = 0;
  auto transaction = std::make_unique<storage::sql::Transaction>(c);
  for (std::int64_t i = 0; i < kProcesses; ++i) {
    const Date day = AddDays(today, -((i * 7919) % 400));
    char id[32];
    std::snprintf(
        id, sizeof id, "p-%012llx%08llx",
        static_cast<unsigned long long>(AmsterdamStartOfDay(day).time_since_epoch().count()),
        static_cast<unsigned long long>(i));
    std::vector<Walk> walk = Commands(id, i, day);
    walk.resize(static_cast<std::size_t>(kStages[i % 20]));
    Time at = AmsterdamStartOfDay(day) + std::chrono::hours(8);
    for (Walk& step : walk) {
      storage::CommandRequest request;
      request.organisation_id = kOrganisation;
      request.process_id = id;
      request.workflow_key = "standaard-participatie";
      request.command = std::move(step.command);
      request.actor = step.actor;
      request.at = at;
      at += std::chrono::minutes(5);
      auto result = writer.Apply(request);
      if (!result.committed() || result.events.empty()) {
        std::fprintf(stderr, "building failed at process %lld: %s %s\n", static_cast<long long>(i),
                     result.status.message().c_str(),
                     result.refusal ? result.refusal->detail.c_str() : "");
        std::abort();
      }
      if (++in_transaction == 2000) {
        transaction->commit();
        transaction = std::make_unique<storage::sql::Transaction>(c);
        in_transaction = 0;
      }
    }
  }
  transaction->commit();
  c.exec("ANALYZE");
  const Built built = Count(c);
  std::fprintf(stderr, "built %s: %lld processes, %lld events, %lld open deadlines in %.0f s\n",
               path.c_str(), static_cast<long long>(built.processes),
               static_cast<long long>(built.events), static_cast<long long>(built.open_deadlines),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return path;
}

// An App over the organisation database, with a manager's and an adviser's token.
struct Server {
  std::unique_ptr<storage::GroupCommitter> committer;
  std::unique_ptr<storage::ReadStore> reads;
  http::Metrics metrics;
  std::unique_ptr<http::App> app;
  std::string manager_token, adviser_token;

  static Server& Get() {
    static Server* server = [] {
      auto* s = new Server;
      const std::string path = OrganisationDatabase();
      {
        auto db = storage::OpenConnection({path});
        const std::string suffix = std::to_string(Now().time_since_epoch().count());
        s->manager_token = storage::NewToken().value();
        (void)storage::AddUser(**db, "bench", "manager", "Manager " + suffix, s->manager_token,
                               kToday);
        // A token for adviser 7 (AddUser would mint a new id, so add the token by hand).
        s->adviser_token = storage::NewToken().value();
        auto adviser = storage::AddUser(**db, "bench", "adviseur", "Tijdelijk " + suffix,
                                        s->adviser_token, kToday);
        storage::sql::Statement move((*db)->db(),
                                     "UPDATE tokens SET user_id = ? WHERE user_id = ?");
        move.bind(1, AdviserId(7));
        move.bind(2, adviser->id);
        move.exec();
      }
      s->committer = std::move(storage::GroupCommitter::Start({path}, {}).value());
      s->reads = std::move(storage::ReadStore::Open(path, s->committer->catalog()).value());
      s->app = std::make_unique<http::App>(
          http::Services{s->committer.get(), s->reads.get(), [] { return kToday; }, &s->metrics});
      return s;
    }();
    return *server;
  }

  static Time Now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }

  http::Response Request(const std::string& target, const std::string& token,
                         const std::string& accept = "") {
    http::Request request;
    request.method = "GET";
    request.target = target;
    request.headers["Authorization"] = "Bearer " + token;
    if (!accept.empty()) request.headers["Accept"] = accept;
    return app->Handle(request);
  }
};

const char* const kStatus[] = {"overdue", "due_soon", "open"};

// Args: status (0 overdue, 1 due_soon, 2 open). The first page (50) and the counts, as JSON.
void BM_OverviewResponse(benchmark::State& bench) {
  Server& server = Server::Get();
  const std::string target = std::string("/api/v1/deadlines?status=") + kStatus[bench.range(0)];
  std::string last;
  for (auto _ : bench) {
    http::Response response = server.Request(target, server.manager_token);
    if (response.status != 200) std::abort();
    benchmark::DoNotOptimize(response.body);
    last = std::move(response.body);
  }
  const json body = json::parse(last);
  bench.counters["total"] = body["total"].get<double>();
  bench.counters["rows"] = static_cast<double>(body["items"].size());
}
BENCHMARK(BM_OverviewResponse)->DenseRange(0, 2)->ArgName("status")->Unit(benchmark::kMillisecond);

// The same for one adviser: only the processes assigned to them.
void BM_OverviewResponseAdviser(benchmark::State& bench) {
  Server& server = Server::Get();
  const std::string target = std::string("/api/v1/deadlines?status=") + kStatus[bench.range(0)];
  std::string last;
  for (auto _ : bench) {
    http::Response response = server.Request(target, server.adviser_token);
    if (response.status != 200) std::abort();
    benchmark::DoNotOptimize(response.body);
    last = std::move(response.body);
  }
  bench.counters["total"] = json::parse(last)["total"].get<double>();
}
BENCHMARK(BM_OverviewResponseAdviser)
    ->DenseRange(0, 2)
    ->ArgName("status")
    ->Unit(benchmark::kMillisecond);

// The overdue deadlines as CSV: up to 10,000 rows (a spreadsheet export, not a page).
void BM_OverviewCsv(benchmark::State& bench) {
  Server& server = Server::Get();
  std::size_t bytes = 0;
  for (auto _ : bench) {
    http::Response response =
        server.Request("/api/v1/deadlines?status=overdue", server.manager_token, "text/csv");
    if (response.status != 200) std::abort();
    bytes = response.body.size();
    benchmark::DoNotOptimize(response.body);
  }
  bench.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_OverviewCsv)->Unit(benchmark::kMillisecond);

// The storage part alone: page + counts, and the counts' share (limit 1 keeps the page tiny).
void BM_OverviewQuery(benchmark::State& bench) {
  Server& server = Server::Get();
  storage::OverviewQuery query;
  query.filter = static_cast<storage::DeadlineFilter>(bench.range(0));
  query.now = kToday;
  query.limit = bench.range(1);
  for (auto _ : bench) {
    auto overview =
        server.reads->Overview(storage::OrganisationScope::Of(kOrganisation).value(), query);
    if (!overview.ok()) std::abort();
    benchmark::DoNotOptimize(overview);
  }
}
BENCHMARK(BM_OverviewQuery)
    ->ArgsProduct({{0, 1, 2}, {1, 50}})
    ->ArgNames({"status", "limit"})
    ->Unit(benchmark::kMillisecond);

// Baseline in the same run: GET /api/v1/me, the cheapest authenticated request.
void BM_MeResponse(benchmark::State& bench) {
  Server& server = Server::Get();
  for (auto _ : bench) {
    http::Response response = server.Request("/api/v1/me", server.manager_token);
    if (response.status != 200) std::abort();
    benchmark::DoNotOptimize(response.body);
  }
}
BENCHMARK(BM_MeResponse)->Unit(benchmark::kMicrosecond);

const bool kRatios = [] {
  for (const char* status : {"0", "1", "2"}) {
    bench::AddRatio(std::string("overview(status ") + status + ") / GET /api/v1/me",
                    "BM_MeResponse", std::string("BM_OverviewResponse/status:") + status,
                    "context");
  }
  return true;
}();

}  // namespace
}  // namespace navolg
