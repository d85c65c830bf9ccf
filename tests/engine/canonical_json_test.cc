#include "engine/canonical_json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace navolg {
namespace {

using Json = nlohmann::json;

std::string CanonicalOrDie(const Json& value) {
  Result<std::string> canonical = Canonicalize(value);
  EXPECT_TRUE(canonical.ok()) << canonical.status().message();
  return canonical.ok() ? *canonical : "";
}

std::string ErrorOf(const Json& value) {
  Result<std::string> canonical = Canonicalize(value);
  EXPECT_FALSE(canonical.ok()) << "accepted, wrote " << *canonical;
  return canonical.ok() ? "" : canonical.status().message();
}

TEST(CanonicalJsonTest, WritesValuesWithoutWhiteSpace) {
  struct Case {
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {"null", "null"},
      {"true", "true"},
      {"false", "false"},
      {"0", "0"},
      {"-0", "0"},
      {"-12", "-12"},
      {"9007199254740991", "9007199254740991"},
      {"-9007199254740991", "-9007199254740991"},
      {R"("")", R"("")"},
      {"[ ]", "[]"},
      {"{ }", "{}"},
      {R"( [ 3 , [ 2 , [ 1 ] ] , { } , "x" ] )", R"([3,[2,[1]],{},"x"])"},
      {R"({ "b" : [ ] , "a" : { "d" : null , "c" : true } })",
       R"({"a":{"c":true,"d":null},"b":[]})"},
      {R"({"aa":1,"a":2,"b":3,"A":4,"":5})", R"({"":5,"A":4,"a":2,"aa":1,"b":3})"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CanonicalOrDie(Json::parse(c.input)), c.expected) << c.input;
  }
}

TEST(CanonicalJsonTest, SortsMembersAsUtf16CodeUnits) {
  // The example of RFC 8785 section 3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33,
  // although its UTF-8 bytes (F0 ...) sort after U+FB33's (EF ...).
  const Json rfc_example = Json::parse(
      R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh",)"
      R"("1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control",)"
      R"("\u00f6":"Latin Small Letter O With Diaeresis"})");
  EXPECT_EQ(CanonicalOrDie(rfc_example),
            R"({"\r":"Carriage Return","1":"One",")"
            "\xc2\x80"
            R"(":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign",)"
            R"("😀":"Emoji: Grinning Face","דּ":"Hebrew Letter Dalet With Dagesh"})");

  struct Case {
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      // A non-BMP name against one in U+E000..U+FFFF, both orders of insertion.
      {R"({"\ue000":1,"\ud800\udc00":2})", "{\"\xf0\x90\x80\x80\":2,\"\xee\x80\x80\":1}"},
      {R"({"\ud800\udc00":2,"\uffff":1})", "{\"\xf0\x90\x80\x80\":2,\"\xef\xbf\xbf\":1}"},
      // U+D7FF < surrogates < U+E000; non-BMP among themselves by code point; prefixes first.
      {R"({"\ue000":4,"\udbff\udfff":3,"\ud83d\ude00a":2,"\ud83d\ude00":1,"\ud7ff":0,"z":-1})",
       "{\"z\":-1,\"\xed\x9f\xbf\":0,\"\xf0\x9f\x98\x80\":1,\"\xf0\x9f\x98\x80"
       "a\":2,"
       "\"\xf4\x8f\xbf\xbf\":3,\"\xee\x80\x80\":4}"},
      // Only the nested object needs the UTF-16 order.
      {R"({"b":{"\uffff":1,"\ud83d\ude00":2},"a":0})",
       "{\"a\":0,\"b\":{\"\xf0\x9f\x98\x80\":2,\"\xef\xbf\xbf\":1}}"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CanonicalOrDie(Json::parse(c.input)), c.expected) << c.input;
  }
}

