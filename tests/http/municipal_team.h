// A municipal team on the real `navolg serve` with a real SQLite file, its users made with the
// command line as an operator does: three adviseurs (Cor deactivated), a manager, bestuur and
// an auditor in `gemeente`, and an adviseur of `buurgemeente`. Requests carry each user's
// token; commands state the version the process has now.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/engine/test_support.h"
#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"
#include "tests/postgres/test_postgres.h"

namespace navolg::testing {

class MunicipalTeamTest : public ::testing::Test {
 protected:
  using json = nlohmann::json;

  void SetUp() override {
    dir_ =
        std::filesystem::path(::testing::TempDir()) / ("navolg-team-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
    db_ = test_postgres::DatabaseForTest((dir_ / "navolg.db").string());
    // On PostgreSQL the key is not beside the database: the server and the command line
    // both find it here.
    if (test_postgres::PostgresUnderTest()) {
      ::setenv("NAVOLG_SIGNING_KEY", (dir_ / "navolg-signing.key").c_str(), 1);
    }
    Navolg("org add --db '" + db_ + "' gemeente Gemeente");
    Navolg("org add --db '" + db_ + "' buurgemeente Buurgemeente");
    AddUser("gemeente", "adviseur", "Anna de Vries", "anna");
    AddUser("gemeente", "adviseur", "Bram Jansen", "bram");
    AddUser("gemeente", "adviseur", "Cor Vertrokken", "cor");
    AddUser("gemeente", "manager", "Mia Manager", "manager");
    AddUser("gemeente", "bestuur", "Wethouder", "bestuur");
    AddUser("gemeente", "auditor", "Ada Auditor", "auditor");
    AddUser("buurgemeente", "adviseur", "Buur Adviseur", "buur");
    Navolg("user disable --db '" + db_ + "' --org gemeente 'Cor Vertrokken'");
    server_ = StartServe(NAVOLG_BINARY, db_);
    ASSERT_NE(server_.port, 0) << server_.banner;
  }
  void TearDown() override {
    server_.Stop();
    std::filesystem::remove_all(dir_);
    test_postgres::DropDatabaseForTest();
  }

  std::string Navolg(const std::string& args) {
    return Shell(std::string(NAVOLG_BINARY) + " " + args + " 2>&1");
  }
  void AddUser(const char* org, const char* role, const std::string& name, const char* who) {
    const std::string out =
        Navolg("user add --db '" + db_ + "' --org " + org + " --role " + role + " '" + name + "'");
    tokens_[who] = out.substr(out.rfind("navolg_"), 71);
  }

  HttpResult Call(const std::string& method, const std::string& target, const std::string& who,
                  const json& body = nullptr, std::int64_t version = 0) {
    return Authorized(server_.port, method, target, tokens_.at(who),
                      body.is_null() ? "" : body.dump(), version);
  }
  json Get(const std::string& target, const std::string& who) {
    HttpResult result = Call("GET", target, who);
    EXPECT_EQ(result.status, 200) << target << ": " << result.body;
    return result.status == 200 ? json::parse(result.body) : json();
  }
  std::string IdOf(const std::string& who) { return Get("/api/v1/me", who)["id"]; }
  // A command on `process` with the version it has now (If-Match), as `who`.
  HttpResult Command(const std::string& process, const std::string& route, const std::string& who,
                     const json& body) {
    const std::int64_t version = Get(process, "manager")["version"];
    return Call("POST", process + route, who, body, version);
  }

  // A new standard process with its kadernotitie adopted; returns its path.
  std::string AdoptedKaders(const std::string& title) {
    HttpResult created = Call("POST", "/api/v1/processes", "anna",
                              {{"workflow", "standaard-participatie"}, {"title", title}});
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string path =
        "/api/v1/processes/" + json::parse(created.body)["id"].get<std::string>();
    json kadernotitie = CompleteKadernotitie();
    kadernotitie["terugkoppeltermijn_dagen"] = 14;
    Step("PUT", path + "/products/kadernotitie", "anna", kadernotitie);
    Step("POST", path + "/adoptions", "bestuur", {{"product", "kadernotitie"}});
    return path;
  }
  // A command that must be accepted, with the version the process has now.
  json Step(const std::string& method, const std::string& target, const std::string& who,
            const json& body) {
    const std::string process = target.substr(0, target.find('/', 19));
    const std::int64_t version = Get(process, who)["version"];
    HttpResult result = Call(method, target, who, body, version);
    EXPECT_EQ(result.status, 200) << target << ": " << result.body;
    return result.status == 200 ? json::parse(result.body) : json();
  }
  json Capaciteit(const std::string& adviseur) {
    json capaciteit = CompleteCapaciteit();
    capaciteit["adviseur"] = adviseur;
    return capaciteit;
  }

  std::filesystem::path dir_;
  std::string db_;
  std::map<std::string, std::string> tokens_;
  ServeChild server_;
};

}  // namespace navolg::testing
