// Deadlines followed up, the way an operator runs navolg: the real `navolg serve` binary on a
// real SQLite file, a webhook configured with `navolg org webhook`, and a real HTTP receiver in
// this test process that fails the first attempts of every message.
//
// Dates are relative to the real date (a gespreksverslag may not be dated after today), in
// Europe/Amsterdam like the server's.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "engine/calendar.h"
#include "tests/engine/test_support.h"
#include "tests/http/http_client.h"
#include "tests/http/metrics_scrape.h"
#include "tests/http/serve_child.h"
#include "tests/http/steps_to_duiden.h"
#include "tests/http/webhook_receiver.h"
#include "tests/wait_until.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using namespace navolg::testing;
using nlohmann::json;
using std::chrono::milliseconds;

constexpr int kFailuresPerMessage = 2;
// How long a test waits for something the server does by itself: watcher runs every second
// and retries after 100, 200 ms take a few seconds; the rest is room for a loaded machine.
constexpr std::chrono::seconds kPatience{30};

Date Today() {
  return AmsterdamDate(
      std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now()));
}

// Stops a server a failed assertion left running, so that it does not outlive the test.
struct KillOnExit {
  ServeChild& child;
  ~KillOnExit() {
    if (child.pid > 0) child.Stop(SIGKILL);
  }
};

class FollowUpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("navolg-follow-up-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "navolg.db").string();
    Navolg("org add --db " + db_ + " gemeente Gemeente");
    for (const char* role : {"adviseur", "bestuur", "manager"}) {
      const std::string out =
          Navolg("user add --db " + db_ + " --org gemeente --role " + role + " " + role);
      tokens_[role] = out.substr(out.rfind("navolg_"), 71);
    }
    // The watcher every second, retries after 100 ms, 200 ms, ...: the test takes seconds.
    ::setenv("NAVOLG_WATCH_INTERVAL", "1", 1);
    ::setenv("NAVOLG_WEBHOOK_RETRY_BASE_MS", "100", 1);
  }
  void TearDown() override {
    ::unsetenv("NAVOLG_WATCH_INTERVAL");
    ::unsetenv("NAVOLG_WEBHOOK_RETRY_BASE_MS");
    fs::remove_all(dir_);
  }

  std::string Navolg(const std::string& args) {
    return Shell(std::string(NAVOLG_BINARY) + " " + args + " 2>&1");
  }

  HttpResult Call(std::uint16_t port, const std::string& method, const std::string& target,
                  const std::string& role, const json& body = nullptr, std::int64_t version = 0) {
    return Authorized(port, method, target, tokens_.at(role), body.is_null() ? "" : body.dump(),
                      version);
  }

  // A standard process walked over HTTP to duiden, with one gespreksverslag dated
  // `days_ago` days before today and a terugkoppeltermijn of `term_days`.
  std::string WalkToDuiden(std::uint16_t port, const std::string& title, int days_ago,
                           int term_days) {
    HttpResult created = Call(port, "POST", "/api/v1/processes", "adviseur",
                              {{"workflow", "standaard-participatie"}, {"title", title}});
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = json::parse(created.body).value("id", "");
    const std::string process = "/api/v1/processes/" + id;
    // Capacity names the adviseur, who takes the later steps (only the assignee may).
    const json adviseur = json::parse(Call(port, "GET", "/api/v1/me", "adviseur").body)["id"];
    const std::vector<HttpStep> steps =
        StepsToDuiden(process, adviseur, Today(), days_ago, term_days);
    std::int64_t version = 1;
    for (const auto& step : steps) {
      HttpResult result = Call(port, step.method, step.target, step.role, step.body, version);
      EXPECT_EQ(result.status, 200) << step.target << ": " << result.body;
      if (result.status != 200) break;
      version = json::parse(result.body).value("version", version);
    }
    return id;
  }

  std::vector<json> MissedEvents(std::uint16_t port, const std::string& id) {
    HttpResult trail = Call(port, "GET", "/api/v1/processes/" + id + "/events", "adviseur");
    EXPECT_EQ(trail.status, 200) << trail.body;
    std::vector<json> missed;
    if (trail.status != 200) return missed;
    const json page = json::parse(trail.body);
    for (const json& event : page["items"]) {
      if (event["type"] == "deadline.missed") missed.push_back(event);
    }
    return missed;
  }

  // Polls the trail until it has `count` deadline.missed events or kPatience passes; returns
  // the last trail read.
  std::vector<json> WaitForMissed(std::uint16_t port, const std::string& id, std::size_t count) {
    std::vector<json> missed;
    (void)WaitUntil(
        [&] {
          missed = MissedEvents(port, id);
          return missed.size() >= count;
        },
        kPatience, milliseconds(100));
    return missed;
  }

  // Waits until the watcher of the server at `port` has started and finished at least `runs`
  // runs after this call (so the next run that was already under way does not count); false
  // when it did not within kPatience, i.e. the watcher stalled.
  static bool WaitForWatcherRuns(std::uint16_t port, int runs) {
    const std::optional<double> before = MetricValue(port, "navolg_watcher_runs_total");
    if (!before) return false;
    // A run that was under way at `before` ends as before + 1: count from the one after it.
    const double until = *before + 1 + runs;
    return WaitUntil([&] { return MetricValue(port, "navolg_watcher_runs_total") >= until; },
                     kPatience, milliseconds(100));
  }

  fs::path dir_;
  std::string db_;
  std::map<std::string, std::string> tokens_;
};

