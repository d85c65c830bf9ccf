// SHA-256 as the audit trail uses it: lowercase hexadecimal digests of byte strings.
//
// A thin wrapper over OpenSSL's libcrypto; no OpenSSL header leaks out of this file.
// Thread-safe: each thread reuses its own digest context.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace navolg {

// The SHA-256 digest of `bytes` as 64 lowercase hexadecimal characters. Fails (kInternal,
// English, for the operator's log) only when OpenSSL does: no SHA-256 in its configured
// providers, or no memory.
Result<std::string> Sha256Hex(std::string_view bytes);

}  // namespace navolg
