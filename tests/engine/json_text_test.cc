// The one depth limit on JSON from outside: as a table of texts and what ParseJsonText says.
#include "engine/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace navolg {
namespace {

std::string Nested(std::size_t depth, const std::string& inner = "") {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}

struct DepthCase {
  const char* name;
  std::string text;
  int max_depth;
  JsonTextFault fault;
};

TEST(JsonTextTest, DepthIsCountedFromTheOutermostContainer) {
  const DepthCase cases[] = {
      {"scalar needs no depth", "7", 0, JsonTextFault::kNone},
      {"one container at limit 1", "[]", 1, JsonTextFault::kNone},
      {"one container at limit 0", "{}", 0, JsonTextFault::kTooDeep},
      {"at the limit", Nested(32), 32, JsonTextFault::kNone},
      {"one past the limit", Nested(33), 32, JsonTextFault::kTooDeep},
      {"objects count too", "{\"a\":{\"b\":{\"c\":1}}}", 3, JsonTextFault::kNone},
      {"objects past the limit", "{\"a\":{\"b\":{\"c\":{}}}}", 3, JsonTextFault::kTooDeep},
      {"siblings do not add up", "[[],[],[[]]]", 3, JsonTextFault::kNone},
      {"brackets in strings do not count", "[\"[[[[{{{{\"]", 1, JsonTextFault::kNone},
      {"escaped quote stays in the string", "[\"\\\"[[[\"]", 1, JsonTextFault::kNone},
      {"escaped backslash ends no string", "{\"a\\\\\":[[]]}", 2, JsonTextFault::kTooDeep},
      {"hostile depth", Nested(100000), 128, JsonTextFault::kTooDeep},
      {"hostile depth never closed", std::string(100000, '['), 128, JsonTextFault::kTooDeep},
      // The depth is counted before parsing: too deep wins wherever the syntax error is.
      {"invalid and too deep", "[1,]" + Nested(10), 5, JsonTextFault::kTooDeep},
      {"too deep and invalid", Nested(10, "1,]"), 5, JsonTextFault::kTooDeep},
      {"hostile opening braces", std::string(100000, '{'), 32, JsonTextFault::kTooDeep},
      {"not JSON", "{\"a\": }", 128, JsonTextFault::kInvalid},
      {"empty", "", 128, JsonTextFault::kInvalid},
      {"trailing text", "{} x", 128, JsonTextFault::kInvalid},
      {"not UTF-8", "[\"\xff\"]", 128, JsonTextFault::kInvalid},
  };
  for (const DepthCase& c : cases) {
    SCOPED_TRACE(c.name);
    const JsonText parsed = ParseJsonText(c.text, c.max_depth);
    EXPECT_EQ(parsed.fault, c.fault);
    if (c.fault == JsonTextFault::kNone) {
      EXPECT_EQ(parsed.value, nlohmann::json::parse(c.text));
    }
  }
}

TEST(JsonTextTest, InvalidTextNamesTheByteAtFault) {
  EXPECT_EQ(ParseJsonText("{\"a\": }", 8).error_offset, 6u);
  EXPECT_EQ(ParseJsonText("[1, 2,]", 8).error_offset, 6u);
  EXPECT_EQ(ParseJsonText("{", 8).error_offset, 1u);  // the text ended too early
  const JsonText overflow = ParseJsonText("[1e400]", 8);
  EXPECT_EQ(overflow.fault, JsonTextFault::kInvalid);
  EXPECT_EQ(overflow.error_offset, std::nullopt);
}

}  // namespace
}  // namespace navolg
