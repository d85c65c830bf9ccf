#include "api/cli_store.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/args.h"
#include "api/signing_key_file.h"
#include "engine/audit_chain.h"
#include "api/webhook_url.h"
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/outbox.h"
#include "storage/read_store.h"

namespace navolg {
namespace {

constexpr const char* kOrgAddUsage =
    "gebruik: navolg org add [--db PATH] SLUG NAAM\n"
    "\n"
    "Maakt een organisatie aan. SLUG: kleine letters, cijfers en '-'. De database is --db,\n"
    "anders $NAVOLG_DB, anders ./data/navolg.db (wordt aangemaakt als die nog niet bestaat).\n";

constexpr const char* kOrgWebhookUsage =
    "gebruik: navolg org webhook [--db PATH] SLUG [URL | --remove]\n"
    "\n"
    "Zonder URL: toont de webhook van de organisatie. Met URL (http:// of https://): stelt hem\n"
    "in; navolg stuurt daar een JSON-bericht (POST) voor elke verlopen termijn\n"
    "(deadline.missed) en voor elke termijn die binnen 7 dagen verloopt (deadline.due_soon),\n"
    "met de kopregel Navolg-Message-Id, en herhaalt het tot de ontvanger 2xx antwoordt.\n"
    "Met --remove: verwijdert de webhook; berichten die nog niet zijn afgeleverd vervallen.\n";

constexpr const char* kUserAddUsage =
    "gebruik: navolg user add [--db PATH] --org SLUG --role ROL NAAM\n"
    "\n"
    "Maakt een gebruiker aan met rol bestuur, manager, adviseur, auditor of beheerder, en\n"
    "drukt als laatste regel het nieuwe bearer-token af. Het token wordt maar een keer\n"
    "getoond; navolg bewaart alleen een hash ervan.\n";

constexpr const char* kExportUsage =
    "gebruik: navolg audit export [--db PATH] --process ID [--out FILE] [--signing-key PATH]\n"
    "\n"
    "Schrijft het audittrail van een proces als JSON Lines (een gebeurtenis per regel, in de\n"
    "canonieke vorm) naar FILE of naar standaarduitvoer, met als laatste regel een checkpoint\n"
    "dat navolg met zijn Ed25519-sleutel ondertekent (docs/audit-format.md). De sleutel is\n"
    "--signing-key, anders $NAVOLG_SIGNING_KEY, anders navolg-signing.key in de map van de\n"
    "database; bestaat die nog niet, dan wordt hij aangemaakt (rechten 0600).\n"
    "Controleer de export met 'navolg audit verify FILE --key PUBLIEKE_SLEUTEL'.\n";

Time Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

int Usage(const char* usage, const std::optional<std::string>& error) {
  if (error) std::cerr << "navolg: " << *error << "\n\n";
  std::cerr << usage;
  return 2;
}

int Fail(const Status& status) {
  std::cerr << "navolg: " << status.message() << "\n";
  return 1;
}

// Opens the database for writing, creating its folder when needed.
Result<std::unique_ptr<SQLite::Database>> OpenDatabase(const std::string& path) {
  const auto folder = std::filesystem::path(path).parent_path();
  std::error_code ignored;
  if (!folder.empty()) std::filesystem::create_directories(folder, ignored);
  return storage::OpenForWriting({path});
}

}  // namespace

std::string DatabasePath(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("NAVOLG_DB"); env != nullptr && *env != '\0') return env;
  return "data/navolg.db";
}

int OrgAdd(const std::vector<std::string>& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db"});
  if (parsed.help) {
    std::cout << kOrgAddUsage;
    return 0;
  }
  if (parsed.error || parsed.positional.size() != 2) return Usage(kOrgAddUsage, parsed.error);
  auto db = OpenDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return Fail(db.status());
  auto organisation =
      storage::AddOrganisation(**db, parsed.positional[0], parsed.positional[1], Now());
  if (!organisation.ok()) return Fail(organisation.status());
  std::cout << "organisatie " << organisation->slug << " (" << organisation->name
            << ") aangemaakt\n";
  return 0;
}

