#include "api/serve_settings.h"

#include <cerrno>
#include <cstdlib>
#include <set>

#include "api/cli/args.h"
#include "api/cli/command_support.h"
#include "api/http/authentication.h"
#include "api/http/client_address.h"

namespace navolg {
namespace {

constexpr const char* kServeUsage =
    "gebruik: navolg serve [OPTIES]\n"
    "\n"
    "Start de navolg-server. Elke optie kan ook als omgevingsvariabele:\n"
    "  --db PATH                  NAVOLG_DB               database: het pad van een\n"
    "                                                     SQLite-bestand (standaard\n"
    "                                                     data/navolg.db)\n"
    "  --listen HOST:PORT         NAVOLG_LISTEN           adres (standaard 127.0.0.1:8080)\n"
    "  --durability full|normal   NAVOLG_DURABILITY       full (standaard): elke bevestigde\n"
    "                                                     opdracht overleeft stroomuitval\n"
    "  --io-threads N             NAVOLG_IO_THREADS       netwerkthreads (standaard 2)\n"
    "  --handler-threads N        NAVOLG_HANDLER_THREADS  verzoeken tegelijk (standaard 64)\n"
    "  --read-timeout-ms N        NAVOLG_READ_TIMEOUT_MS  tijd om een verzoek te lezen\n"
    "                                                     (standaard 10000)\n"
    "  --max-connections N        NAVOLG_MAX_CONNECTIONS  open verbindingen (standaard 1024);\n"
    "                                                     vanaf 3/4 daarvan krijgt een\n"
    "                                                     wachtende verbinding 1 s voor haar\n"
    "                                                     eerste byte, en bij het maximum maakt\n"
    "                                                     de oudste wachtende plaats\n"
    "  --max-connections-per-address N\n"
    "                             NAVOLG_MAX_CONNECTIONS_PER_ADDRESS\n"
    "                                                     open verbindingen per IPv4-adres of\n"
    "                                                     IPv6-/64 (standaard 64); daarboven\n"
    "                                                     503; een vertrouwde proxy telt niet\n"
    "  --trusted-proxy ADRES[,ADRES...]\n"
    "                             NAVOLG_TRUSTED_PROXIES  reverse proxy's (adres of blok, zoals\n"
    "                                                     10.0.0.0/8) waarvan navolg het\n"
    "                                                     clientadres uit de kopregel gelooft\n"
    "                                                     (standaard: geen)\n"
    "  --forwarded-header x-forwarded-for|forwarded\n"
    "                             NAVOLG_FORWARDED_HEADER welke kopregel die proxy's zetten\n"
    "                                                     (standaard x-forwarded-for)\n"
    "  --log on|off               NAVOLG_LOG              een JSON-regel per verzoek op stderr\n"
    "  --metrics-token TOKEN      NAVOLG_METRICS_TOKEN    alleen wie dit token meestuurt\n"
    "                                                     (Authorization: Bearer) leest\n"
    "                                                     /metrics (standaard: niemand)\n"
    "  --metrics-listen HOST:PORT NAVOLG_METRICS_LISTEN   een apart adres voor de beheerder dat\n"
    "                                                     alleen /metrics serveert, zonder\n"
    "                                                     token (standaard: geen)\n"
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
    "  --first-password-file PATH NAVOLG_FIRST_PASSWORD_FILE\n"
    "                                                     op een lege database: schrijf het\n"
    "                                                     eerste wachtwoord en token van de\n"
    "                                                     beheerder in dit nieuwe bestand\n"
    "                                                     (rechten 0600) in plaats van op de\n"
    "                                                     uitvoer, die onder systemd of in een\n"
    "                                                     container een bewaard logboek is\n"
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
    "  --demo                                             vult een nieuwe database met een\n"
    "                                                     voorbeeld: organisatie\n"
    "                                                     'voorbeeldgemeente', een gebruiker per\n"
    "                                                     rol en drie processen\n"
    "\n"
    "Op een lege database maakt navolg de organisatie 'demo' en een beheerder aan en drukt\n"
    "het adres, een eerste wachtwoord en het token van die beheerder af (of schrijft ze in\n"
    "--first-password-file). Stopt netjes op SIGINT en SIGTERM: lopende verzoeken worden\n"
    "afgemaakt en alle bevestigde opdrachten staan op schijf.\n"
    "\n"
    "Webhooks per organisatie stelt u in met 'navolg org webhook'; berichten over verlopen en\n"
    "bijna verlopen termijnen gaan op de achtergrond en worden herhaald tot ze aankomen.\n";

// One setting: its flag and environment variable, for reading and for naming it in errors.
struct Setting {
  const char* flag;
  const char* env;
};

constexpr Setting kDb{"--db", "NAVOLG_DB"};
constexpr Setting kListen{"--listen", "NAVOLG_LISTEN"};
constexpr Setting kDurability{"--durability", "NAVOLG_DURABILITY"};
constexpr Setting kIoThreads{"--io-threads", "NAVOLG_IO_THREADS"};
constexpr Setting kHandlerThreads{"--handler-threads", "NAVOLG_HANDLER_THREADS"};
constexpr Setting kReadTimeout{"--read-timeout-ms", "NAVOLG_READ_TIMEOUT_MS"};
constexpr Setting kMaxConnections{"--max-connections", "NAVOLG_MAX_CONNECTIONS"};
constexpr Setting kLog{"--log", "NAVOLG_LOG"};
constexpr Setting kPublicUrl{"--public-url", "NAVOLG_PUBLIC_URL"};
constexpr Setting kSigningKey{"--signing-key", "NAVOLG_SIGNING_KEY"};
constexpr Setting kWatchInterval{"--watch-interval", "NAVOLG_WATCH_INTERVAL"};
constexpr Setting kWebhookTimeout{"--webhook-timeout-ms", "NAVOLG_WEBHOOK_TIMEOUT_MS"};
constexpr Setting kRetryBase{"--webhook-retry-base-ms", "NAVOLG_WEBHOOK_RETRY_BASE_MS"};
constexpr Setting kRetryMax{"--webhook-retry-max-ms", "NAVOLG_WEBHOOK_RETRY_MAX_MS"};
constexpr Setting kMetricsToken{"--metrics-token", "NAVOLG_METRICS_TOKEN"};
constexpr Setting kMetricsListen{"--metrics-listen", "NAVOLG_METRICS_LISTEN"};
constexpr Setting kMaxPerAddress{"--max-connections-per-address",
                                 "NAVOLG_MAX_CONNECTIONS_PER_ADDRESS"};
constexpr Setting kTrustedProxy{"--trusted-proxy", "NAVOLG_TRUSTED_PROXIES"};
constexpr Setting kForwardedHeader{"--forwarded-header", "NAVOLG_FORWARDED_HEADER"};
constexpr Setting kFirstPasswordFile{"--first-password-file", "NAVOLG_FIRST_PASSWORD_FILE"};

constexpr Setting kAll[] = {kDb,
                            kListen,
                            kDurability,
                            kIoThreads,
                            kHandlerThreads,
                            kReadTimeout,
                            kMaxConnections,
                            kLog,
                            kPublicUrl,
                            kSigningKey,
                            kWatchInterval,
                            kWebhookTimeout,
                            kRetryBase,
                            kRetryMax,
                            kMetricsToken,
                            kMetricsListen,
                            kMaxPerAddress,
                            kTrustedProxy,
                            kForwardedHeader,
                            kFirstPasswordFile};

// Reads each setting from its flag, else its environment variable, else its default. The
// first wrong value is kept as the error; later reads still return something to go on with.
class SettingReader {
 public:
  SettingReader(const ParsedArgs& args, const Environment& environment)
      : args_(args), environment_(environment) {}

