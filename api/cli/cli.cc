#include "api/cli/cli.h"

#include <iostream>
#include <string>
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
    "  navolg user add --org SLUG --role ROL [--password-stdin] NAAM\n"
    "                                een gebruiker aanmaken; drukt het token af\n"
    "  navolg user passwd --org SLUG NAAM\n"
    "                                een wachtwoord instellen (van standaardinvoer)\n"
    "  navolg user list --org SLUG   de gebruikers van een organisatie tonen\n"
    "  navolg audit export --process ID [--out FILE] [--signing-key PATH]\n"
    "                                het audittrail van een proces exporteren (JSON Lines),\n"
    "                                met een ondertekend checkpoint als laatste regel\n"
    "  navolg audit verify FILE [--key PUBLIEKE_SLEUTEL]\n"
    "                                een geexporteerd audittrail controleren\n"
    "\n"
    "Opdrachten met een database nemen --db PATH, anders $NAVOLG_DB, anders ./data/navolg.db.\n"
    "  navolg --help                 deze hulp\n"
    "\n"
    "Elke opdracht heeft --help. Afsluitcodes: 0 in orde, 1 probleem gevonden, 2 verkeerd "
    "gebruik.\n";

constexpr const char* kAuditUsage =
    "gebruik: navolg audit verify FILE [--key PUBLIEKE_SLEUTEL]\n"
    "         navolg audit export [--db PATH] --process ID [--out FILE] [--signing-key PATH]\n";

constexpr const char* kOrgUsage =
    "gebruik: navolg org add [--db PATH] SLUG NAAM\n"
    "         navolg org webhook [--db PATH] SLUG [URL | --remove]\n";

constexpr const char* kUserUsage =
    "gebruik: navolg user add [--db PATH] --org SLUG --role ROL [--password-stdin] NAAM\n"
    "         navolg user passwd [--db PATH] --org SLUG NAAM\n"
    "         navolg user list [--db PATH] --org SLUG\n";

}  // namespace

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return cli::Usage(kUsage);
  if (IsHelp(args[0])) {
    std::cout << kUsage;
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "check") return cli::Check(args);
  if (command == "audit") {
    if (args.empty()) return Usage(kAuditUsage);
    if (IsHelp(args[0])) {
      std::cout << kAuditUsage;
      return 0;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "verify") return cli::AuditVerify(rest);
    if (args[0] == "export") return cli::AuditExport(rest);
    return Usage(kAuditUsage);
  }
  if (command == "org" || command == "user") {
    const bool org = command == "org";
    if (!args.empty() && IsHelp(args[0])) {
      std::cout << (org ? kOrgUsage : kUserUsage);
      return 0;
    }
    if (args.empty()) return Usage(org ? kOrgUsage : kUserUsage);
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (org) {
      if (args[0] == "add") return cli::OrgAdd(rest);
      if (args[0] == "webhook") return cli::OrgWebhook(rest);
      return Usage(kOrgUsage);
    }
    if (args[0] == "add") return cli::UserAdd(rest);
    if (args[0] == "passwd") return cli::UserPasswd(rest);
    if (args[0] == "list") return cli::UserList(rest);
    return Usage(kUserUsage);
  }
  std::cerr << "navolg: onbekende opdracht '" << command << "'\n\n";
  return Usage(kUsage);
}

}  // namespace navolg
