// Canonical JSON: RFC 8785 (JSON Canonicalization Scheme) for the values the audit trail holds.
//
// The canonical form is the byte string that gets hashed, so every verifier, in any language,
// must produce exactly the same bytes from the same value:
//   - object members sorted by name, compared as UTF-16 code unit sequences (RFC 8785 3.2.3);
//   - no white space;
//   - strings escaped as ECMAScript's JSON.stringify does: \" \\ \b \f \n \r \t, other
//     control characters below U+0020 as \u00xx (lowercase hex), everything else as literal
//     UTF-8 (including '/', DEL and U+2028);
//   - integers in plain decimal; null, true and false as themselves.
// Values that would make the bytes depend on the verifier are refused instead of written:
// floating-point numbers (the trail holds none), integers outside +-(2^53 - 1) (not exactly
// representable as an IEEE double), strings and member names that are not valid UTF-8,
// binary values, and containers nested deeper than kMaxNestingDepth.
//
// All functions are pure and thread-safe. Error messages are English (internal); callers
// that show them to users wrap them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace navolg {

// The largest integer magnitude an IEEE double holds exactly: 2^53 - 1.
inline constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

// Objects and arrays nested deeper than this are refused (the top-level container is level 1).
inline constexpr int kMaxNestingDepth = 128;

// Appends the canonical serialisation of `value` to `out`. On failure (kInvalidArgument, the
// message names the offending value by its JSON pointer, e.g. "/data/items/0") `out` is left
// exactly as it was.
Status AppendCanonical(const nlohmann::json& value, std::string& out);

// The canonical serialisation of `value`, or the error AppendCanonical reports.
Result<std::string> Canonicalize(const nlohmann::json& value);

// Appends `text` as a canonical JSON string (with its quotes) to `out`. Fails with
// kInvalidArgument, leaving `out` unchanged, if `text` is not valid UTF-8. `text` must not
// point into `out`.
Status AppendCanonicalString(std::string_view text, std::string& out);

}  // namespace navolg