  const Status& error() const { return error_; }

  std::string Text(const Setting& setting, const std::string& fallback) const {
    if (auto it = args_.options.find(setting.flag); it != args_.options.end()) return it->second;
    const char* from_env = environment_ ? environment_(setting.env) : nullptr;
    if (from_env != nullptr && *from_env != '\0') return from_env;
    return fallback;
  }

  // A whole number in [min, max].
  long Count(const Setting& setting, long fallback, long min, long max) {
    const std::string text = Text(setting, std::to_string(fallback));
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE || value < min || value > max) {
      Wrong(setting, "'" + text + "' is geen geheel getal van " + std::to_string(min) +
                         " tot en met " + std::to_string(max));
      return fallback;
    }
    return value;
  }

  // One of two words: true for `first`.
  bool Choice(const Setting& setting, const char* first, const char* second, const char* fallback) {
    const std::string text = Text(setting, fallback);
    if (text != first && text != second) {
      Wrong(setting, "'" + text + "' is niet " + first + " of " + second);
    }
    return text == first;
  }

  void Wrong(const Setting& setting, const std::string& why) {
    if (error_.ok()) {
      error_ = Status(Code::kInvalidArgument, std::string("ongeldige instelling ") + setting.flag +
                                                  " (" + setting.env + "): " + why);
    }
  }

 private:
  const ParsedArgs& args_;
  const Environment& environment_;
  Status error_ = Status::Ok();
};

// HOST:PORT, with [::1]:PORT for IPv6, into `options`; false (and the reader's error) when
// it is not one.
bool ReadHostPort(SettingReader& reader, const Setting& setting, const std::string& text,
                  http::ServerOptions& options) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    reader.Wrong(setting, "'" + text + "' is geen HOST:PORT");
    return false;
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = text.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    reader.Wrong(setting, "poort '" + port_text + "' is geen getal van 0 tot en met 65535");
    return false;
  }
  options.host = host;
  options.port = static_cast<std::uint16_t>(port);
  return true;
}

// The database address, checked as every command checks it (cli::UsableDatabaseAddress):
// refused here, before anything is opened or created, when it has another scheme or names a
// backend this build lacks.
void ReadDatabase(SettingReader& reader, ServeSettings& settings) {
  auto address = cli::UsableDatabaseAddress(reader.Text(kDb, "data/navolg.db"));
  if (!address.ok()) {
    reader.Wrong(kDb, address.status().message());
    return;
  }
  settings.database = address->text;
}