TEST(CanonicalJsonTest, EscapesStringsLikeJsonStringify) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const Case cases[] = {
      {"\"", R"("\"")"},
      {"\\", R"("\\")"},
      {"\b", R"("\b")"},
      {"\f", R"("\f")"},
      {"\n", R"("\n")"},
      {"\r", R"("\r")"},
      {"\t", R"("\t")"},
      {std::string(1, '\0'), R"("\u0000")"},
      {"\x01", R"("\u0001")"},
      {"\x0b", R"("\u000b")"},
      {"\x1f", R"("\u001f")"},
      // Written literally: '/', DEL, U+2028, U+2029, non-ASCII, non-BMP, U+FFFF.
      {"a/b", R"("a/b")"},
      {"\x7f", "\"\x7f\""},
      {"\xe2\x80\xa8\xe2\x80\xa9", "\"\xe2\x80\xa8\xe2\x80\xa9\""},
      {"Straße – fase 2 😀 \xef\xbf\xbf", "\"Straße – fase 2 😀 \xef\xbf\xbf\""},
      {"zin \"citaat\"\r\nregel\t2\\", R"("zin \"citaat\"\r\nregel\t2\\")"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CanonicalOrDie(Json(c.input)), c.expected) << c.expected;
    // Member names are escaped the same way.
    EXPECT_EQ(CanonicalOrDie(Json::object({{c.input, 1}})), "{" + c.expected + ":1}");
  }
  // Every control character without a short form becomes \u00xx with lowercase hex.
  const char kHex[] = "0123456789abcdef";
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') continue;
    const std::string expected = std::string("\"\\u00") + kHex[c >> 4] + kHex[c & 15] + "\"";
    EXPECT_EQ(CanonicalOrDie(Json(std::string(1, static_cast<char>(c)))), expected) << c;
  }
}

TEST(CanonicalJsonTest, RefusesFloatingPointNumbers) {
  for (const char* text : {"1.0", "0.5", "-0.0", "1e2", "1E-7", "[1, 2.5]"}) {
    EXPECT_EQ(ErrorOf(Json::parse(text)).rfind("floating-point number", 0), 0u) << text;
  }
  EXPECT_EQ(ErrorOf(Json(0.0)),
            "floating-point number (the audit trail allows only integers) at the top level");
  EXPECT_EQ(ErrorOf(Json::parse(R"({"a":[0,{"b~/":1.5}]})")),
            "floating-point number (the audit trail allows only integers) at /a/1/b~0~1");
}

TEST(CanonicalJsonTest, RefusesIntegersOutsideTheSafeRange) {
  const std::int64_t two_to_53 = std::int64_t{1} << 53;
  const Json refused[] = {
      Json(two_to_53),
      Json(-two_to_53),
      Json(std::numeric_limits<std::int64_t>::min()),
      Json(std::numeric_limits<std::int64_t>::max()),
      Json(static_cast<std::uint64_t>(two_to_53)),
      Json(std::numeric_limits<std::uint64_t>::max()),
      Json::parse("9007199254740992"),
      Json::parse("-9007199254740992"),
  };
  for (const Json& value : refused) {
    EXPECT_EQ(ErrorOf(value), "integer outside +-(2^53 - 1) at the top level") << value.dump();
  }
  EXPECT_EQ(ErrorOf(Json::object({{"n", two_to_53}})), "integer outside +-(2^53 - 1) at /n");
  EXPECT_EQ(CanonicalOrDie(Json(two_to_53 - 1)), "9007199254740991");
  EXPECT_EQ(CanonicalOrDie(Json(1 - two_to_53)), "-9007199254740991");
  EXPECT_EQ(CanonicalOrDie(Json(static_cast<std::uint64_t>(two_to_53 - 1))), "9007199254740991");
}

