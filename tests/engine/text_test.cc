// Lengths in characters, and what makes a text unfit as a one-line title.
#include "engine/text.h"

#include <gtest/gtest.h>

#include <string>

namespace navolg {
namespace {

std::string Repeat(const std::string& piece, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += piece;
  return text;
}

TEST(TextTest, CountsCharactersNotBytes) {
  EXPECT_EQ(CharacterCount(""), 0);
  EXPECT_EQ(CharacterCount("Marktplein"), 10);
  EXPECT_EQ(CharacterCount(Repeat("é", 200)), 200);             // 400 bytes
  EXPECT_EQ(CharacterCount(Repeat("€", 3)), 3);                 // 3 bytes each
  EXPECT_EQ(CharacterCount(Repeat("\xF0\x9F\x8C\xB3", 5)), 5);  // U+1F333, 4 bytes each
}

TEST(TextTest, TitleFaults) {
  struct Case {
    std::string text;
    TitleFault fault;
  };
  const Case cases[] = {
      {"Marktplein", TitleFault::kNone},
      {"  Herinrichting Straße – fase 2 ", TitleFault::kNone},
      {"\xE2\x80\x8B"
       "a",
       TitleFault::kNone},  // a zero width space beside a letter is fine
      {"", TitleFault::kEmpty},
      {"   ", TitleFault::kEmpty},
      {"\xE2\x80\x8B", TitleFault::kEmpty},  // U+200B
      {"\xEF\xBB\xBF", TitleFault::kEmpty},  // U+FEFF
      {"\xE2\x80\x8B \xEF\xBB\xBF\xC2\xA0\xE2\x80\x8D\xE3\x80\x80", TitleFault::kEmpty},
      {std::string("Markt\0plein", 11), TitleFault::kControl},
      {"Markt\nplein", TitleFault::kControl},
      {"Markt\r\nplein", TitleFault::kControl},
      {"Markt\tplein", TitleFault::kControl},
      {"Markt\x7Fplein", TitleFault::kControl},
      {"Markt\xC2\x85plein", TitleFault::kControl},            // U+0085, next line
      {"Markt\xE2\x80\xA8plein", TitleFault::kLineSeparator},  // U+2028
      {"Markt\xE2\x80\xA9plein", TitleFault::kLineSeparator},  // U+2029
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FindTitleFault(c.text), c.fault) << c.text;
  }
}

TEST(TextTest, FoldCaseMakesCapitalsSmall) {
  struct Case {
    const char* text;
    const char* folded;
  };
  const Case cases[] = {
      {"Gemeente Utrecht", "gemeente utrecht"},
      {"GEMEENTE-A", "gemeente-a"},
      {"Súdwest-Fryslân", "súdwest-fryslân"},
      {"SÚDWEST-FRYSLÂN", "súdwest-fryslân"},
      {"\xC4\xB2sselstein", "\xC4\xB3sselstein"},  // the Dutch ligature Ĳ
      {"ŁÓDŹ ŸPÉ", "łódź ÿpé"},
      {"5 × 3 ß", "5 × 3 ß"},  // no capitals: unchanged
      {"Θ and Ж stay", "Θ and Ж stay"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(FoldCase(c.text), c.folded) << c.text;
}

}  // namespace
}  // namespace navolg
