// What the engine says when it cannot do what was asked, or what a product still lacks.
//
// A Problem is one unmet condition: a stable machine-readable `code`, where it is (product,
// instance, field path) and a Dutch sentence an advisor can act on. A Refusal groups all
// problems of one command under a kind that the API maps to an HTTP status in one place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace navolg {

struct Problem {
  std::string code;           // e.g. "veld_ontbreekt", "niet_vastgesteld", "inbreng_onbeantwoord"
  std::string product;        // empty when not about a product
  std::int64_t instance = 0;  // 1-based instance of a repeating product; 0 otherwise
  std::string field;   // field path inside the product, e.g. "inbreng[2].tekst"; may be empty
  std::string detail;  // Dutch

  bool operator==(const Problem&) const = default;
};

enum class RefusalKind {
  kBadRequest,  // the command itself is malformed (400)
  kForbidden,   // the role may not do this (403)
  kNotFound,    // unknown product, transition or instance (404)
  kConflict,    // a guard failed, or not possible in the current state (409)
  kInvalid,     // a product value fails its type or bounds (422)
};

struct Refusal {
  RefusalKind kind = RefusalKind::kConflict;
  std::string detail;  // Dutch summary
  std::vector<Problem> problems;
};

}  // namespace navolg
