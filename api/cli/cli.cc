#include "api/cli/cli.h"

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "api/cli/command_support.h"
#include "api/cli/commands.h"

namespace navolg {
namespace {

using cli::IsHelp;
using cli::Usage;

constexpr const char* kUsage =
    "navolg: participatieprocessen zorgvuldig en navolgbaar\n"
    "\n"
    "gebruik:\n"
    "  navolg serve [OPTIES]         de server starten (zie navolg serve --help)\n"
    "  navolg check FILE...          workflowdefinities controleren\n"
    "  navolg org add SLUG NAAM      een organisatie aanmaken\n"
    "  navolg org webhook SLUG [URL | --remove]\n"
    "                                de webhook van een organisatie tonen, instellen of\n"
    "                                verwijderen\n"
    "  navolg user add --org SLUG --role ROL [--password-stdin] [--email ADRES] NAAM\n"
    "                                een gebruiker aanmaken; drukt het token af\n"
    "  navolg user passwd --org SLUG NAAM\n"
    "                                een wachtwoord instellen (van standaardinvoer)\n"
    "  navolg user email --org SLUG [--email ADRES | --remove] NAAM\n"
    "                                het e-mailadres van een gebruiker tonen, instellen of\n"
    "                                verwijderen\n"
    "  navolg user list --org SLUG   de gebruikers van een organisatie tonen\n"
    "  navolg user disable --org SLUG NAAM\n"
    "                                een gebruiker deactiveren (wachtwoord, sessies en\n"
    "                                tokens meteen geweigerd)\n"
    "  navolg user enable --org SLUG NAAM\n"
    "                                een gedeactiveerde gebruiker weer activeren\n"
    "  navolg audit export --process ID [--out FILE] [--signing-key PATH]\n"
    "                                het audittrail van een proces exporteren (JSON Lines),\n"
    "                                met een ondertekend checkpoint als laatste regel\n"
    "  navolg audit verify FILE [--key OPENBARE_SLEUTEL]\n"
    "                                een geexporteerd audittrail controleren\n"
    "  navolg audit check [--process ID]\n"
    "                                de hashketens en opgeslagen standen in de database\n"
    "                                controleren; beschadigde processen markeren\n"
    "  navolg backup --out BESTAND   een reservekopie van de database maken, ook terwijl\n"
    "                                navolg serve draait (BESTAND nieuw, rechten 0600)\n"
    "  navolg backup verify BESTAND  een reservekopie controleren: elke hashketen en elke\n"
    "                                opgeslagen stand\n"
    "  navolg db copy --from DATABASE --to DATABASE\n"
    "                                een hele database kopieren naar een lege, van SQLite\n"
    "                                naar PostgreSQL of terug, en de kopie controleren\n"
    "\n"
    "Opdrachten met een database nemen --db PATH, anders $NAVOLG_DB, anders ./data/navolg.db:\n"
    "het pad van een SQLite-bestand of een postgresql://-adres (een adres als mysql://...\n"
    "wordt geweigerd).\n"
    "  navolg --help                 deze hulp\n"
    "\n"
    "Elke opdracht heeft --help. Afsluitcodes: 0 in orde, 1 probleem gevonden, 2 verkeerd "
    "gebruik.\n";

constexpr const char* kAuditUsage =
    "gebruik: navolg audit verify FILE [--key OPENBARE_SLEUTEL]\n"
    "         navolg audit export [--db PATH] --process ID [--out FILE] [--signing-key PATH]\n"
    "         navolg audit check [--db PATH] [--process ID]\n";

constexpr const char* kOrgUsage =
    "gebruik: navolg org add [--db PATH] SLUG NAAM\n"
    "         navolg org webhook [--db PATH] SLUG [URL | --remove]\n";

constexpr const char* kUserUsage =
    "gebruik: navolg user add [--db PATH] --org SLUG --role ROL [--password-stdin]\n"
    "                         [--email ADRES] NAAM\n"
    "         navolg user passwd [--db PATH] --org SLUG NAAM\n"
    "         navolg user email [--db PATH] --org SLUG [--email ADRES | --remove] NAAM\n"
    "         navolg user list [--db PATH] --org SLUG\n"
    "         navolg user disable [--db PATH] --org SLUG NAAM\n"
    "         navolg user enable [--db PATH] --org SLUG NAAM\n";

// The commands that come in groups: `navolg GROUP NAME ...`.
struct Subcommand {
  std::string_view group;
  std::string_view name;
  int (*run)(const cli::Args& args);
};

constexpr Subcommand kSubcommands[] = {
    {"audit", "verify", &cli::AuditVerify}, {"audit", "export", &cli::AuditExport},
    {"audit", "check", &cli::AuditCheck},   {"org", "add", &cli::OrgAdd},
    {"org", "webhook", &cli::OrgWebhook},   {"user", "add", &cli::UserAdd},
    {"user", "passwd", &cli::UserPasswd},   {"user", "email", &cli::UserEmail},
    {"user", "list", &cli::UserList},       {"user", "disable", &cli::UserDisable},
    {"user", "enable", &cli::UserEnable},
};

const char* GroupUsage(std::string_view group) {
  if (group == "audit") return kAuditUsage;
  if (group == "org") return kOrgUsage;
  if (group == "user") return kUserUsage;
  return nullptr;
}

// `navolg GROUP [NAME ARGS...]`: runs the subcommand, or explains the group.
int RunGroup(const char* usage, std::string_view group, const cli::Args& args) {
  if (args.empty()) return Usage(usage);
  if (IsHelp(args[0])) {
    std::cout << usage;
    return 0;
  }
  const cli::Args rest(args.begin() + 1, args.end());
  for (const Subcommand& subcommand : kSubcommands) {
    if (subcommand.group == group && subcommand.name == args[0]) return subcommand.run(rest);
  }
  return Usage(usage, "onbekende opdracht '" + std::string(group) + " " + args[0] + "'");
}

}  // namespace

int RunCli(int argc, char** argv) {
  cli::Args args(argv + 1, argv + argc);
  if (args.empty()) return Usage(kUsage);
  if (IsHelp(args[0])) {
    std::cout << kUsage;
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "check") return cli::Check(args);
  if (command == "backup") return cli::Backup(args);  // also `backup verify FILE`
  if (command == "db") return cli::Db(args);          // `db copy`
  if (const char* usage = GroupUsage(command)) return RunGroup(usage, command, args);
  return Usage(kUsage, "onbekende opdracht '" + command + "'");
}

}  // namespace navolg
