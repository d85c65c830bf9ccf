#include "engine/canonical_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <vector>

namespace navolg {
namespace {

using Json = nlohmann::json;

enum class Fault { kFloat, kUnsafeInteger, kInvalidUtf8String, kInvalidUtf8Name, kTooDeep, kNotJson };

const char* Describe(Fault fault) {
  switch (fault) {
    case Fault::kFloat:
      return "floating-point number (the audit trail allows only integers)";
    case Fault::kUnsafeInteger:
      return "integer outside +-(2^53 - 1)";
    case Fault::kInvalidUtf8String:
      return "string is not valid UTF-8";
    case Fault::kInvalidUtf8Name:
      return "member name is not valid UTF-8";
    case Fault::kTooDeep:
      return "objects and arrays nested more than 128 levels deep";
    case Fault::kNotJson:
      return "binary or discarded value (not JSON)";
  }
  return "unknown fault";
}
static_assert(kMaxNestingDepth == 128, "update the kTooDeep message");

constexpr char kHexDigits[] = "0123456789abcdef";

// The string scanner copies runs of kLiteral bytes in bulk and stops only at the others.
enum ByteClass : unsigned char { kLiteral = 0, kEscaped = 1, kMultiByte = 2 };

constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> table{};
  for (std::size_t c = 0; c < 0x20; ++c) table[c] = kEscaped;
  table['"'] = kEscaped;
  table['\\'] = kEscaped;
  for (std::size_t c = 0x80; c < 0x100; ++c) table[c] = kMultiByte;
  return table;
}();

bool InRange(unsigned char c, unsigned char low, unsigned char high) {
  return c >= low && c <= high;
}

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF) that starts at p[0] >= 0x80, or 0 if there is none.
std::size_t Utf8SequenceLength(const unsigned char* p, std::size_t available) {
  const unsigned char lead = p[0];
  if (lead < 0xC2) return 0;  // a continuation byte, or an overlong 2-byte form
  if (lead < 0xE0) return available >= 2 && InRange(p[1], 0x80, 0xBF) ? 2 : 0;
  if (lead < 0xF0) {
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;  // ED A0.. would be a surrogate
    return available >= 3 && InRange(p[1], low, high) && InRange(p[2], 0x80, 0xBF) ? 3 : 0;
  }
  if (lead < 0xF5) {
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return available >= 4 && InRange(p[1], low, high) && InRange(p[2], 0x80, 0xBF) &&
                   InRange(p[3], 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

bool IsValidUtf8(std::string_view text) {
  const unsigned char* p = Bytes(text);
  for (std::size_t i = 0; i < text.size();) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = Utf8SequenceLength(p + i, text.size() - i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

void AppendEscape(unsigned char c, std::string& out) {
  switch (c) {
    case '"': out.append("\\\""); return;
    case '\\': out.append("\\\\"); return;
    case '\b': out.append("\\b"); return;
    case '\f': out.append("\\f"); return;
    case '\n': out.append("\\n"); return;
    case '\r': out.append("\\r"); return;
    case '\t': out.append("\\t"); return;
    default: {
      const char escape[6] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0x0f]};
      out.append(escape, sizeof escape);
    }
  }
}

// Appends `text` quoted and escaped. Returns false on invalid UTF-8, leaving a partial string
// in `out` for the caller to roll back.
bool AppendQuoted(std::string_view text, std::string& out) {
  const unsigned char* p = Bytes(text);
  const std::size_t size = text.size();
  out.push_back('"');
  std::size_t run_start = 0;  // the bytes since run_start are copied literally
  for (std::size_t i = 0; i < size;) {
    switch (kByteClass[p[i]]) {
      case kLiteral:
        ++i;
        break;
      case kMultiByte: {
        const std::size_t length = Utf8SequenceLength(p + i, size - i);
        if (length == 0) return false;
        i += length;
        break;
      }
      default:
        out.append(text.data() + run_start, i - run_start);
        AppendEscape(p[i], out);
        run_start = ++i;
    }
  }
  out.append(text.data() + run_start, size - run_start);
  out.push_back('"');
  return true;
}

// std::map orders names bytewise, which is code point order. UTF-16 order differs only when
// a name holds U+E000..U+FFFF (lead bytes EE, EF) or a non-BMP character (F0..F4).
bool NeedsUtf16Order(const Json::object_t& members) {
  for (const auto& member : members) {
    for (unsigned char c : member.first) {
      if (c >= 0xEE) return true;
    }
  }
  return false;
}

// Decodes the code point at p (valid UTF-8) and advances p past it.
char32_t NextCodePoint(const unsigned char*& p) {
  const unsigned char lead = *p++;
  if (lead < 0x80) return lead;
  const int continuation_bytes = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
  char32_t code_point = lead & (0x3F >> continuation_bytes);
  for (int i = 0; i < continuation_bytes; ++i) code_point = (code_point << 6) | (*p++ & 0x3F);
  return code_point;
}

// A key that orders code points the way their first UTF-16 code units order them: surrogate
// pairs (D800..DFFF) sort after U+0000..U+D7FF and before U+E000..U+FFFF.
std::uint32_t Utf16Rank(char32_t code_point) {
  if (code_point < 0xD800) return code_point;
  if (code_point >= 0x10000) return 0xD800 + (code_point - 0x10000);
  return 0xD800 + 0x100000 + (code_point - 0xE000);
}

bool Utf16Less(std::string_view a, std::string_view b) {
  const unsigned char *p = Bytes(a), *p_end = p + a.size();
  const unsigned char *q = Bytes(b), *q_end = q + b.size();
  while (p < p_end && q < q_end) {
    const std::uint32_t rank_a = Utf16Rank(NextCodePoint(p));
    const std::uint32_t rank_b = Utf16Rank(NextCodePoint(q));
    if (rank_a != rank_b) return rank_a < rank_b;
  }
  return p == p_end && q != q_end;
}

// A JSON pointer segment (RFC 6901) that is safe to print: bytes that are not valid UTF-8
// and control characters appear as \xNN.
std::string PointerSegment(std::string_view name) {
  std::string segment = "/";
  const unsigned char* p = Bytes(name);
  for (std::size_t i = 0; i < name.size();) {
    const unsigned char c = p[i];
    const std::size_t length = c < 0x80 ? 1 : Utf8SequenceLength(p + i, name.size() - i);
    if (c == '~') {
      segment += "~0";
    } else if (c == '/') {
      segment += "~1";
    } else if (length == 0 || c < 0x20 || c == 0x7F) {
      segment += {'\\', 'x', kHexDigits[c >> 4], kHexDigits[c & 0x0f]};
    } else {
      segment.append(name.substr(i, length));
    }
    i += length == 0 ? 1 : length;
  }
  return segment;
}

template <typename Integer>
void AppendDecimal(Integer value, std::string& out) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

// Writes one value tree. On failure it records what went wrong and, while the recursion
// unwinds, the JSON pointer to where (nothing is spent on the path when all is well).
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  // `depth` is the number of containers around `value`.
  bool Write(const Json& value, int depth) {
    switch (value.type()) {
      case Json::value_t::null:
        out_.append("null");
        return true;
      case Json::value_t::boolean:
        out_.append(*value.get_ptr<const Json::boolean_t*>() ? "true" : "false");
        return true;
      case Json::value_t::number_integer: {
        const std::int64_t number = *value.get_ptr<const Json::number_integer_t*>();
        if (number < -kMaxSafeInteger || number > kMaxSafeInteger) {
          return Fail(Fault::kUnsafeInteger);
        }
        AppendDecimal(number, out_);
        return true;
      }
      case Json::value_t::number_unsigned: {
        const std::uint64_t number = *value.get_ptr<const Json::number_unsigned_t*>();
        if (number > static_cast<std::uint64_t>(kMaxSafeInteger)) {
          return Fail(Fault::kUnsafeInteger);
        }
        AppendDecimal(number, out_);
        return true;
      }
      case Json::value_t::number_float:
        return Fail(Fault::kFloat);
      case Json::value_t::string:
        return AppendQuoted(*value.get_ptr<const Json::string_t*>(), out_) ||
               Fail(Fault::kInvalidUtf8String);
      case Json::value_t::array:
        return WriteArray(*value.get_ptr<const Json::array_t*>(), depth);
      case Json::value_t::object:
        return WriteObject(*value.get_ptr<const Json::object_t*>(), depth);
      case Json::value_t::binary:
      case Json::value_t::discarded:
        return Fail(Fault::kNotJson);
    }
    return Fail(Fault::kNotJson);
  }

  std::string ErrorMessage() const {
    std::string message = Describe(fault_);
    message += path_.empty() ? " at the top level" : " at " + path_;
    return message;
  }

 private:
  bool Fail(Fault fault) {
    fault_ = fault;
    return false;
  }

  bool WriteArray(const Json::array_t& elements, int depth) {
    if (depth >= kMaxNestingDepth) return Fail(Fault::kTooDeep);
    out_.push_back('[');
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i > 0) out_.push_back(',');
      if (!Write(elements[i], depth + 1)) {
        path_.insert(0, "/" + std::to_string(i));
        return false;
      }
    }
    out_.push_back(']');
    return true;
  }

  bool WriteObject(const Json::object_t& members, int depth) {
    if (depth >= kMaxNestingDepth) return Fail(Fault::kTooDeep);
    out_.push_back('{');
    bool first = true;
    if (!NeedsUtf16Order(members)) {
      for (const auto& [name, child] : members) {
        if (!WriteMember(name, child, depth, first)) return false;
      }
    } else {
      // Rare: sort pointers to the members. Names must be valid UTF-8 to be decoded.
      std::vector<const Json::object_t::value_type*> sorted;
      sorted.reserve(members.size());
      for (const auto& member : members) {
        if (!IsValidUtf8(member.first)) {
          path_.insert(0, PointerSegment(member.first));
          return Fail(Fault::kInvalidUtf8Name);
        }
        sorted.push_back(&member);
      }
      std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
        return Utf16Less(a->first, b->first);
      });
      for (const auto* member : sorted) {
        if (!WriteMember(member->first, member->second, depth, first)) return false;
      }
    }
    out_.push_back('}');
    return true;
  }

  bool WriteMember(const std::string& name, const Json& child, int depth, bool& first) {
    if (!first) out_.push_back(',');
    first = false;
    if (!AppendQuoted(name, out_)) {
      path_.insert(0, PointerSegment(name));
      return Fail(Fault::kInvalidUtf8Name);
    }
    out_.push_back(':');
    if (!Write(child, depth + 1)) {
      path_.insert(0, PointerSegment(name));
      return false;
    }
    return true;
  }

  std::string& out_;
  Fault fault_ = Fault::kNotJson;
  std::string path_;  // JSON pointer to the value that failed, built while unwinding
};

}  // namespace

Status AppendCanonical(const nlohmann::json& value, std::string& out) {
  const std::size_t original_size = out.size();
  Writer writer(out);
  if (writer.Write(value, 0)) return Status::Ok();
  out.resize(original_size);
  return Status(Code::kInvalidArgument, writer.ErrorMessage());
}

Result<std::string> Canonicalize(const nlohmann::json& value) {
  std::string out;
  out.reserve(256);
  Status status = AppendCanonical(value, out);
  if (!status.ok()) return status;
  return out;
}

Status AppendCanonicalString(std::string_view text, std::string& out) {
  const std::size_t original_size = out.size();
  if (AppendQuoted(text, out)) return Status::Ok();
  out.resize(original_size);
  return Status(Code::kInvalidArgument, Describe(Fault::kInvalidUtf8String));
}

}  // namespace navolg
