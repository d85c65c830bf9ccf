#include "engine/json_text.h"

#include <algorithm>

namespace navolg {
namespace {

// Whether no array or object lies deeper than `max_depth`, counted on the text alone:
// brackets inside strings do not count, and nothing else about the JSON is checked.
bool NestingWithin(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace

JsonText ParseJsonText(std::string_view text, int max_depth) {
  JsonText parsed;
  if (!NestingWithin(text, max_depth)) {
    parsed.fault = JsonTextFault::kTooDeep;
    return parsed;
  }
  try {
    parsed.value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    parsed.fault = JsonTextFault::kInvalid;
    // `byte` counts the characters read, the last one being at fault.
    parsed.error_offset = std::min<std::size_t>(error.byte > 0 ? error.byte - 1 : 0, text.size());
  } catch (const nlohmann::json::exception&) {
    parsed.fault = JsonTextFault::kInvalid;  // such as 1e400, which no double holds
  }
  return parsed;
}

}  // namespace navolg
