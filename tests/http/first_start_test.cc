// The first start, as a new operator meets it: `navolg serve` on an empty database prints
// where to sign in, with which organisation and name, and a first password shown once; that
// password signs the beheerder in over HTTP, and the beheerder's session can add users. A
// later start prints no password again; a database where nobody has a password says how to
// set one. With --first-password-file the password and token go to a new file of mode 0600
// and nowhere else; an existing file is never overwritten.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using namespace navolg::testing;
using nlohmann::json;

class FirstStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("navolg-first-start-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "navolg.db").string();
  }
  void TearDown() override {
    server_.Stop();
    fs::remove_all(dir_);
  }

  // Stops the server and returns everything it printed after its banner.
  std::string OutputUntilStopped() {
    ::kill(server_.pid, SIGTERM);
    std::string text;
    char buffer[1024];
    for (ssize_t n; (n = ::read(server_.output, buffer, sizeof buffer)) > 0;)
      text.append(buffer, n);
    ::waitpid(server_.pid, nullptr, 0);
    ::close(server_.output);
    server_.pid = -1;
    server_.output = -1;
    return text;
  }

  // Reads what the server prints after its banner, up to and including a line with `last`.
  std::string OutputThrough(const std::string& last) {
    std::string text, line;
    char c;
    while (::read(server_.output, &c, 1) == 1) {
      text += c;
      if (c != '\n') {
        line += c;
        continue;
      }
      if (line.find(last) != std::string::npos) break;
      line.clear();
    }
    return text;
  }

  // A request as a browser on navolg's own page sends it: Host and Origin with the port.
  HttpResult Browser(const std::string& method, const std::string& target, const std::string& body,
                     const std::string& cookie = "") {
    const std::string origin = "127.0.0.1:" + std::to_string(server_.port);
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: " + origin +
                          "\r\nOrigin: http://" + origin + "\r\n";
    if (!cookie.empty()) request += "Cookie: " + cookie + "\r\n";
    request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + body;
    HttpConnection connection(server_.port);
    if (!connection.SendRaw(request)) return {};
    return connection.ReadResponse();
  }

  fs::path dir_;
  std::string db_;
  ServeChild server_;
};

TEST_F(FirstStartTest, PrintsHowTheFirstBeheerderSignsInWithAPasswordThatWorks) {
  server_ = StartServe(NAVOLG_BINARY, db_);
  ASSERT_NE(server_.port, 0) << server_.banner;
  const std::string printed = OutputThrough("Probeer:");
  const std::string url = "http://127.0.0.1:" + std::to_string(server_.port) + "/";
  EXPECT_NE(printed.find("open " + url), std::string::npos) << printed;
  EXPECT_NE(printed.find("organisatie 'demo'"), std::string::npos) << printed;
  EXPECT_NE(printed.find("naam 'beheerder'"), std::string::npos) << printed;
  EXPECT_NE(printed.find("navolg user passwd --db " + db_ + " --org demo beheerder"),
            std::string::npos)
      << printed;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(printed, match, std::regex("\n  ([a-z0-9]{4}(-[a-z0-9]{4}){3})\n")))
      << printed;
  const std::string password = match[1];

  // The only organisation: the sign-in page fills it in, so the beheerder types no slug.
  HttpResult options = Browser("GET", "/api/v1/sign-in-options", "");
  ASSERT_EQ(options.status, 200) << options.body;
  const json organisation = json::parse(options.body)["organisation"];
  EXPECT_EQ(organisation, (json{{"slug", "demo"}, {"name", "Demo-organisatie"}}));

  HttpResult signed_in =
      Browser("POST", "/api/v1/session",
              json{{"organisation", "demo"}, {"name", "beheerder"}, {"password", password}}.dump());
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_EQ(json::parse(signed_in.body)["role"], "beheerder");
  EXPECT_EQ(json::parse(signed_in.body)["organisation_name"], "Demo-organisatie");
  const std::string set_cookie = signed_in.Header("set-cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  ASSERT_EQ(cookie.rfind("navolg_session=", 0), 0u) << set_cookie;

  HttpResult created = Browser(
      "POST", "/api/v1/users",
      json{{"name", "Anna"}, {"role", "adviseur"}, {"password", "een wachtwoord voor Anna"}}.dump(),
      cookie);
  EXPECT_EQ(created.status, 201) << created.body;

  // A second start prints no password (and no token) again.
  OutputUntilStopped();
  server_ = StartServe(NAVOLG_BINARY, db_);
  ASSERT_NE(server_.port, 0) << server_.banner;
  const std::string again = OutputUntilStopped();
  EXPECT_EQ(again.find("Nieuwe database"), std::string::npos) << again;
  EXPECT_EQ(again.find(password), std::string::npos) << again;
  EXPECT_EQ(again.find("navolg_"), std::string::npos) << again;
}

