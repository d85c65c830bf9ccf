// gzip for answers (RFC 9110 section 8.4.1.3; the format is RFC 1952), with zlib.
//
// Only what carries no secret is compressed: the web interface's files (once, at their first
// use) and large GET answers of the API, which never hold a token or session id. A compressed
// answer that mixed a secret with text a client chose would let an attacker guess the secret
// from its length (BREACH); the answers that hand out a token or a session are POSTs.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace navolg::http {

// Whether an Accept-Encoding field value allows gzip: it names "gzip" (or "x-gzip") or "*"
// with a q above 0 and does not refuse gzip with q=0.
bool AcceptsGzip(std::string_view accept_encoding);

enum class Effort { kFast, kSmallest };

// `data` as a gzip member. kFast for an answer made per request, kSmallest for what is
// compressed once. Empty only if zlib fails (it has no reason to on memory it was given).
std::string Gzip(std::string_view data, Effort effort);

}  // namespace navolg::http
