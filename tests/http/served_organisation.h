// A fixture for tests against the real `navolg serve`: a fresh database in its own folder
// with the organisation `gemeente`, an adviseur and an auditor (made with the CLI, as an
// operator does), their tokens, and requests with a bearer token.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>

#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"
#include "tests/postgres/test_postgres.h"

namespace navolg::testing {

class ServedOrganisationTest : public ::testing::Test {
 protected:
  // `name` keeps the folders of different suites apart.
  explicit ServedOrganisationTest(std::string name) : name_(std::move(name)) {}

  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("navolg-" + name_ + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = test_postgres::DatabaseForTest((dir_ / "navolg.db").string());
    // On PostgreSQL the key is not beside the database: the server and the command line
    // both find it here.
    if (test_postgres::PostgresUnderTest()) {
      ::setenv("NAVOLG_SIGNING_KEY", (dir_ / "navolg-signing.key").c_str(), 1);
    }
    Shell(Navolg() + " org add --db '" + db_ + "' gemeente Gemeente");
    adviseur_ =
        TokenOf(Shell(Navolg() + " user add --db '" + db_ + "' --org gemeente --role adviseur A"));
    auditor_ =
        TokenOf(Shell(Navolg() + " user add --db '" + db_ + "' --org gemeente --role auditor B"));
  }
  void TearDown() override {
    server_.Stop();
    std::filesystem::remove_all(dir_);
    test_postgres::DropDatabaseForTest();
  }

  static std::string Navolg() { return NAVOLG_BINARY; }
  // The token in the output of `navolg user add`.
  static std::string TokenOf(const std::string& output) {
    const auto at = output.rfind("navolg_");
    return at == std::string::npos ? "" : output.substr(at, 71);
  }

  HttpResult Send(const std::string& method, const std::string& target, const std::string& token,
                  const std::string& body = "", const std::string& headers = "") {
    HttpConnection connection(server_.port);
    return connection.Request(method, target, "Authorization: Bearer " + token + "\r\n" + headers,
                              body);
  }

  std::filesystem::path dir_;
  std::string db_;
  std::string adviseur_;
  std::string auditor_;
  ServeChild server_;

 private:
  std::string name_;
};

}  // namespace navolg::testing
