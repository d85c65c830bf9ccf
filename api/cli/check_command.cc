// navolg check FILE...: validates workflow definitions.
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/cli/command_support.h"
#include "api/cli/commands.h"
#include "engine/definition.h"

namespace navolg::cli {
namespace {

constexpr const char* kCheckUsage =
    "gebruik: navolg check FILE...\n"
    "\n"
    "Leest elke workflowdefinitie (JSON) en controleert haar volledig: vorm, verwijzingen naar\n"
    "toestanden, producten, velden en rollen, bereikbaarheid. Drukt per fout een regel af:\n"
    "  FILE: JSON-PAD: melding\n"
    "Een JSON Schema (zoals workflows/schema.json) wordt overgeslagen.\n"
    "Afsluitcode 0 als alle bestanden geldig zijn, anders 1.\n";

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

}  // namespace

int Check(const Args& args) {
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
    const std::optional<std::string> text = ReadTextFile(file);
    if (!text) {
      std::cout << file << ": kan het bestand niet lezen\n";
      all_valid = false;
      continue;
    }
    if (IsJsonSchema(*text)) {
      std::cout << file << ": overgeslagen (JSON Schema, geen workflowdefinitie)\n";
      continue;
    }
    ParsedDefinition parsed = ParseDefinitionText(*text);
    if (parsed.definition) {
      std::cout << file << ": geldig (" << parsed.definition->key << " versie "
                << parsed.definition->version << ")\n";
      continue;
    }
    all_valid = false;
    for (const DefinitionError& error : parsed.errors) {
      std::cout << file << ": " << (error.path.empty() ? "/" : error.path) << ": " << error.message
                << "\n";
    }
  }
  return all_valid ? 0 : 1;
}

}  // namespace navolg::cli
