#include "api/cli.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/cli_store.h"
#include "engine/audit_chain.h"
#include "engine/definition.h"

namespace navolg {
namespace {

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
    "  navolg user add --org SLUG --role ROL NAAM\n"
    "                                een gebruiker aanmaken; drukt het token af\n"
    "  navolg audit export --process ID [--out FILE]\n"
    "                                het audittrail van een proces exporteren (JSON Lines)\n"
    "  navolg audit verify FILE      een geexporteerd audittrail controleren\n"
    "\n"
    "Opdrachten met een database nemen --db PATH, anders $NAVOLG_DB, anders ./data/navolg.db.\n"
    "  navolg --help                 deze hulp\n"
    "\n"
    "Elke opdracht heeft --help. Afsluitcodes: 0 in orde, 1 probleem gevonden, 2 verkeerd "
    "gebruik.\n";

constexpr const char* kAuditUsage =
    "gebruik: navolg audit verify FILE\n"
    "         navolg audit export [--db PATH] --process ID [--out FILE]\n";

constexpr const char* kOrgUsage =
    "gebruik: navolg org add [--db PATH] SLUG NAAM\n"
    "         navolg org webhook [--db PATH] SLUG [URL | --remove]\n";

constexpr const char* kUserUsage =
    "gebruik: navolg user add [--db PATH] --org SLUG --role ROL NAAM\n";

constexpr const char* kCheckUsage =
    "gebruik: navolg check FILE...\n"
    "\n"
    "Leest elke workflowdefinitie (JSON) en controleert haar volledig: vorm, verwijzingen naar\n"
    "toestanden, producten, velden en rollen, bereikbaarheid. Drukt per fout een regel af:\n"
    "  FILE: JSON-PAD: melding\n"
    "Een JSON Schema (zoals workflows/schema.json) wordt overgeslagen.\n"
    "Afsluitcode 0 als alle bestanden geldig zijn, anders 1.\n";

constexpr const char* kVerifyUsage =
    "gebruik: navolg audit verify FILE\n"
    "\n"
    "Controleert een geexporteerd audittrail (JSON Lines, een gebeurtenis per regel, in de\n"
    "canonieke vorm van RFC 8785): volgnummers, de hashketen (prev) en de hash van elke regel.\n"
    "Afsluitcode 0 met een samenvatting als het trail intact is, anders 1 met de eerste\n"
    "foute regel en de reden.\n";

bool IsHelp(const std::string& arg) { return arg == "--help" || arg == "-h"; }

int Usage(const char* text) {
  std::cerr << text;
  return 2;
}

// Opening a directory succeeds on Linux and reads as empty, which would pass for a file.
bool IsDirectory(const std::string& path) {
  std::error_code ignored;
  return std::filesystem::is_directory(path, ignored);
}

bool ReadFile(const std::string& path, std::string& text) {
  if (IsDirectory(path)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return !in.bad();
}

// workflows/ also holds schema.json, the JSON Schema of the format, and `navolg check
// workflows/*.json` is how definitions are checked. A schema is recognised by its own
// `$schema`, which names a JSON Schema meta-schema (a definition's names "./schema.json").
bool IsJsonSchema(const std::string& text) {
  const auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return false;
  const auto it = document.find("$schema");
  if (it == document.end() || !it->is_string()) return false;
  const auto& uri = it->get_ref<const std::string&>();
  return uri.rfind("https://json-schema.org/", 0) == 0 ||
         uri.rfind("http://json-schema.org/", 0) == 0;
}

int Check(const std::vector<std::string>& args) {
  if (args.empty()) return Usage(kCheckUsage);
  for (const std::string& arg : args) {
    if (IsHelp(arg)) {
      std::cout << kCheckUsage;
      return 0;
    }
    if (arg.rfind("-", 0) == 0) return Usage(kCheckUsage);
  }
  bool all_valid = true;
  for (const std::string& file : args) {
    std::string text;
    if (!ReadFile(file, text)) {
      std::cout << file << ": kan het bestand niet lezen\n";
      all_valid = false;
      continue;
    }
    if (IsJsonSchema(text)) {
      std::cout << file << ": overgeslagen (JSON Schema, geen workflowdefinitie)\n";
      continue;
    }
    ParsedDefinition parsed = ParseDefinitionText(text);
    if (parsed.definition) {
      std::cout << file << ": geldig (" << parsed.definition->key << " versie "
                << parsed.definition->version << ")\n";
      continue;
    }
    all_valid = false;
    for (const DefinitionError& error : parsed.errors) {
      std::cout << file << ": " << (error.path.empty() ? "/" : error.path) << ": "
                << error.message << "\n";
    }
  }
  return all_valid ? 0 : 1;
}

int AuditVerify(const std::vector<std::string>& args) {
  if (args.size() == 1 && IsHelp(args[0])) {
    std::cout << kVerifyUsage;
    return 0;
  }
  if (args.size() != 1 || args[0].rfind("-", 0) == 0) return Usage(kVerifyUsage);
  std::ifstream in(args[0], std::ios::binary);
  if (!in || IsDirectory(args[0])) {
    std::cerr << args[0] << ": kan het bestand niet lezen\n";
    return 1;
  }
  VerifyReport report = VerifyExport(in);
  if (!report.intact) {
    std::cout << args[0] << ": NIET INTACT: " << report.reason << "\n";
    return 1;
  }
  std::cout << args[0] << ": intact: " << report.events << " gebeurtenissen van proces "
            << report.process_id << ", laatste hash " << report.head_hash << "\n";
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage(kUsage);
  if (IsHelp(args[0])) {
    std::cout << kUsage;
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "check") return Check(args);
  if (command == "audit") {
    if (args.empty()) return Usage(kAuditUsage);
    if (IsHelp(args[0])) {
      std::cout << kAuditUsage;
      return 0;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "verify") return AuditVerify(rest);
    if (args[0] == "export") return AuditExport(rest);
    return Usage(kAuditUsage);
  }
  if (command == "org" || command == "user") {
    const bool org = command == "org";
    if (!args.empty() && IsHelp(args[0])) {
      std::cout << (org ? kOrgUsage : kUserUsage);
      return 0;
    }
    const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
    if (org && !args.empty() && args[0] == "webhook") return OrgWebhook(rest);
    if (args.empty() || args[0] != "add") return Usage(org ? kOrgUsage : kUserUsage);
    return org ? OrgAdd(rest) : UserAdd(rest);
  }
  std::cerr << "navolg: onbekende opdracht '" << command << "'\n\n";
  return Usage(kUsage);
}

}  // namespace navolg
