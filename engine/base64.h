// Base64 (RFC 4648, standard alphabet, with padding), strict in both directions, so that a
// byte string has exactly one spelling: used for signatures (engine/checkpoint.h) and for
// the salts and hashes of stored passwords (storage/password.h).
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace navolg {

std::string Base64Encode(std::string_view bytes);

// Decodes exactly what Base64Encode writes: anything else (white space, missing padding,
// another alphabet, non-zero unused bits) is nullopt.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace navolg