TEST(CanonicalJsonTest, RefusesInvalidUtf8InStringsAndNames) {
  const char* const invalid[] = {
      "\xff",              // never valid
      "\x80",              // a lone continuation byte
      "\xc0\xaf",          // overlong '/'
      "\xc1\xbf",          // overlong
      "\xe0\x80\xaf",      // overlong, 3 bytes
      "\xf0\x80\x80\xaf",  // overlong, 4 bytes
      "\xed\xa0\x80",      // U+D800, a surrogate
      "\xed\xbf\xbf",      // U+DFFF, a surrogate
      "\xf4\x90\x80\x80",  // U+110000, beyond Unicode
      "\xf8\x88\x80\x80\x80",
      "\xe2\x82",         // cut short
      "abc\xf0\x9f\x98",  // cut short at the end
      "\xc3(",            // a lead byte followed by ASCII
  };
  for (const char* text : invalid) {
    EXPECT_EQ(ErrorOf(Json(text)), "string is not valid UTF-8 at the top level") << text;
    EXPECT_EQ(ErrorOf(Json::object({{"x", Json::array({text})}})),
              "string is not valid UTF-8 at /x/0");
    // As a name, both on the bytewise path and on the UTF-16 sorting path (with U+FFFF).
    EXPECT_EQ(ErrorOf(Json::object({{text, 1}})).rfind("member name is not valid UTF-8 at /", 0),
              0u);
    EXPECT_EQ(
        ErrorOf(Json::object({{text, 1}, {"\xef\xbf\xbf", 2}})).rfind("member name is not", 0), 0u);
  }
  // Invalid bytes in the pointer are shown as \xNN so the message itself is valid UTF-8.
  EXPECT_EQ(ErrorOf(Json::object({{"a", Json::object({{"b\xff", 1}})}})),
            "member name is not valid UTF-8 at /a/b\\xff");
  // The edges of the valid ranges are accepted.
  for (const char* text : {"\xed\x9f\xbf", "\xee\x80\x80", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",
                           "\xc2\x80", "\xdf\xbf"}) {
    EXPECT_EQ(CanonicalOrDie(Json(text)), "\"" + std::string(text) + "\"");
  }
}

TEST(CanonicalJsonTest, LeavesOutputUnchangedOnFailure) {
  std::string out = "prefix";
  EXPECT_FALSE(AppendCanonical(Json::parse(R"({"a":"lang genoeg","b":[1,2,3.5]})"), out).ok());
  EXPECT_EQ(out, "prefix");
  EXPECT_FALSE(AppendCanonicalString("goed\xff", out).ok());
  EXPECT_EQ(out, "prefix");
  EXPECT_TRUE(AppendCanonicalString("ok", out).ok());
  EXPECT_TRUE(AppendCanonical(Json::array({1, "a"}), out).ok());
  EXPECT_EQ(out, R"(prefix"ok"[1,"a"])");
}

TEST(CanonicalJsonTest, RefusesNestingBeyondTheLimit) {
  Json nested = Json::array();
  for (int level = 1; level < kMaxNestingDepth; ++level) nested = Json::array({nested});
  EXPECT_EQ(CanonicalOrDie(nested),
            std::string(kMaxNestingDepth, '[') + std::string(kMaxNestingDepth, ']'));
  Json too_deep = Json::object({{"k", nested}});
  EXPECT_EQ(
      ErrorOf(too_deep).rfind("objects and arrays nested more than 128 levels deep at /k/0", 0),
      0u);
}

TEST(CanonicalJsonTest, AgreesWithNlohmannDumpOnAsciiIntegerDocuments) {
  // For ASCII names and no floats, nlohmann's compact dump (std::map order, same escapes)
  // is an independent implementation of the same bytes.
  const char* const documents[] = {
      R"({"seq":1,"data":{"z":[true,false,null],"a":{"y":-5,"x":"tab\there"}},"b":""})",
      R"(["\u0001\u001f\u007f","quote\"back\\slash/", 9007199254740991, {"":{}}])",
      R"({"Z":0,"_":1,"a":2,"~":3,"0":4," ":5})",
  };
  for (const char* text : documents) {
    const Json value = Json::parse(text);
    EXPECT_EQ(CanonicalOrDie(value), value.dump()) << text;
  }
}

