#include "engine/calendar.h"

#include <gtest/gtest.h>

namespace navolg {
namespace {

TEST(CalendarTest, FormatsAndParsesTimeWithMilliseconds) {
  auto t = ParseTime("2026-11-28T17:00:00.123Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatTime(*t), "2026-11-28T17:00:00.123Z");
  EXPECT_FALSE(ParseTime("2026-11-28T17:00:00Z").has_value());
  EXPECT_FALSE(ParseTime("2026-11-28T24:00:00.000Z").has_value());
  EXPECT_FALSE(ParseTime("2026-02-30T10:00:00.000Z").has_value());
}

TEST(CalendarTest, ParsesOnlyRealDates) {
  EXPECT_TRUE(ParseDate("2024-02-29").has_value());
  EXPECT_FALSE(ParseDate("2025-02-29").has_value());
  EXPECT_FALSE(ParseDate("2025-1-01").has_value());
  EXPECT_FALSE(ParseDate("2025-13-01").has_value());
  EXPECT_FALSE(ParseDate("20250101").has_value());
  EXPECT_EQ(FormatDate(*ParseDate("0999-03-04")), "0999-03-04");
}

TEST(CalendarTest, AmsterdamDateFollowsLocalMidnight) {
  // Winter (CET, UTC+1): 23:30 UTC is 00:30 the next day in Amsterdam.
  EXPECT_EQ(FormatDate(AmsterdamDate(*ParseTime("2026-01-14T23:30:00.000Z"))), "2026-01-15");
  EXPECT_EQ(FormatDate(AmsterdamDate(*ParseTime("2026-01-14T22:59:59.999Z"))), "2026-01-14");
  // Summer (CEST, UTC+2): 22:00 UTC is already the next day.
  EXPECT_EQ(FormatDate(AmsterdamDate(*ParseTime("2026-07-14T22:00:00.000Z"))), "2026-07-15");
  EXPECT_EQ(FormatDate(AmsterdamDate(*ParseTime("2026-07-14T21:59:59.999Z"))), "2026-07-14");
}

TEST(CalendarTest, StartOfDayAcrossDaylightSavingChanges) {
  // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST. Midnight is still CET.
  EXPECT_EQ(FormatTime(AmsterdamStartOfDay(*ParseDate("2026-03-29"))), "2026-03-28T23:00:00.000Z");
  EXPECT_EQ(FormatTime(AmsterdamStartOfDay(*ParseDate("2026-03-30"))), "2026-03-29T22:00:00.000Z");
  // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET.
  EXPECT_EQ(FormatTime(AmsterdamStartOfDay(*ParseDate("2026-10-25"))), "2026-10-24T22:00:00.000Z");
  EXPECT_EQ(FormatTime(AmsterdamStartOfDay(*ParseDate("2026-10-26"))), "2026-10-25T23:00:00.000Z");
}

// What a clock on the wall in Amsterdam showed, on both sides of each change of the clocks.
TEST(CalendarTest, DutchDateTimeIsAmsterdamWallClockTime) {
  struct Case {
    const char* at;
    const char* expected;
  };
  const Case cases[] = {
      {"2026-12-28T13:05:59.999Z", "28 december 2026 14:05"},  // CET, UTC+1
      {"2026-07-14T22:30:00.000Z", "15 juli 2026 00:30"},      // CEST: already the next day
      {"2026-03-29T00:59:00.000Z", "29 maart 2026 01:59"},     // the last minute of CET
      {"2026-03-29T01:00:00.000Z", "29 maart 2026 03:00"},     // 02:00 CET is 03:00 CEST
      {"2026-10-25T00:30:00.000Z", "25 oktober 2026 02:30"},   // CEST, the first 02:30
      {"2026-10-25T01:30:00.000Z", "25 oktober 2026 02:30"},   // CET, the second 02:30
      {"2026-01-01T08:00:00.000Z", "1 januari 2026 09:00"},
  };
  for (const Case& c : cases) EXPECT_EQ(DutchDateTime(*ParseTime(c.at)), c.expected) << c.at;
}

TEST(CalendarTest, AddMonthsClampsToMonthEnd) {
  struct Case {
    const char* from;
    int months;
    const char* expected;
  };
  const Case cases[] = {
      {"2026-01-31", 1, "2026-02-28"},  {"2028-01-31", 1, "2028-02-29"},
      {"2026-03-31", 1, "2026-04-30"},  {"2026-08-31", 6, "2027-02-28"},
      {"2026-11-30", 3, "2027-02-28"},  {"2026-05-15", 12, "2027-05-15"},
      {"2026-12-31", 60, "2031-12-31"}, {"2026-01-01", 0, "2026-01-01"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatDate(AddMonths(*ParseDate(c.from), c.months)), c.expected) << c.from;
  }
  EXPECT_EQ(FormatDate(AddDays(*ParseDate("2026-12-25"), 14)), "2027-01-08");
  EXPECT_EQ(FormatDate(AddDays(*ParseDate("2028-02-28"), 1)), "2028-02-29");
}

}  // namespace
}  // namespace navolg
