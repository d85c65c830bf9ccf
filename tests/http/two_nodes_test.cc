// Two `navolg serve` nodes on one PostgreSQL database, as the compose file in deploy/ runs
// them: every guarantee of the single node holds whichever node a request reaches. The run's
// throwaway cluster (tests/postgres/cluster.sh) holds a schema of each test's own; both nodes
// read one signing key file.
#include "tests/http/two_nodes.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/calendar.h"
#include "storage/connection.h"
#include "storage/directory.h"
#include "storage/schema.h"
#include "storage/sql/postgres.h"
#include "tests/engine/test_support.h"
#include "tests/http/http_client.h"
#include "tests/http/metrics_scrape.h"
#include "tests/http/serve_child.h"
#include "tests/http/webhook_receiver.h"
#include "tests/postgres/test_postgres.h"
#include "tests/storage/known_password.h"
#include "tests/storage/raw_database.h"
#include "tests/wait_until.h"

namespace navolg::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;

// 16 saves of one product, all made from the same version and spread over both nodes at the
// same moment: exactly one lands, fifteen are 412, and the chain has one event more, never two
// with the same seq.
TEST_F(TwoNodesTest, SixteenConcurrentIfMatchOverBothNodesExactlyOneWins) {
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  const std::string id = Create(a_.port, "Marktplein");
  const std::string target = "/api/v1/processes/" + id + "/products/kadernotitie";
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const json before =
        json::parse(Call(b_.port, "GET", "/api/v1/processes/" + id, "adviseur").body);
    const std::int64_t version = before["version"];
    std::atomic<bool> go{false};
    std::vector<int> statuses(16);
    std::vector<std::thread> savers;
    for (int i = 0; i < 16; ++i) {
      savers.emplace_back([&, i] {
        json content = CompleteKadernotitie();
        content["doel"] =
            "Versie van schrijver " + std::to_string(i) + " in ronde " + std::to_string(round);
        HttpConnection connection(i % 2 == 0 ? a_.port : b_.port);
        const std::string headers = "Authorization: Bearer " + tokens_.at("adviseur") +
                                    "\r\nIf-Match: \"" + std::to_string(version) + "\"\r\n";
        while (!go) std::this_thread::yield();
        statuses[i] = connection.Request("PUT", target, headers, content.dump()).status;
      });
    }
    go = true;
    for (std::thread& saver : savers) saver.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 1) << json(statuses).dump();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 412), 15) << json(statuses).dump();
    for (std::uint16_t port : {a_.port, b_.port}) {
      const json after = json::parse(Call(port, "GET", "/api/v1/processes/" + id, "adviseur").body);
      EXPECT_EQ(after["version"], version + 1) << "node :" << port;
    }
  }
  const std::vector<json> events = Events(b_.port, id);
  ASSERT_EQ(events.size(), 4u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i]["seq"], i + 1);
  ExpectEveryChainVerifies();
}

// One process, every step on the other node than the one before: each node sees what the
// other wrote (the version, the state, the assignee) and the chain stays one.
TEST_F(TwoNodesTest, AProcessDrivenAlternatelyThroughBothNodes) {
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  const std::string id = WalkToDuiden({a_.port, b_.port}, "Stationsplein", 5, 42);
  ASSERT_FALSE(id.empty());
  const json on_a = json::parse(Call(a_.port, "GET", "/api/v1/processes/" + id, "manager").body);
  const json on_b = json::parse(Call(b_.port, "GET", "/api/v1/processes/" + id, "manager").body);
  EXPECT_EQ(on_a["version"], 9);  // naar_duiden also starts the terugkoppeltermijn
  EXPECT_EQ(on_a["state"], "duiden");
  EXPECT_EQ(on_a, on_b);
  EXPECT_EQ(Events(a_.port, id), Events(b_.port, id));
  ExpectEveryChainVerifies();
}

// Both nodes' deadline watchers look at the same overdue deadline every second: it is recorded
// once, and its webhook message (whose first attempts fail) arrives with attempts 1, 2, 3,
// never two at once.
TEST_F(TwoNodesTest, BothWatchersRecordOneMissedDeadlineAndItsMessageIsSentOnce) {
  constexpr int kFailures = 2;
  WebhookReceiver receiver(kFailures);
  ASSERT_NE(receiver.port(), 0);
  const std::string set = Navolg("org webhook --db '" + db_ + "' gemeente " + receiver.Url());
  ASSERT_NE(set.find("ingesteld"), std::string::npos) << set;
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  const std::string id = WalkToDuiden({a_.port, b_.port}, "Marktplein", 60, 42);
  const std::string message_id = "deadline.missed:" + id + ":terugkoppeling:1";
  ASSERT_TRUE(receiver.WaitFor(
      [&](const std::vector<ReceivedRequest>& requests) {
        for (const ReceivedRequest& request : requests) {
          if (request.Header("navolg-message-id") == message_id && request.answered == 200)
            return true;
        }
        return false;
      },
      kPatience));
  // Both watchers run twice more after the message arrived.
  for (std::uint16_t port : {a_.port, b_.port}) {
    const double runs = MetricValue(port, "navolg_watcher_runs_total").value_or(0);
    EXPECT_TRUE(WaitUntil(
        [&] { return MetricValue(port, "navolg_watcher_runs_total").value_or(0) >= runs + 2; },
        kPatience, milliseconds(100)))
        << "the watcher of :" << port << " stalled";
  }
  std::size_t missed = 0;
  for (const json& event : Events(a_.port, id)) missed += event["type"] == "deadline.missed";
  EXPECT_EQ(missed, 1u);
  EXPECT_EQ(MetricValue(a_.port, "navolg_watcher_deadlines_missed_total").value_or(-1) +
                MetricValue(b_.port, "navolg_watcher_deadlines_missed_total").value_or(-1),
            1);
  std::vector<std::string> attempts;
  for (const ReceivedRequest& request : receiver.requests()) {
    if (request.Header("navolg-message-id") == message_id) {
      attempts.push_back(request.Header("navolg-attempt"));
    }
  }
  EXPECT_EQ(attempts, (std::vector<std::string>{"1", "2", "3"}));
  ExpectEveryChainVerifies();
}

