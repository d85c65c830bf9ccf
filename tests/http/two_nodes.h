// The fixture of the tests that run two `navolg serve` nodes on one PostgreSQL database, as
// deploy/compose.yaml runs them: the run's throwaway cluster (tests/postgres/cluster.sh) holds a
// schema of each test's own, both nodes read one signing key file, and the gemeente has an
// adviseur, a bestuur, a manager and an auditor with API tokens. Skips (with the reason) when
// the run has no cluster.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "storage/connection.h"
#include "storage/directory.h"
#include "tests/engine/test_support.h"
#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"
#include "tests/http/steps_to_duiden.h"
#include "tests/postgres/test_postgres.h"
#include "tests/storage/known_password.h"

namespace navolg::testing {

using nlohmann::json;

inline constexpr std::chrono::seconds kPatience{60};

inline Date Today() {
  return AmsterdamDate(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

class TwoNodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("navolg-two-nodes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    schema_ =
        test_postgres::NameFor(std::string("two_nodes.") +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    const auto address = test_postgres::FreshSchema(schema_);
    if (!address) GTEST_SKIP() << test_postgres::kSkipReason;
    db_ = *address;
    ::setenv("NAVOLG_SIGNING_KEY", (dir_ / "navolg-signing.key").c_str(), 1);
    ::setenv("NAVOLG_WATCH_INTERVAL", "1", 1);
    ::setenv("NAVOLG_WEBHOOK_RETRY_BASE_MS", "100", 1);
    Navolg("org add --db '" + db_ + "' gemeente Gemeente");
    for (const char* role : {"adviseur", "bestuur", "manager", "auditor"}) {
      const std::string out =
          Navolg("user add --db '" + db_ + "' --org gemeente --role " + role + " " + role);
      ASSERT_NE(out.rfind("navolg_"), std::string::npos) << out;
      tokens_[role] = out.substr(out.rfind("navolg_"), 71);
    }
  }

  void TearDown() override {
    for (ServeChild* node : {&a_, &b_}) node->Stop(SIGKILL);
    ::unsetenv("NAVOLG_SIGNING_KEY");
    ::unsetenv("NAVOLG_WATCH_INTERVAL");
    ::unsetenv("NAVOLG_WEBHOOK_RETRY_BASE_MS");
    std::filesystem::remove_all(dir_);
    if (!schema_.empty()) test_postgres::DropSchema(schema_);
  }

  // Both nodes, with `extra` flags for `navolg serve`.
  void StartBoth(const std::vector<std::string>& extra = {}) {
    a_ = StartServe(NAVOLG_BINARY, db_, extra);
    ASSERT_NE(a_.port, 0) << a_.banner;
    b_ = StartServe(NAVOLG_BINARY, db_, extra);
    ASSERT_NE(b_.port, 0) << b_.banner;
  }

  // Anna, an adviseur of the gemeente who signs in with kKnownPassword.
  void AddAnna() {
    auto db = storage::OpenConnection({db_});
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE(storage::AddUser(**db, "gemeente", "adviseur", "Anna", storage::NewToken().value(),
                                 At("2026-01-01T00:00:00.000Z"), kKnownPasswordHash)
                    .ok());
  }

  std::string Navolg(const std::string& args) {
    return Shell(std::string(NAVOLG_BINARY) + " " + args + " 2>&1");
  }

  HttpResult Call(std::uint16_t port, const std::string& method, const std::string& target,
                  const std::string& role, const json& body = nullptr, std::int64_t version = 0) {
    return Authorized(port, method, target, tokens_.at(role), body.is_null() ? "" : body.dump(),
                      version);
  }

  std::string Create(std::uint16_t port, const std::string& title) {
    HttpResult created = Call(port, "POST", "/api/v1/processes", "adviseur",
                              {{"workflow", "standaard-participatie"}, {"title", title}});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? json::parse(created.body).value("id", "") : "";
  }

  // A standard process walked to duiden, step by step on `ports` in turn, with a
  // gespreksverslag dated `days_ago` days before today and a terugkoppeltermijn of
  // `term_days`; every step carries the version the previous step answered.
  std::string WalkToDuiden(const std::vector<std::uint16_t>& ports, const std::string& title,
                           int days_ago, int term_days) {
    const std::string id = Create(ports[0], title);
    const std::string process = "/api/v1/processes/" + id;
    const json adviseur = json::parse(Call(ports[0], "GET", "/api/v1/me", "adviseur").body)["id"];
    const std::vector<HttpStep> steps =
        StepsToDuiden(process, adviseur, Today(), days_ago, term_days);
    std::int64_t version = 1;
    std::size_t turn = 1;
    for (const auto& step : steps) {
      const std::uint16_t port = ports[turn++ % ports.size()];
      HttpResult result = Call(port, step.method, step.target, step.role, step.body, version);
      EXPECT_EQ(result.status, 200) << step.target << " on :" << port << ": " << result.body;
      if (result.status != 200) break;
      EXPECT_GT(json::parse(result.body).value("version", 0), version) << step.target;
      version = json::parse(result.body).value("version", version);
    }
    return id;
  }

  // Every event of a process as a node serves it, all pages.
  std::vector<json> Events(std::uint16_t port, const std::string& id) {
    std::vector<json> events;
    std::string target = "/api/v1/processes/" + id + "/events";
    for (;;) {
      HttpResult page = Call(port, "GET", target, "adviseur");
      EXPECT_EQ(page.status, 200) << page.body;
      if (page.status != 200) return events;
      const json body = json::parse(page.body);
      for (const json& event : body["items"]) events.push_back(event);
      if (!body.contains("next") || body["next"].is_null()) return events;
      target = "/api/v1/processes/" + id + "/events?after=" + body["next"].dump();
    }
  }

  // The operator's full check of every chain and projection (`navolg audit check`).
  void ExpectEveryChainVerifies() {
    const std::string out = Navolg("audit check --db '" + db_ + "'; echo \"exit=$?\"");
    EXPECT_NE(out.find("exit=0"), std::string::npos) << out;
  }

  std::filesystem::path dir_;
  std::string schema_;
  std::string db_;
  std::map<std::string, std::string> tokens_;
  ServeChild a_, b_;
};

}  // namespace navolg::testing
