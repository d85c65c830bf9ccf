// `navolg serve --demo` as a newcomer meets it: a new database gets the example organisation,
// a user per role and three processes made through the API; the manager signs in and sees the
// overdue terugkoppeling, bestuur sees what waits for adoption; the passwords are not written
// where the output is no terminal; a database with organisations of its own is refused.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "storage/connection.h"
#include "storage/directory.h"
#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"

namespace navolg::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class DemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("navolg-demo-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "navolg.db").string();
  }
  void TearDown() override {
    server_.Stop();
    fs::remove_all(dir_);
  }

  // Gives `name` of the example organisation a password and signs in; the cookie header.
  std::string SignInAs(const std::string& name) {
    const std::string password = "een-lang-genoeg-wachtwoord";
    const std::string set =
        Shell("printf '%s\\n' '" + password + "' | " + NAVOLG_BINARY + " user passwd --db " + db_ +
              " --org voorbeeldgemeente '" + name + "' 2>&1");
    EXPECT_NE(set.find("ingesteld"), std::string::npos) << set;
    HttpConnection connection(server_.port);
    const HttpResult signed_in = connection.Request(
        "POST", "/api/v1/session", "",
        json{{"organisation", "voorbeeldgemeente"}, {"name", name}, {"password", password}}.dump());
    EXPECT_EQ(signed_in.status, 200) << signed_in.body;
    const std::string cookie = signed_in.Header("set-cookie");
    return "Cookie: " + cookie.substr(0, cookie.find(';')) + "\r\n";
  }

  json Get(const std::string& cookie, const std::string& target) {
    HttpConnection connection(server_.port);
    const HttpResult result = connection.Request("GET", target, cookie);
    EXPECT_EQ(result.status, 200) << target << ": " << result.body;
    return json::parse(result.body, nullptr, false);
  }

  fs::path dir_;
  std::string db_;
  ServeChild server_;
};

TEST_F(DemoTest, ANewDatabaseGetsAnExampleWithSomethingOnEveryPage) {
  server_ = StartServe(NAVOLG_BINARY, db_, {"--demo"});
  ASSERT_NE(server_.port, 0) << server_.banner;
  const std::string summary = ReadLineContaining(server_, "Voorbeeld:");
  EXPECT_NE(summary.find("voorbeeldgemeente"), std::string::npos) << summary;
  const std::string passwords = ReadLineContaining(server_, "wachtwoorden");
  EXPECT_NE(passwords.find("alleen op een terminal"), std::string::npos) << passwords;

  const std::string manager = SignInAs("Mila Bakker");
  const json processes = Get(manager, "/api/v1/processes");
  ASSERT_EQ(processes["items"].size(), 3u) << processes.dump();
  const json deadlines = Get(manager, "/api/v1/deadlines");
  bool overdue_found = false;
  for (const json& item : deadlines["items"]) {
    if (item.dump().find("Verkeersveiligheid Schoolstraat") == std::string::npos) continue;
    overdue_found = true;
    EXPECT_EQ(item.value("overdue", false), true) << item.dump();
  }
  EXPECT_TRUE(overdue_found) << deadlines.dump();

  // The process list names the state each is in: kaders, gesprek and duiden.
  std::set<std::string> states;
  for (const json& item : processes["items"]) states.insert(item.value("state", ""));
  EXPECT_EQ(states, (std::set<std::string>{"kaders", "gesprek", "duiden"}));

  // Bestuur signs in as well and is who the example says.
  const json bestuur = Get(SignInAs("Wethouder Van Dijk"), "/api/v1/me");
  EXPECT_EQ(bestuur.value("role", ""), "bestuur") << bestuur.dump();
}

TEST_F(DemoTest, ADatabaseWithOrganisationsOfItsOwnIsRefusedAndUnchanged) {
  Shell(std::string(NAVOLG_BINARY) + " org add --db " + db_ + " utrecht Utrecht");
  const std::string out = Shell(std::string(NAVOLG_BINARY) + " serve --db " + db_ +
                                " --listen 127.0.0.1:0 --log off --demo 2>&1; echo \"exit=$?\"");
  EXPECT_NE(out.find("--demo vult alleen een nieuwe, lege database"), std::string::npos) << out;
  EXPECT_EQ(out.find("exit=0"), std::string::npos) << out;
  auto connection = storage::OpenConnection({db_});
  ASSERT_TRUE(connection.ok());
  EXPECT_FALSE(storage::FindOrganisation(**connection, "voorbeeldgemeente").ok());
}

}  // namespace
}  // namespace navolg::testing