TEST_F(FirstStartTest, ADatabaseWhereNobodyHasAPasswordSaysHowToSetOne) {
  ASSERT_NE(Shell(std::string(NAVOLG_BINARY) + " org add --db " + db_ + " utrecht Utrecht"), "");
  ASSERT_NE(Shell(std::string(NAVOLG_BINARY) + " user add --db " + db_ +
                  " --org utrecht --role beheerder Bea"),
            "");
  server_ = StartServe(NAVOLG_BINARY, db_);
  ASSERT_NE(server_.port, 0) << server_.banner;
  const std::string printed = OutputUntilStopped();
  EXPECT_NE(printed.find("Nog geen enkele gebruiker heeft een wachtwoord"), std::string::npos)
      << printed;
  EXPECT_NE(printed.find("navolg user passwd --db " + db_ + " --org ORGANISATIE NAAM"),
            std::string::npos)
      << printed;
}

// As under systemd or in a container, where standard output is a kept log: the first
// password and token are in the file only, and they work.
TEST_F(FirstStartTest, WithAPasswordFileThePasswordIsInTheFileOnly) {
  const fs::path file = dir_ / "eerste-beheerder.txt";
  server_ = StartServe(NAVOLG_BINARY, db_, {"--first-password-file", file.string()});
  ASSERT_NE(server_.port, 0) << server_.banner;
  const std::string printed = OutputThrough("verwijder dan dat bestand");
  EXPECT_NE(printed.find("staan in " + file.string()), std::string::npos) << printed;
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::stringstream read;
  read << std::ifstream(file).rdbuf();
  const std::string text = read.str();
  std::smatch password, token;
  ASSERT_TRUE(std::regex_search(text, password, std::regex("\n  ([a-z0-9]{4}(-[a-z0-9]{4}){3})\n")))
      << text;
  ASSERT_TRUE(std::regex_search(text, token, std::regex("navolg_[A-Za-z0-9_-]+"))) << text;
  EXPECT_EQ(printed.find(password[1].str()), std::string::npos) << printed;
  EXPECT_EQ(printed.find("navolg_"), std::string::npos) << printed;

  HttpResult signed_in =
      Browser("POST", "/api/v1/session",
              json{{"organisation", "demo"}, {"name", "beheerder"}, {"password", password[1].str()}}
                  .dump());
  EXPECT_EQ(signed_in.status, 200) << signed_in.body;
  HttpConnection api(server_.port);
  EXPECT_EQ(
      api.Request("GET", "/api/v1/me", "Authorization: Bearer " + token.str() + "\r\n").status,
      200);
  const std::string rest = OutputUntilStopped();
  EXPECT_EQ(rest.find(password[1].str()), std::string::npos) << rest;

  // A later start leaves the file as it is.
  const std::string before = text;
  server_ = StartServe(NAVOLG_BINARY, db_, {"--first-password-file", file.string()});
  ASSERT_NE(server_.port, 0) << server_.banner;
  OutputUntilStopped();
  std::stringstream after;
  after << std::ifstream(file).rdbuf();
  EXPECT_EQ(after.str(), before);
}

// A file that is already there is not overwritten: the start is refused before the database
// gets an organisation, so a second try with another path still sets it up.
TEST_F(FirstStartTest, AnExistingPasswordFileIsNeverOverwritten) {
  const fs::path file = dir_ / "eerste-beheerder.txt";
  std::ofstream(file) << "van iemand anders\n";
  const std::string refused =
      Shell(std::string(NAVOLG_BINARY) + " serve --listen 127.0.0.1:0 --db " + db_ +
            " --first-password-file " + file.string() + " 2>&1; echo \"exit=$?\"");
  EXPECT_NE(refused.find("bestaat al; navolg overschrijft het niet"), std::string::npos) << refused;
  EXPECT_EQ(refused.find("exit=0"), std::string::npos) << refused;
  std::stringstream kept;
  kept << std::ifstream(file).rdbuf();
  EXPECT_EQ(kept.str(), "van iemand anders\n");

  const fs::path other = dir_ / "ander.txt";
  server_ = StartServe(NAVOLG_BINARY, db_, {"--first-password-file", other.string()});
  ASSERT_NE(server_.port, 0) << server_.banner;
  const std::string printed = OutputThrough("verwijder dan dat bestand");
  EXPECT_NE(printed.find("staan in " + other.string()), std::string::npos) << printed;
}

}  // namespace
}  // namespace navolg
