#include "api/cli.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/args.h"
#include "api/cli_store.h"
#include "engine/audit_chain.h"
#include "engine/calendar.h"
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

constexpr const char* kCheckUsage =
    "gebruik: navolg check FILE...\n"
    "\n"
    "Leest elke workflowdefinitie (JSON) en controleert haar volledig: vorm, verwijzingen naar\n"
    "toestanden, producten, velden en rollen, bereikbaarheid. Drukt per fout een regel af:\n"
    "  FILE: JSON-PAD: melding\n"
    "Een JSON Schema (zoals workflows/schema.json) wordt overgeslagen.\n"
    "Afsluitcode 0 als alle bestanden geldig zijn, anders 1.\n";

constexpr const char* kVerifyUsage =
    "gebruik: navolg audit verify FILE [--key PUBLIEKE_SLEUTEL]\n"
    "\n"
    "Controleert een geexporteerd audittrail (JSON Lines, een gebeurtenis per regel, in de\n"
    "canonieke vorm van RFC 8785): volgnummers, de hashketen (prev) en de hash van elke regel.\n"
    "Eindigt de export met een checkpoint, dan moet dat bij de laatste gebeurtenis passen.\n"
    "\n"
    "Met --key (de publieke sleutel van de server in PEM, van GET /api/v1/audit/public-key)\n"
    "moet de export eindigen met een checkpoint dat met die sleutel is ondertekend. Zo blijkt\n"
    "ook een herschreven keten waarvan alle hashes opnieuw zijn berekend.\n"
    "\n"
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

// What an intact export's summary adds about its checkpoint.
std::string CheckpointSummary(const VerifyReport& report) {
  if (!report.checkpoint) return "; zonder checkpoint, dus niet ondertekend";
  const std::string signed_by = FormatTime(report.checkpoint->at) + " met sleutel " +
                                report.checkpoint->key_id;
  if (report.signature_verified) return "; handtekening geldig (ondertekend " + signed_by + ")";
  return "; checkpoint past bij de laatste gebeurtenis (ondertekend " + signed_by +
         "), handtekening niet gecontroleerd: geef --key";
}

int AuditVerify(const std::vector<std::string>& args) {
  ParsedArgs parsed = ParseArgs(args, {"--key"});
  if (parsed.help) {
    std::cout << kVerifyUsage;
    return 0;
  }
  if (parsed.error || parsed.positional.size() != 1 || parsed.positional[0].rfind("-", 0) == 0 ||
      (parsed.options.count("--key") && parsed.Option("--key").empty())) {
    if (parsed.error) std::cerr << "navolg: " << *parsed.error << "\n\n";
    return Usage(kVerifyUsage);
  }
  const std::string& file = parsed.positional[0];
  std::optional<PublicKey> key;
  if (const std::string key_file = parsed.Option("--key"); !key_file.empty()) {
    std::string pem;
    if (!ReadFile(key_file, pem)) {
      std::cerr << key_file << ": kan de publieke sleutel niet lezen\n";
      return 1;
    }
    Result<PublicKey> loaded = PublicKey::FromPem(pem);
    if (!loaded.ok()) {
      std::cerr << key_file << ": " << loaded.status().message() << "\n";
      return 1;
    }
    key = std::move(*loaded);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in || IsDirectory(file)) {
    std::cerr << file << ": kan het bestand niet lezen\n";
    return 1;
  }
  VerifyReport report = key ? VerifyExport(in, *key) : VerifyExport(in);
  if (!report.intact) {
    std::cout << file << ": NIET INTACT: " << report.reason << "\n";
    return 1;
  }
  std::cout << file << ": intact: " << report.events << " gebeurtenissen van proces "
            << report.process_id << ", laatste hash " << report.head_hash
            << CheckpointSummary(report) << "\n";
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
    if (args.empty()) return Usage(org ? kOrgUsage : kUserUsage);
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (org) {
      if (args[0] == "add") return OrgAdd(rest);
      if (args[0] == "webhook") return OrgWebhook(rest);
      return Usage(kOrgUsage);
    }
    if (args[0] == "add") return UserAdd(rest);
    if (args[0] == "passwd") return UserPasswd(rest);
    if (args[0] == "list") return UserList(rest);
    return Usage(kUserUsage);
  }
  std::cerr << "navolg: onbekende opdracht '" << command << "'\n\n";
  return Usage(kUsage);
}

}  // namespace navolg
