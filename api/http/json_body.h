// Reading JSON request bodies. Order of checks, each with its own answer:
//   1. Content-Type is application/json (a charset parameter is allowed, if utf-8): else 415;
//   2. nesting depth at most kMaxBodyDepth, counted on the raw text before parsing by
//      ParseJsonText (engine/json_text.h), so a body of 100,000 '[' never becomes a value:
//      else 400;
//   3. well-formed JSON (UTF-8): else 400.
// Bodies with a fixed contract (POST processes, adoptions, transitions) are then checked
// member by member with CheckContract: unknown members, missing required ones and wrong
// types are 400. Product bodies are not checked here; the engine judges them (422).
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/http_types.h"

namespace navolg::http {

inline constexpr int kMaxBodyDepth = 32;

// Either the parsed body or the problem response to send instead.
struct JsonBody {
  nlohmann::json value;
  std::optional<Response> problem;
};

enum class BodyPresence {
  kRequired,  // an empty body is 400
  kOptional,  // an empty body (with or without Content-Type) reads as {}
};

JsonBody ReadJsonBody(const Request& request, BodyPresence presence);

// "application/json", case-insensitive, optionally with "; charset=utf-8" (any case).
bool IsJsonContentType(std::string_view content_type);

enum class MemberType { kString, kInteger };
enum class Presence { kRequired, kOptional };

struct MemberSpec {
  const char* name;
  MemberType type;
  Presence presence;
};

// 400 unless `body` is an object whose members are all in `contract`, each of its type,
// with every required member present. nullopt when it fits.
std::optional<Response> CheckContract(const nlohmann::json& body,
                                      const std::vector<MemberSpec>& contract);

}  // namespace navolg::http