// The requests the receiver got for one message id.
std::vector<ReceivedRequest> AttemptsOf(const std::vector<ReceivedRequest>& requests,
                                        const std::string& message_id) {
  std::vector<ReceivedRequest> attempts;
  for (const ReceivedRequest& request : requests) {
    if (request.Header("navolg-message-id") == message_id) attempts.push_back(request);
  }
  return attempts;
}

bool Delivered(const std::vector<ReceivedRequest>& requests, const std::string& message_id) {
  for (const ReceivedRequest& request : AttemptsOf(requests, message_id)) {
    if (request.answered == 200) return true;
  }
  return false;
}

// The test: a process whose last gespreksverslag is dated 60 days ago, with a 42-day
// term, is overdue; it gets exactly one deadline.missed, however many watcher runs and after
// a restart (here: two servers at once on the same database); the webhook receives the
// message although it fails the first attempts. A second process, due in 2 days, is
// announced as due soon.
TEST_F(FollowUpTest, OverdueDeadlineIsRecordedOnceAndItsMessageArrivesDespiteFailures) {
  WebhookReceiver receiver(kFailuresPerMessage);
  ASSERT_NE(receiver.port(), 0);
  const std::string set = Navolg("org webhook --db " + db_ + " gemeente " + receiver.Url());
  ASSERT_NE(set.find("ingesteld"), std::string::npos) << set;

  ServeChild server = StartServe(NAVOLG_BINARY, db_);
  KillOnExit kill_server{server};
  ASSERT_NE(server.port, 0) << server.banner;
  const std::string overdue = WalkToDuiden(server.port, "Marktplein", 60, 42);
  const std::string due_soon = WalkToDuiden(server.port, "Stationsplein", 40, 42);

  HttpResult view = Call(server.port, "GET", "/api/v1/processes/" + overdue, "adviseur");
  ASSERT_EQ(view.status, 200);
  const json deadline = json::parse(view.body)["deadlines"].at(0);
  EXPECT_EQ(deadline["key"], "terugkoppeling");
  EXPECT_EQ(deadline["due"], FormatDate(AddDays(Today(), -18)));
  EXPECT_EQ(deadline["overdue"], true);

  const std::vector<json> missed = WaitForMissed(server.port, overdue, 1);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0]["actor"], (json{{"user", "system"}, {"role", "system"}}));
  EXPECT_EQ(missed[0]["data"]["deadline"], "terugkoppeling");

  const std::string missed_id = "deadline.missed:" + overdue + ":terugkoppeling:1";
  const std::string due_soon_id = "deadline.due_soon:" + due_soon + ":terugkoppeling:1";
  ASSERT_TRUE(receiver.WaitFor(
      [&](const auto& requests) {
        return Delivered(requests, missed_id) && Delivered(requests, due_soon_id);
      },
      kPatience))
      << receiver.requests().size() << " requests";

  // Each message: attempts 1..3 with the same id and body, 500, 500, 200.
  for (const std::string& id : {missed_id, due_soon_id}) {
    SCOPED_TRACE(id);
    const auto attempts = AttemptsOf(receiver.requests(), id);
    ASSERT_EQ(attempts.size(), static_cast<std::size_t>(kFailuresPerMessage + 1));
    for (std::size_t i = 0; i < attempts.size(); ++i) {
      EXPECT_EQ(attempts[i].method, "POST");
      EXPECT_EQ(attempts[i].target, "/hook");
      EXPECT_EQ(attempts[i].Header("content-type"), "application/json");
      EXPECT_EQ(attempts[i].Header("navolg-attempt"), std::to_string(i + 1));
      EXPECT_EQ(attempts[i].body, attempts[0].body);
      EXPECT_EQ(attempts[i].answered, i < kFailuresPerMessage ? 500 : 200);
    }
  }
  const json message = json::parse(AttemptsOf(receiver.requests(), missed_id)[0].body);
  EXPECT_EQ(message["message_id"], missed_id);
  EXPECT_EQ(message["kind"], "deadline.missed");
  EXPECT_EQ(message["organisation"], "gemeente");
  EXPECT_EQ(message["process"]["id"], overdue);
  EXPECT_EQ(message["process"]["title"], "Marktplein");
  EXPECT_EQ(message["process"]["link"], "/api/v1/processes/" + overdue);
  EXPECT_EQ(message["deadline"]["due"], FormatDate(AddDays(Today(), -18)));
  EXPECT_EQ(message["deadline"]["days_overdue"], 18);
  EXPECT_EQ(message["event"]["seq"], missed[0]["seq"]);
  EXPECT_EQ(message["event"]["hash"], missed[0]["hash"]);
  const json soon = json::parse(AttemptsOf(receiver.requests(), due_soon_id)[0].body);
  EXPECT_EQ(soon["kind"], "deadline.due_soon");
  EXPECT_EQ(soon["deadline"]["days_left"], 2);

  // More watcher runs add nothing. The receiver has answered every attempt, but the server
  // counts an attempt only once it has read the answer: wait for the count too.
  ASSERT_TRUE(WaitForWatcherRuns(server.port, 2)) << "the watcher stalled";
  ASSERT_TRUE(WaitUntil(
      [&] {
        const MetricsScrape metrics = ScrapeMetrics(server.port);
        return metrics.Value("navolg_webhook_deliveries_total", "result=\"delivered\"") >= 2 &&
               metrics.Value("navolg_outbox_pending") == 0;
      },
      kPatience))
      << ScrapeMetrics(server.port).text;
  EXPECT_EQ(MissedEvents(server.port, overdue).size(), 1u);
  EXPECT_TRUE(MissedEvents(server.port, due_soon).empty());
  const MetricsScrape metrics = ScrapeMetrics(server.port);
  ASSERT_EQ(metrics.status, 200);
  const struct {
    const char* name;
    const char* labels;
    double value;
  } expected[] = {
      {"navolg_watcher_deadlines_missed_total", "", 1},
      {"navolg_watcher_due_soon_messages_total", "", 1},
      {"navolg_watcher_failed_runs_total", "", 0},
      {"navolg_webhook_deliveries_total", "result=\"delivered\"", 2},
      {"navolg_webhook_deliveries_total", "result=\"rejected\"", 2 * kFailuresPerMessage},
      {"navolg_webhook_deliveries_total", "result=\"unreachable\"", 0},
      {"navolg_outbox_pending", "", 0},
      {"navolg_outbox_oldest_pending_seconds", "", 0},
      {"navolg_deadlines_overdue", "", 1},
  };
  for (const auto& series : expected) {
    EXPECT_EQ(metrics.Value(series.name, series.labels), series.value)
        << series.name << "{" << series.labels << "}\n"
        << metrics.text;
  }
  EXPECT_GE(metrics.Value("navolg_watcher_runs_total"), 3) << metrics.text;
  const int status = server.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  // A restart, as two servers on the same database: their watchers race, and still nothing
  // is recorded or sent twice.
  ServeChild first = StartServe(NAVOLG_BINARY, db_);
  KillOnExit kill_first{first};
  ServeChild second = StartServe(NAVOLG_BINARY, db_);
  KillOnExit kill_second{second};
  ASSERT_NE(first.port, 0) << first.banner;
  ASSERT_NE(second.port, 0) << second.banner;
  // Both watchers have looked at the overdue deadline, at start and again after that.
  ASSERT_TRUE(WaitForWatcherRuns(first.port, 2)) << "the first watcher stalled";
  ASSERT_TRUE(WaitForWatcherRuns(second.port, 2)) << "the second watcher stalled";
  EXPECT_EQ(MissedEvents(first.port, overdue).size(), 1u);
  EXPECT_EQ(MissedEvents(second.port, overdue).size(), 1u);
  for (std::uint16_t port : {first.port, second.port}) {
    const MetricsScrape figures = ScrapeMetrics(port);
    EXPECT_EQ(figures.Value("navolg_watcher_deadlines_missed_total"), 0) << figures.text;
    EXPECT_EQ(figures.Value("navolg_watcher_failed_runs_total"), 0) << figures.text;
    EXPECT_EQ(figures.Value("navolg_outbox_pending"), 0) << figures.text;
  }
  EXPECT_EQ(receiver.requests().size(), 2u * (kFailuresPerMessage + 1));
  first.Stop(SIGTERM);
  second.Stop(SIGTERM);
}

}  // namespace
}  // namespace navolg
