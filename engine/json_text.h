// Reading JSON text that comes from outside: request bodies, workflow definition files and the
// lines of an exported audit trail. The one place that limits how deeply such text may nest.
//
// Copying, comparing and destroying a nlohmann::json value recurses once per level, so a
// hostile document of a hundred thousand '[' would overflow the stack long after parsing.
// ParseJsonText counts the depth on the raw text first, so text nested too deeply is refused
// before any value is built.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace navolg {

enum class JsonTextFault {
  kNone,
  kTooDeep,  // an array or object lies deeper than the limit
  kInvalid,  // not well-formed JSON, or not UTF-8
};

struct JsonText {
  nlohmann::json value;  // the document when fault is kNone; otherwise unspecified
  JsonTextFault fault = JsonTextFault::kNone;
  // For kInvalid: the 0-based offset of the byte at which reading failed (text.size() when
  // the text ended too early); unset when the parser named none (a number out of range).
  std::optional<std::size_t> error_offset;
};

// Parses `text` as one JSON document in which no array or object lies deeper than `max_depth`
// (the outermost container is depth 1; brackets inside strings do not count). Text that is
// too deep is kTooDeep even when it is not well-formed either.
JsonText ParseJsonText(std::string_view text, int max_depth);

}  // namespace navolg
