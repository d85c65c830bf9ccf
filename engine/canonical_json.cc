#include "engine/canonical_json.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace navolg {
namespace {

using Json = nlohmann::json;
using std::string_view_literals::operator""sv;

enum class Fault {
  kFloat,
  kUnsafeInteger,
  kInvalidUtf8String,
  kInvalidUtf8Name,
  kTooDeep,
  kNotJson
};

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

// memcpy without a library call for the short strings that most names and values are: two
// overlapping fixed-size copies, which the compiler turns into plain loads and stores.
void CopyBytes(char* to, const char* from, std::size_t size) {
  if (size >= 8 && size <= 16) {
    char head[8], tail[8];
    std::memcpy(head, from, 8);
    std::memcpy(tail, from + size - 8, 8);
    std::memcpy(to, head, 8);
    std::memcpy(to + size - 8, tail, 8);
  } else if (size >= 4 && size < 8) {
    char head[4], tail[4];
    std::memcpy(head, from, 4);
    std::memcpy(tail, from + size - 4, 4);
    std::memcpy(to, head, 4);
    std::memcpy(to + size - 4, tail, 4);
  } else if (size != 0) {
    std::memcpy(to, from, size);
  }
}

// Writes into a std::string through a cursor. The string is grown ahead of the cursor and
// cut back at the end, so that the hot path stores bytes directly instead of making a
// std::string call (capacity check, terminator) for every quote, comma and name.
class Sink {
 public:
  explicit Sink(std::string& out)
      : out_(out), start_(out.size()), cursor_(out.data() + out.size()), limit_(cursor_) {}
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  // Room for n bytes at the cursor; valid until the next Reserve.
  char* Reserve(std::size_t n) {
    if (static_cast<std::size_t>(limit_ - cursor_) < n) Grow(n);
    return cursor_;
  }
  void Advance(std::size_t n) { cursor_ += n; }
  void Put(char c) {
    *Reserve(1) = c;
    ++cursor_;
  }
  void Put(std::string_view bytes) {
    CopyBytes(Reserve(bytes.size()), bytes.data(), bytes.size());
    cursor_ += bytes.size();
  }
  std::size_t position() const { return static_cast<std::size_t>(cursor_ - out_.data()); }
  void Rewind(std::size_t position) { cursor_ = out_.data() + position; }

  // Leaves `out` holding what it held before plus what was written; or, with Abandon, only
  // what it held before.
  void Finish() { out_.resize(position()); }
  void Abandon() { out_.resize(start_); }

 private:
  [[gnu::noinline]] void Grow(std::size_t n) {
    const std::size_t used = position();
    out_.resize(used + n + std::max<std::size_t>(256, used - start_));
    cursor_ = out_.data() + used;
    limit_ = out_.data() + out_.size();
  }

