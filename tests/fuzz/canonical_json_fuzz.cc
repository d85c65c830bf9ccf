// Fuzz target: the canonical JSON serialiser (RFC 8785, engine/canonical_json.h) against
// nlohmann/json. Any JSON text nlohmann reads is canonicalised; when that succeeds:
// - nlohmann reads the canonical bytes back as the same value (round trip);
// - canonicalising that value again gives the same bytes (one canonical form);
// and when it fails, the output string is left exactly as it was.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return 0;
  std::string out = "prefix";
  const navolg::Status appended = navolg::AppendCanonical(value, out);
  if (!appended.ok()) {
    if (out != "prefix") std::abort();  // a failure leaves `out` untouched
    return 0;
  }
  const std::string canonical = out.substr(6);
  const nlohmann::json back = nlohmann::json::parse(canonical, nullptr, false);
  if (back.is_discarded() || back != value) std::abort();
  auto again = navolg::Canonicalize(back);
  if (!again.ok() || *again != canonical) std::abort();
  return 0;
}
