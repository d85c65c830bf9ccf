#include "api/serve.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/args.h"
#include "api/authentication.h"
#include "api/cli_store.h"
#include "api/embedded.h"
#include "api/server.h"
#include "api/signing_key_file.h"
#include "api/webhook_sender.h"
#include "storage/account_store.h"
#include "storage/database.h"
#include "storage/deadline_watcher.h"
#include "storage/directory.h"
#include "storage/outbox.h"
#include "storage/password.h"

namespace navolg {
namespace {

constexpr const char* kServeUsage =
    "gebruik: navolg serve [OPTIES]\n"
    "\n"
    "Start de navolg-server. Elke optie kan ook als omgevingsvariabele:\n"
    "  --db PATH                  NAVOLG_DB               database (standaard data/navolg.db)\n"
    "  --listen HOST:PORT         NAVOLG_LISTEN           adres (standaard 127.0.0.1:8080)\n"
    "  --durability full|normal   NAVOLG_DURABILITY       full (standaard): elke bevestigde\n"
    "                                                     opdracht overleeft stroomuitval\n"
    "  --io-threads N             NAVOLG_IO_THREADS       netwerkthreads (standaard 2)\n"
    "  --handler-threads N        NAVOLG_HANDLER_THREADS  verzoeken tegelijk (standaard 64)\n"
    "  --read-timeout-ms N        NAVOLG_READ_TIMEOUT_MS  tijd om een verzoek te lezen\n"
    "                                                     (standaard 10000)\n"
    "  --max-connections N        NAVOLG_MAX_CONNECTIONS  open verbindingen (standaard 1024)\n"
    "  --log on|off               NAVOLG_LOG              een JSON-regel per verzoek op stderr\n"
    "  --public-url URL           NAVOLG_PUBLIC_URL       het adres waarop browsers navolg\n"
    "                                                     bereiken, bijvoorbeeld achter een\n"
    "                                                     TLS-proxy: https://navolg.gemeente.nl\n"
    "                                                     (standaard: het adres uit de kopregel\n"
    "                                                     Host; met https krijgt het\n"
    "                                                     sessiecookie Secure)\n"
    "  --signing-key PATH         NAVOLG_SIGNING_KEY      Ed25519-sleutel die exports\n"
    "                                                     ondertekent (standaard\n"
    "                                                     navolg-signing.key naast de database;\n"
    "                                                     aangemaakt met rechten 0600 als hij\n"
    "                                                     ontbreekt)\n"
    "  --watch-interval SECONDEN  NAVOLG_WATCH_INTERVAL   termijnbewaking: verlopen termijnen\n"
    "                                                     vastleggen, bij de start en dan elke\n"
    "                                                     zoveel seconden (standaard 60)\n"
    "  --webhook-timeout-ms N     NAVOLG_WEBHOOK_TIMEOUT_MS\n"
    "                                                     tijd voor een webhookbericht\n"
    "                                                     (standaard 10000)\n"
    "  --webhook-retry-base-ms N  NAVOLG_WEBHOOK_RETRY_BASE_MS\n"
    "                                                     wachttijd na de eerste mislukte\n"
    "                                                     poging, daarna steeds het dubbele\n"
    "                                                     (standaard 5000)\n"
    "  --webhook-retry-max-ms N   NAVOLG_WEBHOOK_RETRY_MAX_MS\n"
    "                                                     langste wachttijd (standaard 3600000)\n"
    "\n"
    "Op een lege database maakt navolg de organisatie 'demo' en een beheerder aan en drukt\n"
    "het adres, een eerste wachtwoord en het token van die beheerder af. Stopt netjes op\n"
    "SIGINT en SIGTERM: lopende verzoeken worden afgemaakt en alle bevestigde opdrachten\n"
    "staan op schijf.\n"
    "\n"
    "Webhooks per organisatie stelt u in met 'navolg org webhook'; berichten over verlopen en\n"
    "bijna verlopen termijnen gaan op de achtergrond en worden herhaald tot ze aankomen.\n";

Time Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// The value of --name, else of the environment variable, else the default.
std::string Setting(const ParsedArgs& args, const std::string& option, const char* env,
                    const std::string& fallback) {
  std::string value = args.Option(option);
  if (!value.empty()) return value;
  if (const char* from_env = std::getenv(env); from_env != nullptr && *from_env != '\0') {
    return from_env;
  }
  return fallback;
}

bool ParseCount(const std::string& text, long min, long max, long& out) {
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < min || value > max) return false;
  out = value;
  return true;
}

// One JSON line on stderr, like the request log.
void LogWatchRun(const storage::WatchRun& run) {
  nlohmann::json line = {{"job", "termijnbewaking"},
                         {"missed", run.missed},
                         {"due_soon", run.due_soon},
                         {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(run.took)
                                    .count()}};
  if (!run.status.ok()) line["error"] = run.status.message();
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(stderr, "%s\n", text.c_str());
}

int Fail(const std::string& message) {
  std::cerr << "navolg: " << message << "\n";
  return 1;
}

// What the first start created and prints once.
struct FirstStart {
  std::string token;     // empty: the database was not empty
  std::string password;
  bool nobody_has_a_password = false;
};

// Registers the built-in workflows and, on an empty database, the demo organisation and its
// beheerder, with a token and a first password (both printed once).
Status Bootstrap(const std::string& path, FirstStart& first) {
  auto db = storage::OpenForWriting({path});
  if (!db.ok()) return db.status();
  for (const auto& [file, text] : embedded::Workflows()) {
    ParsedDefinition parsed = ParseDefinitionText(std::string(text));
    if (!parsed.definition) {
      return Status(Code::kInternal, "ingebouwde workflow " + std::string(file) + " is ongeldig");
    }
    Status registered = storage::RegisterWorkflow(**db, *parsed.definition, Now());
    if (!registered.ok()) return registered;
  }
  auto organisations = storage::CountOrganisations(**db);
  if (!organisations.ok()) return organisations.status();
  if (*organisations > 0) {
    auto with_password = storage::CountUsersWithPassword(**db);
    if (!with_password.ok()) return with_password.status();
    first.nobody_has_a_password = *with_password == 0;
    return Status::Ok();
  }
  auto demo = storage::AddOrganisation(**db, "demo", "Demo-organisatie", Now());
  if (!demo.ok()) return demo.status();
  first.token = storage::NewToken();
  first.password = storage::NewInitialPassword();
  auto beheerder = storage::AddUser(**db, "demo", "beheerder", "beheerder", first.token, Now(),
                                    storage::HashPassword(first.password));
  return beheerder.ok() ? Status::Ok() : beheerder.status();
}

// How to sign in, for the operator who just started navolg.
void PrintFirstStart(const FirstStart& first, const std::string& url, const std::string& path) {
  if (!first.token.empty()) {
    std::cout << "Nieuwe database: organisatie 'demo' en gebruiker 'beheerder' aangemaakt.\n"
              << "Aanmelden in de browser: open " << url
              << "/ en meld u aan met organisatie 'demo', naam 'beheerder' en dit wachtwoord\n"
              << "(wordt maar een keer getoond; wijzig het met: navolg user passwd --db " << path
              << " --org demo beheerder):\n"
              << "  " << first.password << "\n"
              << "Token van de beheerder voor de API (wordt maar een keer getoond):\n"
              << first.token << "\n"
              << "Probeer: curl -H 'Authorization: Bearer " << first.token << "' " << url
              << "/api/v1/me\n";
  } else if (first.nobody_has_a_password) {
    std::cout << "Nog geen enkele gebruiker heeft een wachtwoord. Geef er een met:\n"
              << "  navolg user passwd --db " << path << " --org ORGANISATIE NAAM\n";
  }
}

}  // namespace

