// navolg user add --password-stdin and --email, user passwd, user email and user list against
// a real database file, run as an operator would, with the password on standard input (as
// from a pipe).
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/password.h"
#include "storage/sessions.h"
#include "storage/sql/sqlite.h"
#include "tests/cli/cli_runner.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class CliUsersTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    RunResult org = Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"});
    ASSERT_EQ(org.exit_code, 0) << org.err;
  }

  std::string Db() const { return File("navolg.db").string(); }

  // The stored password hash of `name`: "" without one, "(geen gebruiker)" when absent.
  std::string StoredHash(const std::string& name) {
    storage::sql::SqliteDatabase db(Db());
    storage::sql::Statement query(db,
                                  "SELECT coalesce(password_hash, '') FROM users WHERE name = ?");
    query.bind(1, name);
    return query.executeStep() ? query.getColumn(0).getString() : "(geen gebruiker)";
  }

  // user add ... --password-stdin NAME, as an adviseur of utrecht.
  std::vector<std::string> AddWithPassword(const std::string& name) {
    return {
        "user", "add", "--db", Db(), "--org", "utrecht", "--role", "adviseur", "--password-stdin",
        name};
  }
};

TEST_F(CliUsersTest, UserAddWithPasswordStdinStoresOnlyASlowSaltedHash) {
  RunResult added = NavolgWithInput(AddWithPassword("Anna"), "een zin als wachtwoord\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  // The api.md contract holds: the token is the last line.
  const std::string token = Lines(added.out).back();
  EXPECT_EQ(token.rfind("navolg_", 0), 0u) << added.out;
  EXPECT_TRUE(Contains(added.out, "en een wachtwoord")) << added.out;

  const std::string stored = StoredHash("Anna");
  EXPECT_EQ(stored.rfind("$pbkdf2-sha256$i=600000$", 0), 0u) << stored;
  EXPECT_TRUE(storage::VerifyPassword("een zin als wachtwoord", stored).value());
  EXPECT_FALSE(Contains(ReadAll(Db()), "een zin als wachtwoord"));
  EXPECT_FALSE(Contains(added.out + added.err, "een zin als wachtwoord"));

  // Without the flag: no password, and standard input is not read.
  RunResult plain = NavolgWithInput(
      {"user", "add", "--db", Db(), "--org", "utrecht", "--role", "bestuur", "Bert"},
      "dit wordt niet gelezen\n");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(Contains(plain.out, "zonder wachtwoord")) << plain.out;
  EXPECT_EQ(StoredHash("Bert"), "");
}

TEST_F(CliUsersTest, BadPasswordsAreRefusedInDutchAndCreateNobody) {
  struct Case {
    std::string input;
    std::string words;
  };
  const std::vector<Case> cases = {
      {"", "Geen wachtwoord ontvangen op standaardinvoer"},
      {"\n", "leeg"},
      {"kort\n", "te kort (4 tekens)"},
      {"met\teen tab erin\n", "stuurteken"},
  };
  for (const Case& c : cases) {
    RunResult result = NavolgWithInput(AddWithPassword("Carla"), c.input);
    EXPECT_EQ(result.exit_code, 1) << "'" << c.input << "'";
    EXPECT_TRUE(Contains(result.err, c.words)) << result.err;
    EXPECT_TRUE(Contains(result.err, "niets gewijzigd")) << result.err;
    EXPECT_EQ(result.out, "");
  }
  EXPECT_EQ(StoredHash("Carla"), "(geen gebruiker)");
  // Usage errors are exit 2.
  EXPECT_EQ(Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "adviseur",
                    "--password-stdin=ja", "Carla"})
                .exit_code,
            2);
}

TEST_F(CliUsersTest, PasswdSetsANewPasswordAndEndsTheUsersSessions) {
  ASSERT_EQ(Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "manager", "Dirk"})
                .exit_code,
            0);
  {
    // Dirk signed in twice in a browser before.
    auto db = storage::OpenConnection({Db()});
    ASSERT_TRUE(db.ok());
    storage::sql::Statement id((*db)->db(), "SELECT id FROM users WHERE name = 'Dirk'");
    ASSERT_TRUE(id.executeStep());
    const Time now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(storage::CreateSession(**db, storage::NewSessionId().value(),
                                         id.getColumn(0).getString(), now)
                      .ok());
    }
  }
  // A Windows line end is not part of the password.
  RunResult set = NavolgWithInput({"user", "passwd", "--db", Db(), "--org", "utrecht", "Dirk"},
                                  "nieuw wachtwoord 123\r\n");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_TRUE(Contains(set.out, "wachtwoord van Dirk (utrecht) ingesteld; 2 sessies beeindigd"))
      << set.out;
  EXPECT_TRUE(storage::VerifyPassword("nieuw wachtwoord 123", StoredHash("Dirk")).value());
  storage::sql::SqliteDatabase db(Db());
  storage::sql::Statement sessions(db, "SELECT count(*) FROM sessions");
  ASSERT_TRUE(sessions.executeStep());
  EXPECT_EQ(sessions.getColumn(0).getInt(), 0);
}

