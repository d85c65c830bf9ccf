// Text as users see it: lengths counted in characters (Unicode code points, so 'é' is one,
// not the two bytes UTF-8 spends on it), and the checks a one-line title needs. Pure;
// thread-safe. Every function expects valid UTF-8, which the JSON reader guarantees for
// everything a client sends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace navolg {

// The number of code points in `text`.
std::int64_t CharacterCount(std::string_view text);

// What is wrong with `text` as a one-line title; kNone when nothing is.
enum class TitleFault {
  kNone,
  kEmpty,         // nothing, or only spaces and invisible characters (U+200B, U+FEFF, ...)
  kControl,       // NUL, a line break, a tab or another control character (C0, DEL, C1)
  kLineSeparator  // U+2028 or U+2029, which some clients show as a line break
};
TitleFault FindTitleFault(std::string_view text);

// `text` with its capitals made small, for comparing names without regard to case: ASCII and
// the accented Latin letters of Dutch, Frisian and their neighbours (U+00C0-U+017F, so "Ĳ"
// and "Ú" too). Other characters stay as they are.
std::string FoldCase(std::string_view text);

}  // namespace navolg
