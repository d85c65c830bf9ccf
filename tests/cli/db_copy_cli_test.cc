// navolg db copy as an operator runs it (SQLite to SQLite here; both directions through
// PostgreSQL in tests/storage/database_copy_test.cc): the copy is made and checked, a target
// with data is refused untouched, a missing source or option is explained.
#include "tests/cli/cli_runner.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class DbCopyCliTest : public CliTest {
 protected:
  std::string Db(const char* name) const { return File(name).string(); }
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(DbCopyCliTest, CopiesChecksAndRefusesATargetWithData) {
  ASSERT_EQ(Navolg({"org", "add", "--db", Db("bron.db"), "utrecht", "Gemeente Utrecht"}).exit_code,
            0);
  ASSERT_EQ(Navolg({"user", "add", "--db", Db("bron.db"), "--org", "utrecht", "--role", "adviseur",
                    "Anna"})
                .exit_code,
            0);
  RunResult copied = Navolg({"db", "copy", "--from", Db("bron.db"), "--to", Db("doel.db")});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_TRUE(Contains(copied.out, "Gekopieerd van " + Db("bron.db"))) << copied.out;
  EXPECT_TRUE(Contains(copied.out, "Gecontroleerd")) << copied.out;
  RunResult listed = Navolg({"user", "list", "--db", Db("doel.db"), "--org", "utrecht"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(Contains(listed.out, "Anna")) << listed.out;

  RunResult again = Navolg({"db", "copy", "--from", Db("bron.db"), "--to", Db("doel.db")});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(Contains(again.err, "niet leeg")) << again.err;

  RunResult missing = Navolg({"db", "copy", "--from", Db("weg.db"), "--to", Db("nieuw.db")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Contains(missing.err, "bestaat niet")) << missing.err;
  EXPECT_FALSE(fs::exists(File("weg.db")));

  RunResult usage = Navolg({"db", "copy", "--from", Db("bron.db")});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_TRUE(Contains(usage.err, "--from en --to zijn verplicht")) << usage.err;
  RunResult foreign = Navolg({"db", "copy", "--from", Db("bron.db"), "--to", "mysql://x/y"});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_TRUE(Contains(foreign.err, "'mysql://' wordt niet ondersteund")) << foreign.err;
}

}  // namespace
}  // namespace navolg
