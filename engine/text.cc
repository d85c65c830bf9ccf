#include "engine/text.h"

namespace navolg {
namespace {

// Decodes the code point that starts at text[i] and advances i past it. Valid UTF-8 only.
char32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i++]);
  if (lead < 0x80) return lead;
  const int trailing = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
  char32_t code = lead & (0x3F >> trailing);
  for (int n = 0; n < trailing && i < text.size(); ++n) {
    code = (code << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
  }
  return code;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0); }

// Characters that take no room or show as blank: a title of only these looks empty.
bool IsInvisible(char32_t c) {
  switch (c) {
    case U' ':
    case 0x00A0:  // no-break space
    case 0x00AD:  // soft hyphen
    case 0x034F:  // combining grapheme joiner
    case 0x115F:  // Hangul fillers
    case 0x1160:
    case 0x180E:  // Mongolian vowel separator
    case 0x2060:  // word joiner ... invisible plus
    case 0x2061:
    case 0x2062:
    case 0x2063:
    case 0x2064:
    case 0x3000:  // ideographic space
    case 0x3164:  // Hangul filler
    case 0xFEFF:  // zero width no-break space (byte order mark)
    case 0xFFA0:  // halfwidth Hangul filler
      return true;
    default:
      break;
  }
  return (c >= 0x2000 && c <= 0x200F) ||  // spaces, zero width space/joiners, direction marks
         (c >= 0x202A && c <= 0x202F) ||  // direction embeddings, narrow no-break space
         (c >= 0x205F && c <= 0x206F) ||  // medium math space, invisible operators, controls
         (c >= 0xFE00 && c <= 0xFE0F);    // variation selectors
}

}  // namespace

std::int64_t CharacterCount(std::string_view text) {
  std::int64_t count = 0;
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

TitleFault FindTitleFault(std::string_view text) {
  bool visible = false;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = NextCodePoint(text, i);
    if (IsControl(c)) return TitleFault::kControl;
    if (c == 0x2028 || c == 0x2029) return TitleFault::kLineSeparator;
    if (!IsInvisible(c)) visible = true;
  }
  return visible ? TitleFault::kNone : TitleFault::kEmpty;
}

namespace {

// The small letter of a capital in U+00C0-U+017F; `c` itself for anything else.
char32_t SmallLatinLetter(char32_t c) {
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;  // À-Þ, not ×
  if (c == 0x178) return 0xFF;                               // Ÿ
  // Latin Extended-A pairs a capital with the small letter after it; where the pairs start
  // on an odd code point (Ĺ-Ň, Ź-Ž), the capital is odd.
  const bool odd_capitals = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
  const bool even_capitals = (c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
  if ((odd_capitals && c % 2 == 1) || (even_capitals && c % 2 == 0)) return c + 1;
  return c;
}

}  // namespace

std::string FoldCase(std::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    const char32_t c = NextCodePoint(text, i);
    if (c >= 'A' && c <= 'Z') {
      folded += static_cast<char>(c + ('a' - 'A'));
    } else if (c >= 0xC0 && c <= 0x17F && i - start == 2) {
      const char32_t small = SmallLatinLetter(c);
      folded += static_cast<char>(0xC0 | (small >> 6));
      folded += static_cast<char>(0x80 | (small & 0x3F));
    } else {
      folded.append(text.substr(start, i - start));
    }
  }
  return folded;
}

}  // namespace navolg