// A session made by signing in on one node is a session on the other; signing out on the
// other ends it on both.
TEST_F(TwoNodesTest, ASessionMadeOnOneNodeIsUsedOnTheOther) {
  ASSERT_NO_FATAL_FAILURE(AddAnna());
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  HttpConnection sign_in(a_.port);
  const HttpResult signed_in = sign_in.Request(
      "POST", "/api/v1/session", "",
      json{{"organisation", "gemeente"}, {"name", "Anna"}, {"password", kKnownPassword}}.dump());
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string set_cookie = signed_in.Header("set-cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  ASSERT_FALSE(cookie.empty());
  const std::string with_cookie = "Cookie: " + cookie + "\r\n";
  HttpConnection on_b(b_.port);
  const HttpResult me = on_b.Request("GET", "/api/v1/me", with_cookie, "");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["name"], "Anna");
  const std::string origin = "Origin: http://127.0.0.1\r\n";  // the Host the client sends
  HttpConnection sign_out(b_.port);
  const HttpResult out = sign_out.Request("DELETE", "/api/v1/session", with_cookie + origin, "");
  EXPECT_EQ(out.status / 100, 2) << out.body;
  HttpConnection again(a_.port);
  EXPECT_EQ(again.Request("GET", "/api/v1/me", with_cookie, "").status, 401);
}

// Node B is killed with SIGKILL at random moments, ten times, while clients keep saving on
// both nodes: every save a node acknowledged is in its process's trail, and every chain
// verifies.
TEST_F(TwoNodesTest, ANodeKilledUnderLoadLosesNoAcknowledgedCommand) {
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  constexpr int kClients = 4;
  std::vector<std::string> ids;
  for (int c = 0; c < kClients; ++c) ids.push_back(Create(a_.port, "Proces " + std::to_string(c)));
  std::atomic<bool> stop{false};
  std::atomic<std::uint16_t> b_port{b_.port};
  std::mutex mutex;
  std::vector<std::set<std::string>> acknowledged(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::int64_t version = 1;
      for (int n = 0; !stop; ++n) {
        const std::uint16_t port = n % 2 == 0 ? a_.port : b_port.load();
        json content = CompleteKadernotitie();
        content["doel"] = "Opslag " + std::to_string(n) + " van client " + std::to_string(c);
        HttpResult result =
            Call(port, "PUT", "/api/v1/processes/" + ids[c] + "/products/kadernotitie", "adviseur",
                 content, version);
        if (result.status == 200) {
          version = json::parse(result.body)["version"];
          std::lock_guard lock(mutex);
          acknowledged[c].insert(content["doel"].get<std::string>());
        } else if (result.status == 412 || result.status == 0 || result.status == 503) {
          // Unknown outcome (killed mid-command) or stale: read the version again from A.
          HttpResult now = Call(a_.port, "GET", "/api/v1/processes/" + ids[c], "adviseur");
          if (now.status == 200) version = json::parse(now.body)["version"];
        } else {
          ADD_FAILURE() << result.status << " " << result.body;
          return;
        }
      }
    });
  }
  std::mt19937 random(20261203);
  const std::string log = (dir_ / "node-b.log").string();
  bool restarted = true;
  for (int kill = 0; kill < 10 && restarted; ++kill) {
    std::this_thread::sleep_for(milliseconds(200 + random() % 600));
    b_.Stop(SIGKILL);
    b_ = StartServe(NAVOLG_BINARY, db_, {}, log);
    restarted = b_.port != 0;
    b_port = b_.port;
  }
  std::this_thread::sleep_for(milliseconds(300));
  stop = true;
  for (std::thread& client : clients) client.join();
  ASSERT_TRUE(restarted) << "node B did not come back: " << b_.banner << "\n"
                         << Shell("tail -n 20 '" + log + "'");
  for (int c = 0; c < kClients; ++c) {
    std::set<std::string> stored;
    std::size_t saved_events = 0;
    for (const json& event : Events(a_.port, ids[c]))
      saved_events += event["type"] == "product.saved";
    auto raw = RawReader(db_);
    storage::sql::Statement versions(*raw,
                                     "SELECT content FROM product_versions WHERE process_id = ?");
    versions.bind(1, ids[c]);
    while (versions.executeStep()) {
      stored.insert(json::parse(versions.getColumn(0).getString())["doel"].get<std::string>());
    }
    EXPECT_EQ(stored.size(), saved_events) << "client " << c;
    EXPECT_GT(acknowledged[c].size(), 10u) << "client " << c << " made too little progress";
    for (const std::string& doel : acknowledged[c]) {
      EXPECT_TRUE(stored.contains(doel)) << "acknowledged but lost: " << doel;
    }
  }
  ExpectEveryChainVerifies();
}

