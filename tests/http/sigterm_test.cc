// navolg serve as an operator runs it: a child process under load receives SIGTERM. Every
// request that was answered 2xx must be in the database afterwards, and the server must
// exit cleanly.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "storage/sql/sqlite.h"
#include "tests/engine/test_support.h"
#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"
#include "tests/wait_until.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using namespace navolg::testing;
using nlohmann::json;

// The load must be under way when SIGTERM arrives: this many acknowledgements first.
constexpr std::size_t kAcknowledgementsBeforeStop = 21;

struct Acknowledged {
  std::string process_id;
  std::int64_t version;
};

TEST(SigtermTest, EveryAcknowledgedCommandSurvivesAStopUnderLoad) {
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("navolg-sigterm-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "navolg.db").string();
  const std::string navolg = NAVOLG_BINARY;
  Shell(navolg + " org add --db " + db + " gemeente Gemeente");
  std::string token = Shell(navolg + " user add --db " + db + " --org gemeente --role adviseur A");
  token = token.substr(token.rfind("navolg_"), 71);

  ServeChild server = StartServe(navolg, db);
  ASSERT_NE(server.port, 0) << server.banner;
  const std::uint16_t port = server.port;

  std::mutex mutex;
  std::vector<Acknowledged> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> clients_running{8};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      const std::string auth = "Authorization: Bearer " + token + "\r\n";
      while (!stop) {
        HttpConnection connection(port);
        if (!connection.connected()) break;  // the server is gone
        HttpResult created = connection.Request(
            "POST", "/api/v1/processes", auth,
            json{{"workflow", "standaard-participatie"}, {"title", "Last " + std::to_string(t)}}
                .dump());
        if (created.status != 201) break;
        const std::string id = json::parse(created.body).value("id", "");
        {
          std::lock_guard lock(mutex);
          acknowledged.push_back({id, 1});
        }
        for (std::int64_t version = 1; !stop; ++version) {
          json content = CompleteKadernotitie();
          content["onderwerp"] = "Versie " + std::to_string(version);
          HttpResult saved = connection.Request(
              "PUT", "/api/v1/processes/" + id + "/products/kadernotitie",
              auth + "If-Match: \"" + std::to_string(version) + "\"\r\n", content.dump());
          if (saved.status != 200) break;
          std::lock_guard lock(mutex);
          acknowledged.push_back({id, version + 1});
        }
      }
      --clients_running;
    });
  }
  // However slow the machine (ASan, two shared cores), stop only once the load is real; give
  // up if every client has stopped (the server failed them) or a generous deadline passes.
  const bool loaded = WaitUntil(
      [&] {
        std::lock_guard lock(mutex);
        return acknowledged.size() >= kAcknowledgementsBeforeStop || clients_running == 0;
      },
      std::chrono::seconds(30));
  const int status = server.Stop(SIGTERM);
  stop = true;
  for (auto& client : clients) client.join();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  ASSERT_TRUE(loaded) << "fewer than " << kAcknowledgementsBeforeStop
                      << " acknowledgements in 30 s";
  ASSERT_GE(acknowledged.size(), kAcknowledgementsBeforeStop)
      << "the clients stopped: the server failed them before SIGTERM";

  storage::sql::SqliteDatabase database(db);
  for (const Acknowledged& ack : acknowledged) {
    storage::sql::Statement event(database,
                                  "SELECT count(*) FROM events WHERE process_id = ? AND seq = ?");
    event.bind(1, ack.process_id);
    event.bind(2, ack.version);
    ASSERT_TRUE(event.executeStep());
    EXPECT_EQ(event.getColumn(0).getInt(), 1) << ack.process_id << " version " << ack.version;
  }
  std::printf("sigterm test: %zu acknowledged commands, all present after the stop\n",
              acknowledged.size());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace navolg
