// The database address (--db, NAVOLG_DB) as an operator meets it: another scheme is refused by
// navolg serve and by every command that opens a database, with a Dutch message naming the
// forms navolg takes; a PostgreSQL address is refused for now; and neither leaves a file or
// folder behind in the working directory.
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.h"

namespace navolg::testing {
namespace {

class DatabaseAddressCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    work_ = File("werkmap");
    ASSERT_TRUE(fs::create_directory(work_));
  }

  // Runs navolg in the empty working directory.
  RunResult InWork(const std::vector<std::string>& args) { return Navolg(args, work_.string()); }

  // What the working directory holds; empty when nothing was made.
  std::vector<std::string> WorkContents() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(work_)) {
      names.push_back(fs::relative(entry.path(), work_).string());
    }
    return names;
  }

  fs::path work_;
};

constexpr const char* kMysql = "mysql://navolg:geheim@db.example.nl/navolg";
// A PostgreSQL address where no server listens (port 1 of this machine): refused at once.
constexpr const char* kPostgres = "postgresql://navolg:geheim@127.0.0.1:1/navolg";

TEST_F(DatabaseAddressCliTest, ServeRefusesAnotherSchemeAndMakesNothing) {
  for (const char* address : {kMysql, "http://db.example.nl/navolg.db"}) {
    RunResult result = InWork({"serve", "--db", address, "--listen", "127.0.0.1:0"});
    EXPECT_EQ(result.exit_code, 2) << address << "\n" << result.err;
    EXPECT_TRUE(Contains(result.err, "ongeldige instelling --db (NAVOLG_DB)")) << result.err;
    EXPECT_TRUE(Contains(result.err, "wordt niet ondersteund")) << result.err;
    EXPECT_TRUE(Contains(result.err, "SQLite-bestand")) << result.err;
    EXPECT_TRUE(Contains(result.err, "postgresql://")) << result.err;
    EXPECT_FALSE(Contains(result.err, "geheim")) << "the password is printed: " << result.err;
    EXPECT_FALSE(Contains(result.out, "navolg luistert")) << result.out;
    EXPECT_EQ(WorkContents(), std::vector<std::string>{}) << address;
  }
  RunResult mysql = InWork({"serve", "--db", kMysql});
  EXPECT_TRUE(Contains(mysql.err, "'mysql://'")) << mysql.err;
}

TEST_F(DatabaseAddressCliTest, ServeExplainsAnUnreachablePostgresAndMakesNothing) {
  RunResult flag = InWork({"serve", "--db", kPostgres, "--listen", "127.0.0.1:0"});
  EXPECT_NE(flag.exit_code, 0) << flag.err;
  EXPECT_TRUE(Contains(flag.err, "databaseserver is niet bereikbaar")) << flag.err;
  EXPECT_TRUE(Contains(flag.err, "postgresql://navolg@127.0.0.1:1/navolg")) << flag.err;
  EXPECT_FALSE(Contains(flag.err, "geheim")) << "the password is printed: " << flag.err;
  EXPECT_FALSE(Contains(flag.out, "navolg luistert")) << flag.out;
  EXPECT_EQ(WorkContents(), std::vector<std::string>{});

  ::setenv("NAVOLG_DB", kPostgres, 1);
  RunResult env = InWork({"serve", "--listen", "127.0.0.1:0"});
  ::unsetenv("NAVOLG_DB");
  EXPECT_NE(env.exit_code, 0) << env.err;
  EXPECT_TRUE(Contains(env.err, "databaseserver is niet bereikbaar")) << env.err;
  EXPECT_EQ(WorkContents(), std::vector<std::string>{});
}

// Every command that takes --db reads it through the same function.
TEST_F(DatabaseAddressCliTest, EveryCommandWithADatabaseRefusesTheSameWay) {
  const std::vector<std::vector<std::string>> commands = {
      {"org", "add", "utrecht", "Gemeente Utrecht"},
      {"org", "webhook", "utrecht"},
      {"user", "add", "--org", "utrecht", "--role", "adviseur", "Anna"},
      {"user", "list", "--org", "utrecht"},
      {"user", "disable", "--org", "utrecht", "Anna"},
      {"audit", "export", "--process", "p-1"},
      {"audit", "check"},
      {"backup", "--out", "kopie.db"},
  };
  for (std::vector<std::string> command : commands) {
    const std::string name = command[0] + " " + command[1];
    std::vector<std::string> mysql = command;
    mysql.insert(mysql.begin() + (command[0] == "backup" ? 1 : 2), {"--db", kMysql});
    RunResult refused = InWork(mysql);
    EXPECT_EQ(refused.exit_code, 1) << name << "\n" << refused.err;
    EXPECT_TRUE(Contains(refused.err, "'mysql://' wordt niet ondersteund")) << refused.err;
    EXPECT_FALSE(Contains(refused.err, "geheim")) << refused.err;

    ::setenv("NAVOLG_DB", kPostgres, 1);
    RunResult postgres = InWork(command);
    ::unsetenv("NAVOLG_DB");
    EXPECT_EQ(postgres.exit_code, 1) << name << "\n" << postgres.err;
    EXPECT_TRUE(Contains(postgres.err,
                         command[0] == "backup" ? "pg_dump" : "databaseserver is niet bereikbaar"))
        << name << "\n"
        << postgres.err;
    EXPECT_FALSE(Contains(postgres.err, "geheim")) << postgres.err;
    EXPECT_EQ(WorkContents(), std::vector<std::string>{}) << name;
  }
}

}  // namespace
}  // namespace navolg::testing