int OrgWebhook(const std::vector<std::string>& args) {
  // --remove is a switch; ParseArgs knows only options with a value.
  std::vector<std::string> rest;
  bool remove = false;
  for (const std::string& arg : args) {
    if (arg == "--remove") {
      remove = true;
    } else {
      rest.push_back(arg);
    }
  }
  ParsedArgs parsed = ParseArgs(rest, {"--db"});
  if (parsed.help) {
    std::cout << kOrgWebhookUsage;
    return 0;
  }
  if (!parsed.error && remove && parsed.positional.size() == 2) {
    parsed.error = "geef een URL of --remove, niet allebei";
  }
  if (parsed.error || parsed.positional.empty() || parsed.positional.size() > 2) {
    return Usage(kOrgWebhookUsage, parsed.error);
  }
  const std::string& slug = parsed.positional[0];
  std::optional<std::string> url;
  if (parsed.positional.size() == 2) {
    auto checked = http::ParseWebhookUrl(parsed.positional[1]);
    if (!checked.ok()) return Fail(checked.status());
    url = parsed.positional[1];
  }
  const std::string path = DatabasePath(parsed.Option("--db"));
  if (!std::filesystem::exists(path)) {
    return Fail(Status(Code::kNotFound, "database '" + path + "' bestaat niet"));
  }
  auto db = storage::OpenForWriting({path});
  if (!db.ok()) return Fail(db.status());
  if (!url && !remove) {
    auto current = storage::FindWebhookUrl(**db, slug);
    if (!current.ok()) return Fail(current.status());
    std::cout << (*current ? "webhook van " + slug + ": " + **current
                           : "organisatie " + slug + " heeft geen webhook")
              << "\n";
    return 0;
  }
  auto dropped = storage::SetWebhookUrl(**db, slug, url);
  if (!dropped.ok()) return Fail(dropped.status());
  if (url) {
    std::cout << "webhook van " << slug << " ingesteld op " << *url << "\n";
  } else {
    std::cout << "webhook van " << slug << " verwijderd";
    if (*dropped > 0) std::cout << "; " << *dropped << " niet afgeleverde berichten vervallen";
    std::cout << "\n";
  }
  return 0;
}

int UserAdd(const std::vector<std::string>& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--org", "--role"});
  if (parsed.help) {
    std::cout << kUserAddUsage;
    return 0;
  }
  if (!parsed.error && (parsed.Option("--org").empty() || parsed.Option("--role").empty())) {
    parsed.error = "--org en --role zijn verplicht";
  }
  if (parsed.error || parsed.positional.size() != 1) return Usage(kUserAddUsage, parsed.error);
  auto db = OpenDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return Fail(db.status());
  const std::string token = storage::NewToken();
  auto user = storage::AddUser(**db, parsed.Option("--org"), parsed.Option("--role"),
                               parsed.positional[0], token, Now());
  if (!user.ok()) return Fail(user.status());
  std::cout << "gebruiker " << user->name << " (" << user->role << ", " << user->organisation_slug
            << ") aangemaakt met id " << user->id << "\n"
            << "bewaar dit token; het wordt niet opnieuw getoond:\n"
            << token << "\n";
  return 0;
}

int AuditExport(const std::vector<std::string>& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--process", "--out", "--signing-key"});
  if (parsed.help) {
    std::cout << kExportUsage;
    return 0;
  }
  if (!parsed.error && parsed.Option("--process").empty()) parsed.error = "--process is verplicht";
  if (parsed.error || !parsed.positional.empty()) return Usage(kExportUsage, parsed.error);
  const std::string path = DatabasePath(parsed.Option("--db"));
  if (!std::filesystem::exists(path)) {
    return Fail(Status(Code::kNotFound, "database '" + path + "' bestaat niet"));
  }
  auto db = storage::OpenForWriting({path});  // brings an older schema up to date first
  if (!db.ok()) return Fail(db.status());
  auto catalog = storage::WorkflowCatalog::Load(**db);
  if (!catalog.ok()) return Fail(catalog.status());
  auto reads = storage::ReadStore::Open(path, *catalog);
  if (!reads.ok()) return Fail(reads.status());
  const std::string key_path = SigningKeyPath(parsed.Option("--signing-key"), path);
  auto signing_key = LoadOrCreateSigningKey(key_path);
  if (!signing_key.ok()) return Fail(signing_key.status());
  if (signing_key->created) {
    std::cerr << "navolg: nieuwe ondertekensleutel aangemaakt in " << key_path << " (key_id "
              << signing_key->key.public_key().id() << ")\n";
  }
  std::ostringstream trail;
  Status status = (*reads)->ExportTrail(0, parsed.Option("--process"), trail);
  if (!status.ok()) return Fail(status);
  std::string text = trail.str();
  auto checkpoint = CheckpointLineForExport(text, signing_key->key, Now());
  // A stored chain that is not intact is still exported, as evidence, but never signed.
  if (checkpoint.ok()) text += *checkpoint;
  if (!checkpoint.ok() && checkpoint.status().code() != Code::kDataLoss) {
    return Fail(checkpoint.status());
  }

  const std::string out_path = parsed.Option("--out");
  std::ofstream file;
  if (!out_path.empty()) {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status(Code::kUnavailable, "kan '" + out_path + "' niet schrijven"));
  }
  std::ostream& out = out_path.empty() ? std::cout : file;
  out << text;
  out.flush();
  if (!out) return Fail(Status(Code::kUnavailable, "de export kon niet worden geschreven"));
  return checkpoint.ok() ? 0 : Fail(checkpoint.status());
}

}  // namespace navolg
