// The overview's page cursor: what it writes it reads back, and nothing else.
#include "storage/deadline_overview.h"

#include <gtest/gtest.h>

namespace navolg::storage {
namespace {

TEST(OverviewCursorTest, RoundTripsAndIsUrlSafe) {
  const OverviewCursor cursor{1775772000000, "p-019cadb21a4007d3e6f1", "terugkoppeling", 2};
  const std::string text = FormatOverviewCursor(cursor);
  EXPECT_EQ(text, "1775772000000.p-019cadb21a4007d3e6f1.terugkoppeling.2");
  auto parsed = ParseOverviewCursor(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->overdue_from, cursor.overdue_from);
  EXPECT_EQ(parsed->process_id, cursor.process_id);
  EXPECT_EQ(parsed->key, cursor.key);
  EXPECT_EQ(parsed->instance, cursor.instance);
}

TEST(OverviewCursorTest, RefusesWhatItCannotHaveWritten) {
  for (const char* text :
       {"", "1.p-1.key", "1.p-1.key.1.5", "x.p-1.key.1", "1..key.1", "1.p-1..1", "1.p-1.key.",
        "-1.p-1.key.1", "1.p 1.key.1", "1.p-1.Key.1", "1.p-1.key.1x", "1.p-1.k'ey.1",
        "99999999999999999999.p-1.key.1", "1.p-1.key.99999999999999999999"}) {
    EXPECT_FALSE(ParseOverviewCursor(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace navolg::storage