int Serve(const std::vector<std::string>& argv) {
  ParsedArgs args = ParseArgs(argv, {"--db", "--listen", "--durability", "--io-threads",
                                     "--handler-threads", "--read-timeout-ms",
                                     "--max-connections", "--log", "--signing-key",
                                     "--watch-interval", "--webhook-timeout-ms",
                                     "--webhook-retry-base-ms", "--webhook-retry-max-ms",
                                     "--public-url"});
  if (args.help) {
    std::cout << kServeUsage;
    return 0;
  }
  if (args.error || !args.positional.empty()) {
    std::cerr << "navolg: " << args.error.value_or("onverwacht argument " +
                                                   (args.positional.empty() ? std::string()
                                                                            : args.positional[0]))
              << "\n\n"
              << kServeUsage;
    return 2;
  }
  const std::string path = DatabasePath(args.Option("--db"));
  const std::string listen = Setting(args, "--listen", "NAVOLG_LISTEN", "127.0.0.1:8080");
  const std::string durability = Setting(args, "--durability", "NAVOLG_DURABILITY", "full");
  const std::string log = Setting(args, "--log", "NAVOLG_LOG", "on");

  http::ServerOptions options;
  const auto colon = listen.rfind(':');
  long port = 0, io_threads = 0, handler_threads = 0, timeout_ms = 0, max_connections = 0;
  long watch_seconds = 0, webhook_timeout_ms = 0, retry_base_ms = 0, retry_max_ms = 0;
  bool usage_ok = colon != std::string::npos &&
                  ParseCount(listen.substr(colon + 1), 0, 65535, port) &&
                  (durability == "full" || durability == "normal") &&
                  (log == "on" || log == "off") &&
                  ParseCount(Setting(args, "--io-threads", "NAVOLG_IO_THREADS", "2"), 1, 64,
                             io_threads) &&
                  ParseCount(Setting(args, "--handler-threads", "NAVOLG_HANDLER_THREADS", "64"),
                             1, 1024, handler_threads) &&
                  ParseCount(Setting(args, "--read-timeout-ms", "NAVOLG_READ_TIMEOUT_MS", "10000"),
                             100, 600'000, timeout_ms) &&
                  ParseCount(Setting(args, "--max-connections", "NAVOLG_MAX_CONNECTIONS", "1024"),
                             1, 100'000, max_connections) &&
                  ParseCount(Setting(args, "--watch-interval", "NAVOLG_WATCH_INTERVAL", "60"), 1,
                             86'400, watch_seconds) &&
                  ParseCount(Setting(args, "--webhook-timeout-ms", "NAVOLG_WEBHOOK_TIMEOUT_MS",
                                     "10000"),
                             100, 120'000, webhook_timeout_ms) &&
                  ParseCount(Setting(args, "--webhook-retry-base-ms",
                                     "NAVOLG_WEBHOOK_RETRY_BASE_MS", "5000"),
                             10, 86'400'000, retry_base_ms) &&
                  ParseCount(Setting(args, "--webhook-retry-max-ms", "NAVOLG_WEBHOOK_RETRY_MAX_MS",
                                     "3600000"),
                             retry_base_ms, 86'400'000, retry_max_ms);
  if (!usage_ok) {
    std::cerr << "navolg: ongeldige instelling (adres HOST:PORT, durability full|normal, log "
                 "on|off, aantallen als geheel getal binnen hun grenzen; de langste "
                 "webhook-wachttijd is niet korter dan de eerste)\n\n"
              << kServeUsage;
    return 2;
  }
  std::string public_origin;
  if (const std::string public_url = Setting(args, "--public-url", "NAVOLG_PUBLIC_URL", "");
      !public_url.empty()) {
    auto origin = http::PublicOrigin(public_url);
    if (!origin.ok()) {
      std::cerr << "navolg: " << origin.status().message() << "\n\n" << kServeUsage;
      return 2;
    }
    public_origin = std::move(*origin);
  }
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);  // [::1]:8080
  }
  options.port = static_cast<std::uint16_t>(port);
  options.io_threads = static_cast<int>(io_threads);
  options.handler_threads = static_cast<int>(handler_threads);
  options.read_timeout = std::chrono::milliseconds(timeout_ms);
  options.max_connections = static_cast<std::size_t>(max_connections);
  options.log_requests = log == "on";

  std::error_code ignored;
  const auto folder = std::filesystem::path(path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, ignored);
  FirstStart first;
  if (Status status = Bootstrap(path, first); !status.ok()) return Fail(status.message());
  const std::string key_path = SigningKeyPath(args.Option("--signing-key"), path);
  auto signing_key = LoadOrCreateSigningKey(key_path);
  if (!signing_key.ok()) return Fail(signing_key.status().message());

  storage::DatabaseOptions database{path};
  database.durability =
      durability == "full" ? storage::Durability::kFull : storage::Durability::kNormal;
  auto committer = storage::GroupCommitter::Start(database, {});
  if (!committer.ok()) return Fail(committer.status().message());
  auto reads = storage::ReadStore::Open(path, (*committer)->catalog());
  if (!reads.ok()) return Fail(reads.status().message());

  storage::WatcherOptions watching;
  watching.interval = std::chrono::seconds(watch_seconds);
  auto watcher = storage::DeadlineWatcher::Open(path, **committer, watching);
  if (!watcher.ok()) return Fail(watcher.status().message());
  auto outbox = storage::Outbox::Open(path, **committer);
  if (!outbox.ok()) return Fail(outbox.status().message());
  http::SenderOptions sending;
  sending.timeout = std::chrono::milliseconds(webhook_timeout_ms);
  sending.retry_base = std::chrono::milliseconds(retry_base_ms);
  sending.retry_max = std::chrono::milliseconds(retry_max_ms);
  sending.log = options.log_requests;
  http::WebhookSender sender(**outbox, &Now, sending);

  auto accounts = storage::AccountStore::Open(path);
  if (!accounts.ok()) return Fail(accounts.status().message());

  http::Metrics metrics;
  http::AppDependencies dependencies{committer->get(), reads->get(), &Now, &metrics,
                                     &signing_key->key};
  dependencies.background = [&watcher = **watcher, &sender] {
    return http::BackgroundStats{watcher.stats(), sender.stats()};
  };
  dependencies.accounts = accounts->get();
  dependencies.public_origin = public_origin;
  http::App app(std::move(dependencies));
  auto server = http::Server::Start(options, app, metrics);
  if (!server.ok()) return Fail(server.status().message());

  const std::string url = "http://" + listen.substr(0, colon) + ":" +
                          std::to_string((*server)->port());
  std::cout << "navolg luistert op " << url << " (database " << path << ")\n"
            << "Exports worden ondertekend met " << key_path << " (key_id "
            << signing_key->key.public_key().id()
            << (signing_key->created ? ", nieuw aangemaakt" : "") << ")\n";
  if (!public_origin.empty()) std::cout << "Publiek adres: " << public_origin << "\n";
  PrintFirstStart(first, public_origin.empty() ? url : public_origin, path);
  std::cout.flush();
  const bool log_runs = options.log_requests;
  (*watcher)->Start(&Now, [&sender, log_runs](const storage::WatchRun& run) {
    if (!run.status.ok() || (log_runs && (run.missed > 0 || run.due_soon > 0))) LogWatchRun(run);
    if (run.missed > 0 || run.due_soon > 0) sender.Wake();
  });
  sender.Start();
  (*server)->Run();
  server->reset();  // all requests answered
  (*watcher)->Stop();
  sender.Stop();  // an attempt in flight is abandoned and retried at the next start
  (*committer)->Stop();  // all acknowledged commands are on disk
  std::cout << "navolg gestopt\n";
  return 0;
}

}  // namespace navolg