TEST_F(CliUsersTest, PasswdRefusesWhatItCannotDo) {
  RunResult unknown = NavolgWithInput(
      {"user", "passwd", "--db", Db(), "--org", "utrecht", "Niemand"}, "een goed wachtwoord\n");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(Contains(unknown.err, "Organisatie 'utrecht' heeft geen gebruiker 'Niemand'"))
      << unknown.err;
  RunResult short_one =
      NavolgWithInput({"user", "passwd", "--db", Db(), "--org", "utrecht", "Niemand"}, "kort\n");
  EXPECT_EQ(short_one.exit_code, 1);

  const std::string missing = File("elders.db").string();
  RunResult no_database = NavolgWithInput(
      {"user", "passwd", "--db", missing, "--org", "utrecht", "Anna"}, "een goed wachtwoord\n");
  EXPECT_EQ(no_database.exit_code, 1);
  EXPECT_TRUE(Contains(no_database.err, "bestaat niet")) << no_database.err;
  EXPECT_FALSE(fs::exists(missing)) << "a mistyped --db must not create a database";

  EXPECT_EQ(Navolg({"user", "passwd", "--db", Db(), "Anna"}).exit_code, 2);  // no --org
  EXPECT_EQ(Navolg({"user", "passwd", "--db", Db(), "--org", "utrecht"}).exit_code, 2);
  EXPECT_EQ(Navolg({"user", "wachtwoord", "--db", Db()}).exit_code, 2);
}

TEST_F(CliUsersTest, UserListShowsWhoCanSignInWithAPassword) {
  ASSERT_EQ(NavolgWithInput(AddWithPassword("Anna"), "een zin als wachtwoord\n").exit_code, 0);
  ASSERT_EQ(Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "auditor", "Bert"})
                .exit_code,
            0);
  RunResult list = Navolg({"user", "list", "--db", Db(), "--org", "utrecht"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const std::vector<std::string> lines = Lines(list.out);
  ASSERT_EQ(lines.size(), 3u) << list.out;
  EXPECT_TRUE(Contains(lines[1], "adviseur") && Contains(lines[1], " ja ") &&
              Contains(lines[1], "Anna"))
      << lines[1];
  EXPECT_TRUE(Contains(lines[2], "auditor") && Contains(lines[2], " nee ") &&
              Contains(lines[2], "Bert"))
      << lines[2];
  RunResult other = Navolg({"user", "list", "--db", Db(), "--org", "amsterdam"});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_TRUE(Contains(other.err, "Organisatie 'amsterdam' bestaat niet")) << other.err;
}

// An e-mail address is optional: given with user add --email, shown, changed and removed
// with user email, listed by user list; a malformed one is refused in Dutch, changing nothing.
TEST_F(CliUsersTest, UserEmailAddresses) {
  RunResult added = Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "adviseur",
                            "--email", "anna@utrecht.nl", "Anna de Vries"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::vector<std::string> email = {"user", "email", "--db", Db(), "--org", "utrecht"};
  const auto with = [](std::vector<std::string> args, std::vector<std::string> more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  RunResult shown = Navolg(with(email, {"Anna de Vries"}));
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out, "anna@utrecht.nl\n");

  RunResult changed = Navolg(with(email, {"--email", "a.devries@utrecht.nl", "Anna de Vries"}));
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_TRUE(Contains(changed.out, "ingesteld: a.devries@utrecht.nl")) << changed.out;
  RunResult list = Navolg({"user", "list", "--db", Db(), "--org", "utrecht"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, "e-mail")) << list.out;
  EXPECT_TRUE(Contains(Lines(list.out)[1], "a.devries@utrecht.nl")) << list.out;

  RunResult refused = Navolg(with(email, {"--email", "a.devries@utrecht", "Anna de Vries"}));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Contains(refused.err, "'a.devries@utrecht' is geen geldig e-mailadres"))
      << refused.err;
  EXPECT_EQ(Navolg(with(email, {"Anna de Vries"})).out, "a.devries@utrecht.nl\n");

  RunResult removed = Navolg(with(email, {"--remove", "Anna de Vries"}));
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_TRUE(Contains(removed.out, "verwijderd")) << removed.out;
  EXPECT_TRUE(Contains(Navolg(with(email, {"Anna de Vries"})).out, "heeft geen e-mailadres"));

  RunResult bad_add = Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "auditor",
                              "--email", "geen adres", "Bert"});
  EXPECT_EQ(bad_add.exit_code, 1);
  EXPECT_TRUE(Contains(bad_add.err, "is geen geldig e-mailadres")) << bad_add.err;
  EXPECT_EQ(StoredHash("Bert"), "(geen gebruiker)") << "a refused address leaves no user behind";

  EXPECT_EQ(Navolg(with(email, {"--email", "x@y.nl", "--remove", "Anna de Vries"})).exit_code, 2);
  EXPECT_EQ(Navolg({"user", "email", "--db", Db(), "Anna de Vries"}).exit_code, 2);  // no --org
  EXPECT_EQ(Navolg(with(email, {"Niemand"})).exit_code, 1);
}