  std::string& out_;
  const std::size_t start_;
  char* cursor_;  // out_.data() + the bytes written so far
  char* limit_;   // out_.data() + out_.size()
};

// The letter of the two-character escape for c, or 0 if c is written as \u00xx.
constexpr std::array<char, 0x20> kShortEscapes = [] {
  std::array<char, 0x20> table{};
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  return table;
}();

// Writes the escape for c: a control character, '"' or '\\'.
void AppendEscape(unsigned char c, Sink& sink) {
  char* out = sink.Reserve(6);
  out[0] = '\\';
  const char letter = c >= 0x20 ? static_cast<char>(c) : kShortEscapes[c];
  if (letter != 0) {
    out[1] = letter;
    sink.Advance(2);
    return;
  }
  const char unicode[5] = {'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0x0f]};
  std::memcpy(out + 1, unicode, sizeof unicode);
  sink.Advance(6);
}

// Word-at-a-time scanning (escaping must cost less than hashing the same bytes). For 8 bytes
// loaded little-endian, SpecialBytes sets bit 7 of exactly those bytes that are not copied
// as they are: control characters, '"', '\\' and non-ASCII bytes. Each byte is computed on
// its own (no carries between bytes), so bytes may be masked or shifted out freely.
constexpr std::uint64_t kOnes = 0x0101010101010101;
constexpr std::uint64_t kLow7 = kOnes * 0x7F;
constexpr std::uint64_t kHigh = kOnes * 0x80;

std::uint64_t ZeroBytes(std::uint64_t word) { return ~(((word & kLow7) + kLow7) | word) & kHigh; }

std::uint64_t SpecialBytes(std::uint64_t word) {
  const std::uint64_t below_space = ~(((word & kLow7) + kOnes * (0x80 - 0x20)) | word) & kHigh;
  return below_space | ZeroBytes(word ^ (kOnes * '"')) | ZeroBytes(word ^ (kOnes * '\\')) |
         (word & kHigh);
}

std::uint64_t Load8(const unsigned char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// p[0, size) for 1 <= size < 8 in the low bytes, without a byte loop; the rest is zero.
std::uint64_t LoadShort(const unsigned char* p, std::size_t size) {
  if (size >= 4) {  // two overlapping 4-byte loads agree where they overlap
    std::uint32_t low, high;
    std::memcpy(&low, p, sizeof low);
    std::memcpy(&high, p + size - 4, sizeof high);
    return low | (std::uint64_t{high} << (8 * (size - 4)));
  }
  return p[0] | (std::uint64_t{p[size / 2]} << (8 * (size / 2))) |
         (std::uint64_t{p[size - 1]} << (8 * (size - 1)));
}

// The index of the first byte in p[from, size) that is not copied as it is, or `size`.
std::size_t FindSpecial(const unsigned char* p, std::size_t size, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; size - i >= 16; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // A signed comparison: non-ASCII bytes are negative, so they are "below a space" too.
    const __m128i special =
        _mm_or_si128(_mm_cmplt_epi8(bytes, space),
                     _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    if (const int mask = _mm_movemask_epi8(special); mask != 0) {
      return i + static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(mask)));
    }
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    for (; size - i >= 8; i += 8) {
      if (const std::uint64_t special = SpecialBytes(Load8(p + i)); special != 0) {
        return i + static_cast<std::size_t>(std::countr_zero(special)) / 8;
      }
    }
    if (i == size) return size;
    // The last 1..7 bytes: shift out the bytes before i, which were seen already.
    const std::uint64_t special =
        size >= 8 ? SpecialBytes(Load8(p + size - 8)) >> (8 * (i - (size - 8)))
                  : (SpecialBytes(LoadShort(p, size)) & ((std::uint64_t{1} << (8 * size)) - 1)) >>
                        (8 * i);
    return special == 0 ? size : i + static_cast<std::size_t>(std::countr_zero(special)) / 8;
  } else {
    while (i < size && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' && p[i] != '\\') ++i;
    return i;
  }
}

enum class Quoted {
  kDone,
  kDoneWithHighCharacters,  // holds U+E000 or above: UTF-16 order may differ from byte order
  kInvalidUtf8,
};

// Writes `text` quoted and escaped. On kInvalidUtf8 a partial string is left in `sink` for
// the caller to abandon.
Quoted AppendQuoted(std::string_view text, Sink& sink) {
  const unsigned char* p = Bytes(text);
  const std::size_t size = text.size();
  if constexpr (std::endian::native == std::endian::little) {
    if (size >= 8 && size <= 16) {  // most names and many values: check and copy in one go
      const std::uint64_t head = Load8(p), tail = Load8(p + size - 8);
      if ((SpecialBytes(head) | SpecialBytes(tail)) == 0) {
        char* out = sink.Reserve(size + 2);
        out[0] = '"';
        std::memcpy(out + 1, &head, 8);
        std::memcpy(out + 1 + size - 8, &tail, 8);
        out[size + 1] = '"';
        sink.Advance(size + 2);
        return Quoted::kDone;
      }
    }
  }
  std::size_t i = FindSpecial(p, size, 0);
  if (i == size) {  // the common case: nothing to escape or to check
    char* out = sink.Reserve(size + 2);
    out[0] = '"';
    CopyBytes(out + 1, text.data(), size);
    out[size + 1] = '"';
    sink.Advance(size + 2);
    return Quoted::kDone;
  }
  bool high = false;
  sink.Put('"');
  std::size_t run_start = 0;  // the bytes since run_start are copied as they are
  for (; i < size; i = FindSpecial(p, size, i)) {
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const std::size_t length = Utf8SequenceLength(p + i, size - i);
      if (length == 0) return Quoted::kInvalidUtf8;
      high = high || c >= 0xEE;  // lead bytes EE, EF: U+E000..U+FFFF; F0..F4: non-BMP
      i += length;
    } else {
      sink.Put(text.substr(run_start, i - run_start));
      AppendEscape(c, sink);
      run_start = ++i;
    }
  }
  sink.Put(text.substr(run_start));
  sink.Put('"');
  return high ? Quoted::kDoneWithHighCharacters : Quoted::kDone;
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
void AppendDecimal(Integer value, Sink& sink) {
  constexpr std::size_t kMaxDigits = 24;
  char* out = sink.Reserve(kMaxDigits);
  sink.Advance(static_cast<std::size_t>(std::to_chars(out, out + kMaxDigits, value).ptr - out));
}

// Writes one value tree. On failure it records what went wrong and, while the recursion
// unwinds, the JSON pointer to where (nothing is spent on the path when all is well).
class Writer {
 public:
  explicit Writer(std::string& out) : sink_(out) {}

  // Writes `value`; on failure leaves `out` as it was.
  Status Write(const Json& value) {
    if (WriteValue(value, 0)) {
      sink_.Finish();
      return Status::Ok();
    }
    sink_.Abandon();
    std::string message = Describe(fault_);
    message += path_.empty() ? " at the top level" : " at " + path_;
    return Status(Code::kInvalidArgument, std::move(message));
  }

 private:
  // `depth` is the number of containers around `value`.
  bool WriteValue(const Json& value, int depth) {
    switch (value.type()) {
      case Json::value_t::null:
        sink_.Put("null"sv);
        return true;
      case Json::value_t::boolean:
        sink_.Put(*value.get_ptr<const Json::boolean_t*>() ? "true"sv : "false"sv);
        return true;
      case Json::value_t::number_integer: {
        const std::int64_t number = *value.get_ptr<const Json::number_integer_t*>();
        if (number < -kMaxSafeInteger || number > kMaxSafeInteger) {
          return Fail(Fault::kUnsafeInteger);
        }
        AppendDecimal(number, sink_);
        return true;
      }
      case Json::value_t::number_unsigned: {
        const std::uint64_t number = *value.get_ptr<const Json::number_unsigned_t*>();
        if (number > static_cast<std::uint64_t>(kMaxSafeInteger)) {
          return Fail(Fault::kUnsafeInteger);
        }
        AppendDecimal(number, sink_);
        return true;
      }
      case Json::value_t::number_float:
        return Fail(Fault::kFloat);
      case Json::value_t::string:
        return AppendQuoted(*value.get_ptr<const Json::string_t*>(), sink_) !=
                   Quoted::kInvalidUtf8 ||
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

  // The error paths are kept out of line so that the hot path stays small.
  [[gnu::cold, gnu::noinline]] bool Fail(Fault fault) {
    fault_ = fault;
    return false;
  }

  [[gnu::cold, gnu::noinline]] bool PrependToPath(const std::string& segment) {
    path_.insert(0, segment);
    return false;
  }

  bool WriteArray(const Json::array_t& elements, int depth) {
    if (depth >= kMaxNestingDepth) return Fail(Fault::kTooDeep);
    sink_.Put('[');
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i > 0) sink_.Put(',');
      if (!WriteValue(elements[i], depth + 1)) {
        return PrependToPath("/" + std::to_string(i));
      }
    }
    sink_.Put(']');
    return true;
  }

  bool WriteObject(const Json::object_t& members, int depth) {
    if (depth >= kMaxNestingDepth) return Fail(Fault::kTooDeep);
    // std::map orders names bytewise, which is code point order. That is UTF-16 order unless
    // a name holds U+E000 or above; only then, rarely, is the object written again.
    const std::size_t start = sink_.position();
    sink_.Put('{');
    bool first = true, high_names = false;
    for (const auto& [name, child] : members) {
      if (!WriteMember(name, child, depth, first, high_names)) return false;
    }
    if (high_names) {
      sink_.Rewind(start);
      return WriteObjectInUtf16Order(members, depth);
    }
    sink_.Put('}');
    return true;
  }

  // All names are known to be valid UTF-8: the bytewise pass got through them.
  bool WriteObjectInUtf16Order(const Json::object_t& members, int depth) {
    std::vector<const Json::object_t::value_type*> sorted;
    sorted.reserve(members.size());
    for (const auto& member : members) sorted.push_back(&member);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return Utf16Less(a->first, b->first); });
    sink_.Put('{');
    bool first = true, high_names = false;
    for (const auto* member : sorted) {
      if (!WriteMember(member->first, member->second, depth, first, high_names)) return false;
    }
    sink_.Put('}');
    return true;
  }

