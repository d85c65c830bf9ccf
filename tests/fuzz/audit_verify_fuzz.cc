// Fuzz target: `navolg audit verify` on JSON Lines: the verifier behind it (VerifyExport),
// without and with a public key, as an auditor runs it on a file of unknown origin.
//
// Invariants: an intact export has no bad line and no reason; one that is not intact names
// its bad line (1-based) and why; a key never makes a broken export intact.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "engine/audit_chain.h"
#include "engine/ed25519.h"

namespace {

void Check(const navolg::VerifyReport& report) {
  if (report.intact && (report.bad_line != 0 || !report.reason.empty())) std::abort();
  if (!report.intact && (report.bad_line < 1 || report.reason.empty())) std::abort();
  if (report.events < 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One key for the whole run: a fuzzed signature never verifies under it anyway, and the
  // verdict must be the same with it as without (except that a missing or wrong signature
  // makes the keyed one fail).
  static const navolg::PublicKey key = navolg::SigningKey::Generate().value().public_key();
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream plain(text);
  const navolg::VerifyReport without_key = navolg::VerifyExport(plain);
  Check(without_key);
  std::istringstream keyed(text);
  const navolg::VerifyReport with_key = navolg::VerifyExport(keyed, key);
  Check(with_key);
  if (with_key.intact && !without_key.intact) std::abort();
  return 0;
}
