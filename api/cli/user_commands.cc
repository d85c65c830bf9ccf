// navolg user add, passwd, email, list, disable and enable. Changes are written to the
// organisation's security log as made from the command line (no actor, no address).
#include <cstdio>
#include <iostream>
#include <string>

#include "api/cli/args.h"
#include "api/cli/command_support.h"
#include "api/cli/commands.h"
#include "api/cli/password_prompt.h"
#include "engine/role.h"
#include "storage/account_store.h"
#include "storage/clock.h"
#include "storage/directory.h"
#include "storage/password.h"

namespace navolg::cli {
namespace {

// The roles a user can have come from engine/role.h, not from this text.
std::string UserAddUsage() {
  return "gebruik: navolg user add [--db PATH] --org SLUG --role ROL [--password-stdin]\n"
         "                       [--email ADRES] NAAM\n"
         "\n"
         "Maakt een gebruiker aan met rol " +
         JoinRoleNames(UserRoles(), " of ") +
         ",\n"
         "en drukt als laatste regel het nieuwe bearer-token af. Het token wordt maar een keer\n"
         "getoond; navolg bewaart alleen een hash ervan.\n"
         "\n"
         "Met --password-stdin krijgt de gebruiker ook een wachtwoord om in de browser aan te\n"
         "melden: de eerste regel van standaardinvoer (op een terminal wordt het twee keer\n"
         "gevraagd, zonder het te tonen). Minstens 12 tekens; navolg bewaart alleen een trage,\n"
         "gezouten hash (PBKDF2-SHA256, 600.000 rondes).\n"
         "\n"
         "Met --email krijgt de gebruiker een e-mailadres (niet verplicht), zoals\n"
         "naam@organisatie.nl.\n";
}

constexpr const char* kUserEmailUsage =
    "gebruik: navolg user email [--db PATH] --org SLUG [--email ADRES | --remove] NAAM\n"
    "\n"
    "Toont het e-mailadres van de gebruiker NAAM van organisatie SLUG; met --email stelt u\n"
    "een nieuw adres in (zoals naam@organisatie.nl), met --remove verwijdert u het. De\n"
    "wijziging staat in het beveiligingslog.\n";

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
    "geldige tokens, het e-mailadres (- als er geen is), of de gebruiker actief is, en de\n"
    "naam.\n";

constexpr const char* kUserDisableUsage =
    "gebruik: navolg user disable [--db PATH] --org SLUG NAAM\n"
    "\n"
    "Deactiveert de gebruiker NAAM van organisatie SLUG: aanmelden met een wachtwoord wordt\n"
    "geweigerd, lopende sessies worden beeindigd en tokens ingetrokken, meteen. De naam\n"
    "blijft in elk audittrail en rapport staan. De laatste actieve beheerder kan niet worden\n"
    "gedeactiveerd. Terugdraaien met navolg user enable.\n";

constexpr const char* kUserEnableUsage =
    "gebruik: navolg user enable [--db PATH] --org SLUG NAAM\n"
    "\n"
    "Activeert een gedeactiveerde gebruiker weer: aanmelden met het wachtwoord kan weer.\n"
    "Ingetrokken tokens blijven ingetrokken; geef zo nodig een nieuw token uit.\n";

// The database and the user NAME of --org of a user disable or enable command line.
struct NamedUser {
  storage::ConnectionHandle db;
  storage::User user;
};

Result<NamedUser> OpenNamedUser(const ParsedArgs& parsed) {
  auto db = OpenExistingDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return db.status();
  auto user = storage::FindUserByName(**db, parsed.Option("--org"), parsed.positional[0]);
  if (!user.ok()) return user.status();
  return NamedUser{std::move(*db), std::move(*user)};
}

}  // namespace

int UserAdd(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--org", "--role", "--email"}, {"--password-stdin"});
  if (parsed.help) {
    std::cout << UserAddUsage();
    return 0;
  }
  if (!parsed.error && (parsed.Option("--org").empty() || parsed.Option("--role").empty())) {
    parsed.error = "--org en --role zijn verplicht";
  }
  if (parsed.error || parsed.positional.size() != 1)
    return Usage(UserAddUsage().c_str(), parsed.error);
  // The password first: bad input must leave no user behind.
  std::string password_hash;
  if (parsed.Flag("--password-stdin")) {
    auto password = ReadNewPassword();
    if (!password.ok()) return Fail(password.status());
    auto hash = storage::HashPassword(*password);
    if (!hash.ok()) return Fail(hash.status());
    password_hash = std::move(*hash);
  }
  auto db = OpenDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return Fail(db.status());
  auto token = storage::NewToken();
  if (!token.ok()) return Fail(token.status());
  auto user = storage::CreateAccount(**db, parsed.Option("--org"), parsed.Option("--role"),
                                     parsed.positional[0], *token, storage::WallClockNow(),
                                     password_hash, {}, parsed.Option("--email"));
  if (!user.ok()) return Fail(user.status());
  std::cout << "gebruiker " << user->name << " (" << user->role << ", " << user->organisation_slug
            << ") aangemaakt met id " << user->id
            << (password_hash.empty() ? " (zonder wachtwoord)" : " en een wachtwoord") << "\n"
            << "bewaar dit token; het wordt niet opnieuw getoond:\n"
            << *token << "\n";
  return 0;
}

int UserPasswd(const Args& args) {
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
  auto hash = storage::HashPassword(*password);
  if (!hash.ok()) return Fail(hash.status());
  auto ended = storage::ReplacePassword(**db, *user, *hash, storage::WallClockNow());
  if (!ended.ok()) return Fail(ended.status());
  std::cout << "wachtwoord van " << user->name << " (" << user->organisation_slug << ") ingesteld; "
            << *ended << (*ended == 1 ? " sessie" : " sessies") << " beeindigd\n";
  return 0;
}

int UserEmail(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--org", "--email"}, {"--remove"});
  if (parsed.help) {
    std::cout << kUserEmailUsage;
    return 0;
  }
  const bool setting = parsed.options.contains("--email");
  if (!parsed.error && parsed.Option("--org").empty()) parsed.error = "--org is verplicht";
  if (!parsed.error && setting && parsed.Flag("--remove")) {
    parsed.error = "--email en --remove gaan niet samen";
  }
  if (parsed.error || parsed.positional.size() != 1) return Usage(kUserEmailUsage, parsed.error);
  auto named = OpenNamedUser(parsed);
  if (!named.ok()) return Fail(named.status());
  const std::string who = named->user.name + " (" + named->user.organisation_slug + ")";
  if (!setting && !parsed.Flag("--remove")) {
    auto listing = storage::GetUserListing(*named->db, named->user.organisation, named->user.id,
                                           storage::WallClockNow());
    if (!listing.ok()) return Fail(listing.status());
    std::cout << (listing->email.empty() ? who + " heeft geen e-mailadres" : listing->email)
              << "\n";
    return 0;
  }
  auto stored = storage::ReplaceEmail(*named->db, named->user, parsed.Option("--email"),
                                      storage::WallClockNow());
  if (!stored.ok()) return Fail(stored.status());
  std::cout << (stored->empty() ? "e-mailadres van " + who + " verwijderd"
                                : "e-mailadres van " + who + " ingesteld: " + *stored)
            << "\n";
  return 0;
}

int UserList(const Args& args) {
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
  auto scope = storage::OrganisationScope::Of(organisation->id);
  if (!scope.ok()) return Fail(scope.status());
  auto users = storage::ListUsers(**db, *scope, storage::WallClockNow());
  if (!users.ok()) return Fail(users.status());
  std::cout << "id                  rol        wachtwoord  tokens  e-mail                    "
               "actief  naam\n";
  for (const storage::UserListing& listing : *users) {
    std::printf("%-19s %-10s %-11s %6lld  %-24s  %-6s  %s\n", listing.user.id.c_str(),
                listing.user.role.c_str(), listing.has_password ? "ja" : "nee",
                static_cast<long long>(listing.active_tokens),
                listing.email.empty() ? "-" : listing.email.c_str(),
                listing.deactivated_at.empty() ? "ja" : "nee", listing.user.name.c_str());
  }
  std::fflush(stdout);
  return 0;
}

int UserDisable(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--org"});
  if (parsed.help) {
    std::cout << kUserDisableUsage;
    return 0;
  }
  if (!parsed.error && parsed.Option("--org").empty()) parsed.error = "--org is verplicht";
  if (parsed.error || parsed.positional.size() != 1) return Usage(kUserDisableUsage, parsed.error);
  auto named = OpenNamedUser(parsed);
  if (!named.ok()) return Fail(named.status());
  auto done = storage::DeactivateAccount(*named->db, named->user, storage::WallClockNow());
  if (!done.ok()) return Fail(done.status());
  if (!done->changed) {
    std::cout << named->user.name << " (" << named->user.organisation_slug
              << ") was al gedeactiveerd\n";
    return 0;
  }
  std::cout << named->user.name << " (" << named->user.organisation_slug << ") gedeactiveerd; "
            << done->ended.sessions << (done->ended.sessions == 1 ? " sessie" : " sessies")
            << " beeindigd, " << done->ended.tokens
            << (done->ended.tokens == 1 ? " token" : " tokens") << " ingetrokken\n";
  return 0;
}

int UserEnable(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--org"});
  if (parsed.help) {
    std::cout << kUserEnableUsage;
    return 0;
  }
  if (!parsed.error && parsed.Option("--org").empty()) parsed.error = "--org is verplicht";
  if (parsed.error || parsed.positional.size() != 1) return Usage(kUserEnableUsage, parsed.error);
  auto named = OpenNamedUser(parsed);
  if (!named.ok()) return Fail(named.status());
  auto done = storage::ActivateAccount(*named->db, named->user, storage::WallClockNow());
  if (!done.ok()) return Fail(done.status());
  std::cout << named->user.name << " (" << named->user.organisation_slug << ") "
            << (*done ? "geactiveerd; aanmelden met het wachtwoord kan weer (tokens blijven "
                        "ingetrokken)"
                      : "was al actief")
            << "\n";
  return 0;
}

}  // namespace navolg::cli
