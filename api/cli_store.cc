#include "api/cli_store.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/args.h"
#include "api/password_prompt.h"
#include "api/signing_key_file.h"
#include "engine/audit_chain.h"
#include "api/webhook_url.h"
#include "storage/account_store.h"
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/outbox.h"
#include "storage/password.h"
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
    "gebruik: navolg user add [--db PATH] --org SLUG --role ROL [--password-stdin] NAAM\n"
    "\n"
    "Maakt een gebruiker aan met rol bestuur, manager, adviseur, auditor of beheerder, en\n"
    "drukt als laatste regel het nieuwe bearer-token af. Het token wordt maar een keer\n"
    "getoond; navolg bewaart alleen een hash ervan.\n"
    "\n"
    "Met --password-stdin krijgt de gebruiker ook een wachtwoord om in de browser aan te\n"
    "melden: de eerste regel van standaardinvoer (op een terminal wordt het twee keer\n"
    "gevraagd, zonder het te tonen). Minstens 12 tekens; navolg bewaart alleen een trage,\n"
    "gezouten hash (PBKDF2-SHA256, 600.000 rondes).\n";

constexpr const char* kUserPasswdUsage =
    "gebruik: navolg user passwd [--db PATH] --org SLUG NAAM\n"
    "\n"
    "Stelt een nieuw wachtwoord in voor de gebruiker NAAM van organisatie SLUG: de eerste\n"
    "regel van standaardinvoer (op een terminal wordt het twee keer gevraagd, zonder het te\n"
    "tonen). Minstens 12 tekens. Lopende sessies van de gebruiker worden beeindigd en\n"
    "mislukte aanmeldpogingen vergeten.\n";

constexpr const char* kUserListUsage =
    "gebruik: navolg user list [--db PATH] --org SLUG\n"
    "\n"
    "Toont de gebruikers van organisatie SLUG: id, rol, of er een wachtwoord is, het aantal\n"
    "geldige tokens, en de naam.\n";

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

// Opens an existing database for writing; a command that only changes users never creates
// one (a mistyped --db would otherwise leave an empty database behind).
Result<std::unique_ptr<SQLite::Database>> OpenExistingDatabase(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return Status(Code::kNotFound, "database '" + path + "' bestaat niet");
  }
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
  ParsedArgs parsed = ParseArgs(args, {"--db", "--org", "--role"}, {"--password-stdin"});
  if (parsed.help) {
    std::cout << kUserAddUsage;
    return 0;
  }
  if (!parsed.error && (parsed.Option("--org").empty() || parsed.Option("--role").empty())) {
    parsed.error = "--org en --role zijn verplicht";
  }
  if (parsed.error || parsed.positional.size() != 1) return Usage(kUserAddUsage, parsed.error);
  // The password first: bad input must leave no user behind.
  std::string password_hash;
  if (parsed.Flag("--password-stdin")) {
    auto password = ReadNewPassword();
    if (!password.ok()) return Fail(password.status());
    password_hash = storage::HashPassword(*password);
  }
  auto db = OpenDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return Fail(db.status());
  const std::string token = storage::NewToken();
  auto user = storage::AddUser(**db, parsed.Option("--org"), parsed.Option("--role"),
                               parsed.positional[0], token, Now(), password_hash);
  if (!user.ok()) return Fail(user.status());
  std::cout << "gebruiker " << user->name << " (" << user->role << ", " << user->organisation_slug
            << ") aangemaakt met id " << user->id
            << (password_hash.empty() ? " (zonder wachtwoord)" : " en een wachtwoord") << "\n"
            << "bewaar dit token; het wordt niet opnieuw getoond:\n"
            << token << "\n";
  return 0;
}

int UserPasswd(const std::vector<std::string>& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--org"});
  if (parsed.help) {
    std::cout << kUserPasswdUsage;
    return 0;
  }
  if (!parsed.error && parsed.Option("--org").empty()) parsed.error = "--org is verplicht";
  if (parsed.error || parsed.positional.size() != 1) return Usage(kUserPasswdUsage, parsed.error);
  auto db = OpenExistingDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return Fail(db.status());
  auto user = storage::FindUserByName(**db, parsed.Option("--org"), parsed.positional[0]);
  if (!user.ok()) return Fail(user.status());
  auto password = ReadNewPassword();
  if (!password.ok()) return Fail(password.status());
  auto ended = storage::ReplacePassword(**db, *user, storage::HashPassword(*password), Now());
  if (!ended.ok()) return Fail(ended.status());
  std::cout << "wachtwoord van " << user->name << " (" << user->organisation_slug
            << ") ingesteld; " << *ended << (*ended == 1 ? " sessie" : " sessies")
            << " beeindigd\n";
  return 0;
}

int UserList(const std::vector<std::string>& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--org"});
  if (parsed.help) {
    std::cout << kUserListUsage;
    return 0;
  }
  if (!parsed.error && parsed.Option("--org").empty()) parsed.error = "--org is verplicht";
  if (parsed.error || !parsed.positional.empty()) return Usage(kUserListUsage, parsed.error);
  auto db = OpenExistingDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return Fail(db.status());
  auto organisation = storage::FindOrganisation(**db, parsed.Option("--org"));
  if (!organisation.ok()) return Fail(organisation.status());
  auto users = storage::ListUsers(**db, organisation->id, Now());
  if (!users.ok()) return Fail(users.status());
  std::cout << "id                  rol        wachtwoord  tokens  naam\n";
  for (const storage::UserListing& listing : *users) {
    std::printf("%-19s %-10s %-11s %6lld  %s\n", listing.user.id.c_str(),
                listing.user.role.c_str(), listing.has_password ? "ja" : "nee",
                static_cast<long long>(listing.active_tokens), listing.user.name.c_str());
  }
  std::fflush(stdout);
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