void ReadListen(SettingReader& reader, ServeSettings& settings) {
  settings.listen = reader.Text(kListen, "127.0.0.1:8080");
  ReadHostPort(reader, kListen, settings.listen, settings.server);
}

// Which proxies are trusted and which header they set.
void ReadForwarding(SettingReader& reader, http::ServerOptions& server) {
  auto ranges = http::ParseTrustedProxies(reader.Text(kTrustedProxy, ""));
  if (ranges.ok()) {
    server.trusted_proxies.ranges = std::move(*ranges);
  } else {
    reader.Wrong(kTrustedProxy, ranges.status().message());
  }
  server.trusted_proxies.header =
      reader.Choice(kForwardedHeader, "forwarded", "x-forwarded-for", "x-forwarded-for")
          ? http::ForwardedHeader::kForwarded
          : http::ForwardedHeader::kXForwardedFor;
}

// The operator's listener: small, its own port, only /metrics.
void ReadMetricsListen(SettingReader& reader, ServeSettings& settings) {
  settings.metrics_listen = reader.Text(kMetricsListen, "");
  if (settings.metrics_listen.empty()) return;
  http::ServerOptions options;
  options.io_threads = 1;
  options.handler_threads = 2;
  options.max_connections = 16;
  options.max_connections_per_address = 16;
  options.read_timeout = settings.server.read_timeout;
  options.log_requests = settings.server.log_requests;
  options.handle_signals = false;  // the public listener's stop stops this one
  options.operator_only = true;
  if (ReadHostPort(reader, kMetricsListen, settings.metrics_listen, options)) {
    settings.metrics_server = options;
  }
}

Result<ServeSettings> Read(SettingReader& reader) {
  using std::chrono::milliseconds;
  ServeSettings settings;
  ReadDatabase(reader, settings);
  ReadListen(reader, settings);
  settings.durability = reader.Choice(kDurability, "full", "normal", "full")
                            ? storage::Durability::kFull
                            : storage::Durability::kNormal;
  settings.server.log_requests = reader.Choice(kLog, "on", "off", "on");
  settings.sending.log = settings.server.log_requests;
  settings.server.io_threads = static_cast<int>(reader.Count(kIoThreads, 2, 1, 64));
  settings.server.handler_threads = static_cast<int>(reader.Count(kHandlerThreads, 64, 1, 1024));
  settings.server.read_timeout = milliseconds(reader.Count(kReadTimeout, 10'000, 100, 600'000));
  settings.server.max_connections =
      static_cast<std::size_t>(reader.Count(kMaxConnections, 1024, 1, 100'000));
  settings.server.max_connections_per_address =
      static_cast<std::size_t>(reader.Count(kMaxPerAddress, 64, 1, 100'000));
  ReadForwarding(reader, settings.server);
  settings.watch_interval = std::chrono::seconds(reader.Count(kWatchInterval, 60, 1, 86'400));
  settings.sending.timeout = milliseconds(reader.Count(kWebhookTimeout, 10'000, 100, 120'000));
  const long retry_base = reader.Count(kRetryBase, 5'000, 10, 86'400'000);
  settings.sending.retry_base = milliseconds(retry_base);
  // The longest wait is never shorter than the first.
  settings.sending.retry_max =
      milliseconds(reader.Count(kRetryMax, 3'600'000, retry_base, 86'400'000));
  if (const std::string url = reader.Text(kPublicUrl, ""); !url.empty()) {
    auto origin = http::PublicOrigin(url);
    if (origin.ok()) {
      settings.public_origin = std::move(*origin);
    } else {
      reader.Wrong(kPublicUrl, origin.status().message());
    }
  }
  settings.signing_key_option = reader.Text(kSigningKey, "");
  settings.metrics_token = reader.Text(kMetricsToken, "");
  ReadMetricsListen(reader, settings);
  settings.first_password_file = reader.Text(kFirstPasswordFile, "");
  if (!reader.error().ok()) return reader.error();
  return settings;
}

}  // namespace

const char* ServeUsage() { return kServeUsage; }

Result<ServeSettings> ParseServeSettings(const std::vector<std::string>& argv,
                                         const Environment& environment) {
  std::set<std::string> flags;
  for (const Setting& setting : kAll) flags.insert(setting.flag);
  const ParsedArgs args = ParseArgs(argv, flags, {"--demo"});
  if (args.help) {
    ServeSettings help;
    help.show_help = true;
    return help;
  }
  if (args.error) return Status(Code::kInvalidArgument, *args.error);
  if (!args.positional.empty()) {
    return Status(Code::kInvalidArgument, "onverwacht argument '" + args.positional[0] + "'");
  }
  SettingReader reader(args, environment);
  auto settings = Read(reader);
  if (settings.ok()) settings->demo = args.flags.contains("--demo");
  return settings;
}

}  // namespace navolg