// A byte-at-a-time escaper for valid UTF-8, to check the word-at-a-time scanner against.
std::string ReferenceQuote(const std::string& text) {
  std::string quoted = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\b':
        quoted += "\\b";
        break;
      case '\f':
        quoted += "\\f";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (c < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);
          quoted += escape;
        } else {
          quoted += static_cast<char>(c);
        }
    }
  }
  return quoted + "\"";
}

TEST(CanonicalJsonTest, EscapesAtEveryOffsetLikeAByteByByteReference) {
  // Every length and position, so that the 16-byte, 8-byte and tail paths of the scanner all
  // meet every kind of byte; "\x01 " checks that a control character does not taint the
  // space after it.
  const std::string specials[] = {
      std::string(1, '\0'), "\x1f", "\"", "\\", "\n", "\x7f", "\x01 ", "~", "é", "€", "😀",
      "\xef\xbf\xbf"};
  for (std::size_t length = 0; length <= 40; ++length) {
    const std::string plain(length, 'a');
    EXPECT_EQ(CanonicalOrDie(Json(plain)), ReferenceQuote(plain));
    for (std::size_t position = 0; position < length; ++position) {
      for (const std::string& special : specials) {
        std::string text = plain;
        text.replace(position, std::min(special.size(), length - position), special);
        EXPECT_EQ(CanonicalOrDie(Json(text)), ReferenceQuote(text)) << length << " " << position;
        std::string out;
        ASSERT_TRUE(AppendCanonicalString(text, out).ok());
        EXPECT_EQ(out, ReferenceQuote(text));
      }
      std::string invalid = plain;
      invalid[position] = '\xff';
      EXPECT_FALSE(Canonicalize(Json(invalid)).ok()) << length << " " << position;
    }
  }
}

// UTF-8 to UTF-16 code units, to sort names the way RFC 8785 says.
std::u16string Utf16(const std::string& utf8) {
  std::u16string units;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t code_point = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    if (code_point >= 0x10000) {
      units += static_cast<char16_t>(0xD800 + ((code_point - 0x10000) >> 10));
      units += static_cast<char16_t>(0xDC00 + ((code_point - 0x10000) & 0x3FF));
    } else {
      units += static_cast<char16_t>(code_point);
    }
    i += static_cast<std::size_t>(length);
  }
  return units;
}

TEST(CanonicalJsonTest, OrdersRandomNamesAsSortedUtf16) {
  const std::string alphabet[] = {"a",
                                  "z",
                                  "~",
                                  "é",
                                  "\xed\x9f\xbf",
                                  "\xee\x80\x80",
                                  "\xef\xbf\xbf",
                                  "𐀀",
                                  "😀",
                                  "\xf4\x8f\xbf\xbf"};
  std::mt19937 generator(8785);
  for (int round = 0; round < 200; ++round) {
    Json object = Json::object();
    std::vector<std::string> names;
    const int count = 1 + static_cast<int>(generator() % 12);
    for (int n = 0; n < count; ++n) {
      std::string name;
      const int length = 1 + static_cast<int>(generator() % 4);
      for (int k = 0; k < length; ++k) name += alphabet[generator() % std::size(alphabet)];
      if (!object.contains(name)) names.push_back(name);
      object[name] = n;
    }
    std::sort(names.begin(), names.end(),
              [](const std::string& a, const std::string& b) { return Utf16(a) < Utf16(b); });
    // Read the order back with a parser that keeps members in document order.
    const auto written = nlohmann::ordered_json::parse(CanonicalOrDie(object));
    std::vector<std::string> order;
    for (const auto& member : written.items()) order.push_back(member.key());
    EXPECT_EQ(order, names) << object.dump();
  }
}

}  // namespace
}  // namespace navolg
