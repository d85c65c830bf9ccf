// Fuzz target: a workflow definition as text through the parser and the validator
// (ParseDefinitionText), as `navolg check` and the server's start read it.
//
// Invariant: a definition comes out only without errors, and errors only without a
// definition; every error is located by a JSON Pointer ("" or starting with '/').
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/definition.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const navolg::ParsedDefinition parsed = navolg::ParseDefinitionText(text);
  if (parsed.definition.has_value() == !parsed.errors.empty()) std::abort();
  for (const navolg::DefinitionError& error : parsed.errors) {
    if (!error.path.empty() && error.path.front() != '/') std::abort();
    if (error.message.empty()) std::abort();
  }
  return 0;
}
