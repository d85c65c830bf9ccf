#include "api/serve.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "api/cli/command_support.h"
#include "api/demo.h"
#include "api/first_start.h"
#include "api/http/app.h"
#include "api/serve_settings.h"
#include "api/server/server.h"
#include "api/server/webhook_sender.h"
#include "storage/account_store.h"
#include "storage/clock.h"
#include "storage/connection.h"
#include "storage/database_files.h"
#include "storage/deadline_watcher.h"
#include "storage/directory.h"
#include "storage/group_committer.h"
#include "storage/integrity_check.h"
#include "storage/outbox.h"
#include "storage/read_store.h"
#include "storage/signing_key_file.h"

namespace navolg {
namespace {

// One JSON line on stderr, like the request log.
void LogWatchRun(const storage::WatchRun& run) {
  nlohmann::json line = {
      {"job", "termijnbewaking"},
      {"missed", run.missed},
      {"due_soon", run.due_soon},
      {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(run.took).count()}};
  if (!run.status.ok()) line["error"] = run.status.message();
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(stderr, "%s\n", text.c_str());
}

// The bounded integrity check at start (storage/integrity_check.h): every process's head,
// then whole chains, newest first, for at most kStartCheckBudget; damaged processes are
// marked before the first request. One JSON line on stderr, and one per damaged process.
constexpr std::chrono::milliseconds kStartCheckBudget{2000};

Status CheckAtStart(const std::string& path) {
  auto db = storage::OpenConnection({path});
  if (!db.ok()) return db.status();
  const auto started = std::chrono::steady_clock::now();
  storage::IntegrityOptions options;
  options.budget = kStartCheckBudget;
  options.now = storage::WallClockNow();
  auto report = storage::CheckIntegrity(**db, options);
  if (!report.ok()) return report.status();
  const auto took = std::chrono::steady_clock::now() - started;
  for (const storage::ProcessVerdict& verdict : report->processes) {
    if (!verdict.damage) break;  // damaged ones come first
    nlohmann::json line = {{"job", "integriteitscontrole"},
                           {"process", verdict.process_id},
                           {"organisation", verdict.organisation},
                           {"damaged", *verdict.damage}};
    std::fprintf(stderr, "%s\n",
                 line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
  nlohmann::json line = {
      {"job", "integriteitscontrole"},
      {"processes", report->heads_checked},
      {"fully_checked", report->fully_checked},
      {"damaged", report->damaged},
      {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(took).count()}};
  std::fprintf(stderr, "%s\n", line.dump().c_str());
  return Status::Ok();
}

// Everything a running node owns, in the order it is opened; destroyed in reverse.
struct Node {
  std::optional<storage::LoadedSigningKey> signing_key;
  std::unique_ptr<storage::GroupCommitter> committer;
  std::unique_ptr<storage::ReadStore> reads;
  std::unique_ptr<storage::DeadlineWatcher> watcher;
  std::unique_ptr<storage::Outbox> outbox;
  std::unique_ptr<http::WebhookSender> sender;
  std::unique_ptr<storage::AccountStore> accounts;
};

#define NAVOLG_TRY_MOVE(target, expression)   \
  do {                                        \
    auto value_ = (expression);               \
    if (!value_.ok()) return value_.status(); \
    target = std::move(*value_);              \
  } while (false)

Status OpenNode(const ServeSettings& settings, const std::string& key_path, Node& node) {
  const std::string& path = settings.database;
  NAVOLG_TRY_MOVE(node.signing_key, storage::LoadOrCreateSigningKey(key_path));
  storage::DatabaseOptions database{path};
  database.durability = settings.durability;
  NAVOLG_TRY_MOVE(node.committer, storage::GroupCommitter::Start(database, {}));
  NAVOLG_TRY_MOVE(node.reads, storage::ReadStore::Open(path, node.committer->catalog()));
  storage::WatcherOptions watching;
  watching.interval = settings.watch_interval;
  NAVOLG_TRY_MOVE(node.watcher, storage::DeadlineWatcher::Open(path, *node.committer, watching));
  NAVOLG_TRY_MOVE(node.outbox, storage::Outbox::Open(path, *node.committer));
  node.sender =
      std::make_unique<http::WebhookSender>(*node.outbox, &storage::WallClockNow, settings.sending);
  NAVOLG_TRY_MOVE(node.accounts, storage::AccountStore::Open(path));
  return Status::Ok();
}

#undef NAVOLG_TRY_MOVE

// The address navolg listens on, as a URL.
std::string LocalUrl(const ServeSettings& settings, std::uint16_t port) {
  const std::string host = settings.listen.substr(0, settings.listen.rfind(':'));
  return "http://" + host + ":" + std::to_string(port);
}

void PrintStarted(const ServeSettings& settings, const Node& node, const std::string& key_path,
                  std::uint16_t port, const FirstStart& first) {
  const std::string url = LocalUrl(settings, port);
  std::cout << "navolg luistert op " << url << " (database "
            << storage::AddressForDisplay(settings.database) << ")\n"
            << "Exports worden ondertekend met " << key_path << " (key_id "
            << node.signing_key->key.public_key().id()
            << (node.signing_key->created ? ", nieuw aangemaakt" : "") << ")\n";
  if (!settings.public_origin.empty()) {
    std::cout << "Publiek adres: " << settings.public_origin << "\n";
  }
  PrintFirstStart(first, settings.public_origin.empty() ? url : settings.public_origin,
                  storage::AddressForDisplay(settings.database));
  std::cout.flush();
}

// Every connection holds a file descriptor, so --max-connections needs that many and some
// spare (the database and its readers, 503 answers in progress, the operator's listener,
// webhook deliveries). Raises the soft limit to the hard one when it is lower than that, and
// warns when even the hard limit is: the server then runs out of descriptors before it
// reaches its cap, and new connections wait in the kernel's queue.
void RaiseOpenFileLimit(const ServeSettings& settings) {
  constexpr rlim_t kSpare = 256;
  const rlim_t needed = static_cast<rlim_t>(settings.server.max_connections) + kSpare;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) return;
  rlimit raised = limit;
  raised.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) {
    raised.rlim_cur = std::min(needed, limit.rlim_max);  // the hard limit may be "unlimited"
    if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) raised = limit;
  }
  if (raised.rlim_cur < needed) {
    std::cerr << "Let op: navolg mag " << raised.rlim_cur << " bestanden tegelijk openen; "
              << "--max-connections " << settings.server.max_connections << " heeft er zo'n "
              << needed << " nodig. Verhoog de limiet (ulimit -n, of LimitNOFILE= in systemd) "
              << "of verlaag --max-connections.\n";
  }
}

// Runs the node until SIGINT or SIGTERM; every acknowledged command is on disk when it returns.
Status Run(const ServeSettings& settings) {
  // Opening creates a missing database with mode 0600 in a folder of 0700; an existing one
  // keeps its mode, and the operator is told how to close it.
  FirstStart first;
  first.password_file = settings.first_password_file;
  if (Status status = SetUpDatabase(settings.database, first); !status.ok()) return status;
  if (Status status = CheckAtStart(settings.database); !status.ok()) return status;
  for (const std::string& warning : storage::LooseDatabaseModes(settings.database)) {
    std::cerr << "navolg: waarschuwing: " << warning << "\n";
  }
  auto key_path = storage::SigningKeyPath(settings.signing_key_option, settings.database);
  if (!key_path.ok()) return key_path.status();
  Node node;
  if (Status status = OpenNode(settings, *key_path, node); !status.ok()) return status;

  http::Metrics metrics;
  http::Services services{node.committer.get(), node.reads.get(), &storage::WallClockNow, &metrics,
                          &node.signing_key->key};
  services.background = [&node] {
    return http::BackgroundStats{node.watcher->stats(), node.sender->stats()};
  };
  services.accounts = node.accounts.get();
  services.public_origin = settings.public_origin;
  services.metrics_token = settings.metrics_token;
  http::App app(std::move(services));
  std::vector<DemoUser> demo_users;
  if (settings.demo) {
    if (first.token.empty()) {
      return Status(Code::kFailedPrecondition,
                    "--demo vult alleen een nieuwe, lege database; deze database heeft al "
                    "organisaties. Kies een ander bestand met --db.");
    }
    auto filled = FillDemo(settings.database, app);
    if (!filled.ok()) return filled.status();
    demo_users = std::move(*filled);
  }
  RaiseOpenFileLimit(settings);
  auto server = http::Server::Start(settings.server, app, metrics);
  if (!server.ok()) return server.status();
  // The operator's listener counts its own connections apart, so /metrics describes the
  // public one.
  http::Metrics operator_metrics;
  std::unique_ptr<http::Server> operator_server;
  if (settings.metrics_server) {
    auto started = http::Server::Start(*settings.metrics_server, app, operator_metrics);
    if (!started.ok()) return started.status();
    operator_server = std::move(*started);
  }
  PrintStarted(settings, node, *key_path, (*server)->port(), first);
  if (settings.demo) {
    std::cout << DemoSummary(demo_users,
                             settings.public_origin.empty() ? LocalUrl(settings, (*server)->port())
                                                            : settings.public_origin,
                             ::isatty(STDOUT_FILENO) == 1)
              << std::flush;
  }
  std::thread operator_thread;
  if (operator_server) {
    const std::string host = settings.metrics_listen.substr(0, settings.metrics_listen.rfind(':'));
    std::cout << "Metrieken voor de beheerder: http://" << host << ":" << operator_server->port()
              << "/metrics" << std::endl;
    operator_thread = std::thread([&operator_server] { operator_server->Run(); });
  }

  const bool log_runs = settings.server.log_requests;
  node.watcher->Start(&storage::WallClockNow,
                      [&sender = *node.sender, log_runs](const storage::WatchRun& run) {
                        const bool found = run.missed > 0 || run.due_soon > 0;
                        if (!run.status.ok() || (log_runs && found)) LogWatchRun(run);
                        if (found) sender.Wake();
                      });
  node.sender->Start();
  (*server)->Run();
  if (operator_server) {
    operator_server->Stop();
    operator_thread.join();
    operator_server.reset();
  }
  server->reset();  // all requests answered
  node.watcher->Stop();
  node.sender->Stop();     // an attempt in flight is abandoned and retried at the next start
  node.committer->Stop();  // all acknowledged commands are on disk
  std::cout << "navolg gestopt\n";
  return Status::Ok();
}

}  // namespace

int Serve(const std::vector<std::string>& args) {
  auto settings = ParseServeSettings(args, [](const char* name) { return std::getenv(name); });
  if (!settings.ok()) return cli::Usage(ServeUsage(), settings.status().message());
  if (settings->show_help) {
    std::cout << ServeUsage();
    return 0;
  }
  Status status = Run(*settings);
  return status.ok() ? 0 : cli::Fail(status);
}

}  // namespace navolg