  bool WriteMember(const std::string& name, const Json& child, int depth, bool& first,
                   bool& high_names) {
    if (!first) sink_.Put(',');
    first = false;
    switch (AppendQuoted(name, sink_)) {
      case Quoted::kDone:
        break;
      case Quoted::kDoneWithHighCharacters:
        high_names = true;
        break;
      case Quoted::kInvalidUtf8:
        PrependToPath(PointerSegment(name));
        return Fail(Fault::kInvalidUtf8Name);
    }
    sink_.Put(':');
    if (!WriteValue(child, depth + 1)) {
      return PrependToPath(PointerSegment(name));
    }
    return true;
  }

  Sink sink_;
  Fault fault_ = Fault::kNotJson;
  std::string path_;  // JSON pointer to the value that failed, built while unwinding
};

}  // namespace

Status AppendCanonical(const nlohmann::json& value, std::string& out) {
  Writer writer(out);
  return writer.Write(value);
}

Result<std::string> Canonicalize(const nlohmann::json& value) {
  std::string out;
  out.reserve(256);
  Status status = AppendCanonical(value, out);
  if (!status.ok()) return status;
  return out;
}

Status AppendCanonicalString(std::string_view text, std::string& out) {
  if (FindSpecial(Bytes(text), text.size(), 0) == text.size()) {  // the common case
    out.reserve(out.size() + text.size() + 2);
    out.push_back('"');
    out.append(text);
    out.push_back('"');
    return Status::Ok();
  }
  Sink sink(out);
  if (AppendQuoted(text, sink) != Quoted::kInvalidUtf8) {
    sink.Finish();
    return Status::Ok();
  }
  sink.Abandon();
  return Status(Code::kInvalidArgument, Describe(Fault::kInvalidUtf8String));
}

}  // namespace navolg
