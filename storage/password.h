// Passwords, stored only as salted, slow hashes: PBKDF2-HMAC-SHA256 (OpenSSL) with
// kPasswordIterations rounds and a 16-byte random salt, written as a PHC string
//
//   $pbkdf2-sha256$i=600000$<salt>$<hash>
//
// where salt (16 bytes) and hash (32 bytes) are base64 (RFC 4648) without padding. One
// hash takes about half a second to a second on the machines navolg runs on; that is the
// point. Never log or store a password itself.
//
// Pure functions over OpenSSL; thread-safe. Those that use OpenSSL fail (kInternal, English,
// for the operator's log) only when it does: out of memory, a broken provider, no randomness.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace navolg::storage {

// OWASP's figure for PBKDF2-HMAC-SHA256 (2023). Stored hashes with fewer rounds are never
// accepted.
inline constexpr std::int64_t kPasswordIterations = 600'000;
inline constexpr std::size_t kMinPasswordCharacters = 12;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Whether `password` may be set: valid UTF-8 without control characters, at least
// kMinPasswordCharacters characters and at most kMaxPasswordBytes bytes. kInvalidArgument
// with a Dutch message a user can act on otherwise.
Status CheckNewPassword(std::string_view password);

// A PHC string of `password` with a fresh random salt. Does not check the rules above.
Result<std::string> HashPassword(std::string_view password);

// Whether `password` matches `stored` (a string HashPassword wrote), compared in constant
// time. False as well for a stored string navolg does not accept: another algorithm, fewer
// than kPasswordIterations rounds (or implausibly many), a malformed salt or hash.
Result<bool> VerifyPassword(std::string_view password, std::string_view stored);

// A random password for a first sign-in, shown once: 16 characters from an alphabet without
// look-alikes (no 0/o, 1/l), in groups of four: "k7mq-x3vd-9pfa-hw2e" (80 random bits).
Result<std::string> NewInitialPassword();

// Spends the time of one VerifyPassword without a stored hash, so that a sign-in for a user
// who does not exist (or has no password) takes as long as one with a wrong password.
Status SpendPasswordTime(std::string_view password);

}  // namespace navolg::storage