// A rolling update: node A of this navolg runs while the next navolg migrates the database
// one version further at its start (here its migration: a column and a table added, as every
// migration must; storage/schema.h) and writes what only it knows; node B of this navolg
// starts on the migrated database all the same, and both keep taking commands. A database two
// versions ahead is refused with the reason.
TEST_F(TwoNodesTest, OldNodesKeepWorkingOnADatabaseTheNextVersionMigrated) {
  a_ = StartServe(NAVOLG_BINARY, db_);
  ASSERT_NE(a_.port, 0) << a_.banner;
  const std::string before = Create(a_.port, "Voor de update");

  std::vector<const char*> next(storage::Migrations().begin(), storage::Migrations().end());
  next.push_back(
      "ALTER TABLE processes ADD COLUMN wijk TEXT;"
      "CREATE TABLE wijken (naam TEXT PRIMARY KEY, organisation_id INTEGER NOT NULL);");
  {
    storage::sql::PostgresDatabase newer(db_);
    const Status migrated = storage::MigratePostgresWith(newer, next);
    ASSERT_TRUE(migrated.ok()) << migrated.message();
    newer.exec(
        "INSERT INTO wijken (naam, organisation_id) SELECT 'Centrum', id FROM organisations");
    newer.exec("UPDATE processes SET wijk = 'Centrum'");
  }
  b_ = StartServe(NAVOLG_BINARY, db_);
  ASSERT_NE(b_.port, 0) << "this navolg refused the next version's database: " << b_.banner;
  const std::string id = WalkToDuiden({a_.port, b_.port}, "Tijdens de update", 5, 42);
  EXPECT_EQ(json::parse(Call(b_.port, "GET", "/api/v1/processes/" + before, "adviseur").body)
                .value("version", 0),
            1);
  EXPECT_EQ(json::parse(Call(a_.port, "GET", "/api/v1/processes/" + id, "adviseur").body)
                .value("state", ""),
            "duiden");
  ExpectEveryChainVerifies();

  next.push_back("CREATE TABLE nog_nieuwer (x INTEGER);");
  {
    storage::sql::PostgresDatabase newest(db_);
    ASSERT_TRUE(storage::MigratePostgresWith(newest, next).ok());
  }
  ServeChild refused = StartServe(NAVOLG_BINARY, db_, {}, (dir_ / "refused.log").string());
  EXPECT_EQ(refused.port, 0);
  refused.Stop(SIGKILL);
  const std::string log = Shell("cat '" + (dir_ / "refused.log").string() + "'");
  EXPECT_NE(log.find("bijgewerkt door een nieuwere navolg"), std::string::npos) << log;
}

// Every connection the nodes hold is dropped by the server, as a PostgreSQL restart or a
// failover to a standby does: a request in flight may get 503, and after that both nodes
// serve again on new connections without a restart of their own; nothing half-done remains.
TEST_F(TwoNodesTest, NodesReconnectWhenTheDatabaseDropsTheirConnections) {
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  const std::string id = Create(a_.port, "Marktplein");
  const std::string target = "/api/v1/processes/" + id + "/products/kadernotitie";
  {
    storage::sql::PostgresDatabase admin(db_);
    // This test's connections only (test_postgres::FreshSchema names them): tests running
    // beside it keep theirs.
    admin.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
               schema_ + "' AND pid <> pg_backend_pid()");
  }
  std::int64_t version = 1;
  for (int save = 0; save < 4; ++save) {
    const std::uint16_t port = save % 2 == 0 ? a_.port : b_.port;
    json content = CompleteKadernotitie();
    content["doel"] = "Na de herstart " + std::to_string(save);
    int status = 0;
    for (int attempt = 0; attempt < 5 && status != 200; ++attempt) {
      HttpResult result = Call(port, "PUT", target, "adviseur", content, version);
      status = result.status;
      ASSERT_TRUE(status == 200 || status == 503) << result.status << " " << result.body;
      if (status == 200) version = json::parse(result.body)["version"];
    }
    EXPECT_EQ(status, 200) << "node :" << port << " did not recover";
  }
  EXPECT_EQ(version, 5);
  EXPECT_EQ(Events(b_.port, id).size(), 5u);
  ExpectEveryChainVerifies();
}

}  // namespace
}  // namespace navolg::testing
