// SHA-256 as the audit trail uses it: lowercase hexadecimal digests of byte strings.
//
// A thin wrapper over OpenSSL's libcrypto; no OpenSSL header leaks out of this file.
// Thread-safe: each thread reuses its own digest context.
#pragma once

#include <string>
#include <string_view>

namespace navolg {

// The SHA-256 digest of `bytes` as 64 lowercase hexadecimal characters. Never fails: an
// OpenSSL failure here (out of memory, a broken provider) leaves nothing sensible to return
// and aborts the process rather than producing a wrong hash.
std::string Sha256Hex(std::string_view bytes);

}  // namespace navolg