TEST_F(CliUsersTest, UserDisableAndEnable) {
  RunResult anna = NavolgWithInput(AddWithPassword("Anna"), "een zin als wachtwoord\n");
  ASSERT_EQ(anna.exit_code, 0) << anna.err;
  const std::string token = Lines(anna.out).back();
  ASSERT_EQ(Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "beheerder", "Bea"})
                .exit_code,
            0);
  const std::vector<std::string> disable = {"user", "disable", "--db", Db(), "--org", "utrecht"};
  const auto with = [](std::vector<std::string> args, const std::string& name) {
    args.push_back(name);
    return args;
  };

  RunResult disabled = Navolg(with(disable, "Anna"));
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_TRUE(Contains(disabled.out, "Anna (utrecht) gedeactiveerd")) << disabled.out;
  EXPECT_TRUE(Contains(disabled.out, "1 token ingetrokken")) << disabled.out;
  {
    auto db = storage::OpenConnection({Db()});
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(storage::FindUserByToken(**db, token).status().code(), Code::kNotFound);
  }
  RunResult list = Navolg({"user", "list", "--db", Db(), "--org", "utrecht"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, "actief")) << list.out;
  for (const std::string& line : Lines(list.out)) {
    if (Contains(line, "Anna")) {
      EXPECT_TRUE(Contains(line, "  nee     Anna")) << line;
    }
    if (Contains(line, "Bea")) {
      EXPECT_TRUE(Contains(line, "  ja      Bea")) << line;
    }
  }
  EXPECT_TRUE(Contains(Navolg(with(disable, "Anna")).out, "was al gedeactiveerd"));

  // The last active beheerder stays.
  RunResult last = Navolg(with(disable, "Bea"));
  EXPECT_EQ(last.exit_code, 1);
  EXPECT_TRUE(Contains(last.err, "laatste actieve beheerder")) << last.err;

  RunResult enabled = Navolg({"user", "enable", "--db", Db(), "--org", "utrecht", "Anna"});
  ASSERT_EQ(enabled.exit_code, 0) << enabled.err;
  EXPECT_TRUE(Contains(enabled.out, "geactiveerd")) << enabled.out;
  {
    auto db = storage::OpenConnection({Db()});
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(storage::FindUserByToken(**db, token).status().code(), Code::kNotFound)
        << "revoked tokens stay revoked";
  }
  // The command line's changes are in the security log, without an actor or an address.
  storage::sql::SqliteDatabase raw(Db());
  storage::sql::Statement log(raw,
                              "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM security_log "
                              "WHERE actor_id IS NULL AND client_address IS NULL ORDER BY id)");
  ASSERT_TRUE(log.executeStep());
  EXPECT_EQ(log.getColumn(0).getString(),
            "user.created user.created user.deactivated user.activated");
  EXPECT_EQ(Navolg({"user", "enable", "--db", Db(), "--org", "utrecht", "Niemand"}).exit_code, 1);
  EXPECT_EQ(Navolg({"user", "disable", "--db", Db(), "Anna"}).exit_code, 2);
  EXPECT_EQ(Navolg({"user", "enable", "--db", Db(), "--org", "utrecht"}).exit_code, 2);
}

TEST_F(CliUsersTest, HelpNamesThePasswordCommands) {
  RunResult help = Navolg({"--help"});
  EXPECT_TRUE(Contains(help.out, "--password-stdin")) << help.out;
  EXPECT_TRUE(Contains(help.out, "navolg user passwd")) << help.out;
  RunResult add_help = Navolg({"user", "add", "--help"});
  EXPECT_EQ(add_help.exit_code, 0);
  EXPECT_TRUE(Contains(add_help.out, "600.000")) << add_help.out;
  RunResult passwd_help = Navolg({"user", "passwd", "--help"});
  EXPECT_EQ(passwd_help.exit_code, 0);
  EXPECT_TRUE(Contains(passwd_help.out, "sessies")) << passwd_help.out;
}

TEST_F(CliUsersTest, ServeRefusesAPublicUrlWithAPath) {
  RunResult serve = Navolg({"serve", "--db", Db(), "--listen", "127.0.0.1:0", "--public-url",
                            "https://navolg.gemeente.nl/navolg"});
  EXPECT_EQ(serve.exit_code, 2);
  EXPECT_TRUE(Contains(serve.err, "geen geschikt publiek adres")) << serve.err;
}

}  // namespace
}  // namespace navolg
