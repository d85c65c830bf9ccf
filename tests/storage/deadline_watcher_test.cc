// The deadline watcher over a real database file: an overdue deadline gets exactly one
// deadline.missed (actor system) however often, after however many restarts, and however many
// watchers race; due dates are Europe/Amsterdam calendar days; due-soon messages once per
// deadline instance, only for organisations with a webhook.
#include "storage/deadline_watcher.h"

#include <future>
#include <map>
#include <thread>

#include "storage/outbox.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"
#include "tests/wait_until.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

class DeadlineWatcherTest : public StoreFixture {
 protected:
  // A standard process in `organisation_id`, walked to duiden on `at` with one gespreksverslag
  // of `verslag_datum` and a terugkoppeltermijn of `term_days`: its terugkoppeling deadline
  // is due on verslag_datum + term_days.
  std::string WalkToDuiden(std::int64_t organisation_id, const std::string& title,
                           const char* verslag_datum, int term_days, const char* at) {
    const std::string id = storage::NewProcessId(At(at)).value();
    json kadernotitie = CompleteKadernotitie();
    kadernotitie["terugkoppeltermijn_dagen"] = term_days;
    const std::vector<std::pair<Command, Actor>> steps = {
        {navolg::CreateProcess{id, title}, Adviseur()},
        {SaveProduct{"kadernotitie", 0, kadernotitie}, Adviseur()},
        {AdoptProduct{"kadernotitie", 0, ""}, Bestuur()},
        {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager()},
        {TakeTransition{"naar_gesprek", std::nullopt}, Adviseur()},
        {SaveProduct{"gespreksplan", 0, CompleteGespreksplan()}, Adviseur()},
        {SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag(verslag_datum)}, Adviseur()},
        {TakeTransition{"naar_duiden", std::nullopt}, Adviseur()},
    };
    for (const auto& [command, actor] : steps) {
      auto result = SubmitAs(organisation_id, id, command, actor, At(at));
      EXPECT_TRUE(result.committed() && !result.events.empty())
          << title << ": " << result.status.message()
          << (result.refusal ? result.refusal->detail : "");
    }
    return id;
  }

  std::unique_ptr<storage::DeadlineWatcher> Watcher(storage::GroupCommitter& committer) {
    auto watcher = storage::DeadlineWatcher::Open(path_, committer, {});
    EXPECT_TRUE(watcher.ok()) << watcher.status().message();
    return watcher.ok() ? std::move(*watcher) : nullptr;
  }

  std::vector<Event> MissedEvents(const std::string& id) {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    std::vector<Event> events, missed;
    ReadStoredEvents(db, id, events);
    for (Event& event : events) {
      if (event.type == "deadline.missed") missed.push_back(std::move(event));
    }
    return missed;
  }

  void SetWebhook(const char* slug, const char* url) {
    auto db_owned = RawWriter(path_);
    storage::sql::Database& db = *db_owned;
    if (db.dialect() == storage::sql::Dialect::kSqlite) db.exec("PRAGMA busy_timeout = 10000");
    storage::Connection connection(db);
    auto set = storage::SetWebhookUrl(connection, slug, std::string(url));
    ASSERT_TRUE(set.ok()) << set.status().message();
  }

  // kind -> payloads of the outbox, in id order.
  std::map<std::string, std::vector<json>> Outbox() {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement query(db, "SELECT kind, payload, dedupe_key FROM outbox ORDER BY id");
    std::map<std::string, std::vector<json>> messages;
    while (query.executeStep()) {
      json payload = json::parse(query.getColumn(1).getString());
      EXPECT_EQ(payload["message_id"], query.getColumn(2).getString());
      messages[query.getColumn(0).getString()].push_back(std::move(payload));
    }
    return messages;
  }
};

// Due 2026-04-09 (verslag 2026-03-10 + 30 days): overdue from 00:00 Amsterdam on 2026-04-10,
// which is 22:00 UTC on 2026-04-09 (summer time).
TEST_F(DeadlineWatcherTest, RecordsAnOverdueDeadlineExactlyOnceAcrossRunsAndRestarts) {
  const std::string id =
      WalkToDuiden(org_a_, "Marktplein", "2026-03-10", 30, "2026-03-12T09:00:00.000Z");
  auto watcher = Watcher(*committer_);
  auto before = watcher->RunOnce(At("2026-04-09T21:59:59.999Z"));
  ASSERT_TRUE(before.status.ok()) << before.status.message();
  EXPECT_EQ(before.missed, 0);
  EXPECT_EQ(before.processes, 0);
  EXPECT_TRUE(MissedEvents(id).empty());

  auto first = watcher->RunOnce(At("2026-04-09T22:00:00.000Z"));
  ASSERT_TRUE(first.status.ok()) << first.status.message();
  EXPECT_EQ(first.missed, 1);
  for (int i = 0; i < 3; ++i) {
    auto again = watcher->RunOnce(At("2026-04-10T09:00:00.000Z") + std::chrono::hours(24 * i));
    EXPECT_EQ(again.missed, 0);
    EXPECT_EQ(again.processes, 0) << "a quiet run submits nothing";
  }
  // A restart: a new committer and watcher on the same file.
  watcher.reset();
  StartStore();
  auto restarted = Watcher(*committer_);
  EXPECT_EQ(restarted->RunOnce(At("2026-05-01T09:00:00.000Z")).missed, 0);

  const std::vector<Event> missed = MissedEvents(id);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0].actor, Actor::System());
  EXPECT_EQ(missed[0].at, At("2026-04-09T22:00:00.000Z"));
  EXPECT_EQ(missed[0].data,
            (json{{"deadline", "terugkoppeling"}, {"instance", 1}, {"due", "2026-04-09"}}));
  ASSERT_NO_FATAL_FAILURE(
      ExpectProjectionsMatchTrail(path_, LoadWorkflow("standaard-participatie"), org_a_, id));
  const auto stats = restarted->stats();
  EXPECT_EQ(stats.runs, 1u);
  EXPECT_EQ(stats.missed, 0u);
  EXPECT_TRUE(Outbox().empty()) << "no webhook, no messages";
}

// Two committers (as two navolg processes would have) on one file, a watcher on each, all
// running at once and repeatedly: every overdue deadline gets one deadline.missed and one
// message, no more.
TEST_F(DeadlineWatcherTest, RacingWatchersOnTwoWritersRecordEachDeadlineOnce) {
  SetWebhook("gemeente-a", "http://127.0.0.1:9/hook");
  constexpr int kProcesses = 24;
  std::vector<std::string> ids;
  for (int i = 0; i < kProcesses; ++i) {
    // Due dates spread over 2026-03-21 .. 2026-04-13 so several batches and days are involved.
    ids.push_back(WalkToDuiden(org_a_, "Proces " + std::to_string(i), "2026-03-10", 11 + i,
                               "2026-03-12T09:00:00.000Z"));
  }
  auto second = storage::GroupCommitter::Start({path_}, {});
  ASSERT_TRUE(second.ok()) << second.status().message();
  storage::WatcherOptions small_batches;
  small_batches.batch = 5;
  small_batches.in_flight = 3;
  std::vector<std::unique_ptr<storage::DeadlineWatcher>> watchers;
  for (storage::GroupCommitter* committer : {committer_.get(), second->get(), committer_.get()}) {
    auto watcher = storage::DeadlineWatcher::Open(path_, *committer, small_batches);
    ASSERT_TRUE(watcher.ok()) << watcher.status().message();
    watchers.push_back(std::move(*watcher));
  }
  std::vector<std::future<std::int64_t>> runs;
  for (auto& watcher : watchers) {
    runs.push_back(std::async(std::launch::async, [&watcher] {
      std::int64_t missed = 0;
      for (int round = 0; round < 4; ++round) {
        auto run = watcher->RunOnce(At("2026-05-01T09:00:00.000Z"));
        EXPECT_TRUE(run.status.ok()) << run.status.message();
        missed += run.missed;
      }
      return missed;
    }));
  }
  std::int64_t total = 0;
  for (std::int64_t missed : AllWithin(runs, std::chrono::seconds(120))) total += missed;
  EXPECT_EQ(total, kProcesses);
  for (const std::string& id : ids) EXPECT_EQ(MissedEvents(id).size(), 1u) << id;
  const auto messages = Outbox();
  ASSERT_EQ(messages.count("deadline.missed"), 1u);
  EXPECT_EQ(messages.at("deadline.missed").size(), static_cast<std::size_t>(kProcesses));
}

// The message is written in the transaction of its event: when writing it fails, the event
// is not recorded either, and the next run records both.
TEST_F(DeadlineWatcherTest, MissedMessageAndEventCommitTogether) {
  SetWebhook("gemeente-a", "http://127.0.0.1:9/hook");
  const std::string id =
      WalkToDuiden(org_a_, "Marktplein", "2026-03-10", 30, "2026-03-12T09:00:00.000Z");
  {
    auto raw_owned = RawWriter(path_);
    storage::sql::Database& raw = *raw_owned;
    FailInserts(raw, "outbox", "1 = 1", "test: outbox vol");
  }
  auto watcher = Watcher(*committer_);
  auto failed = watcher->RunOnce(At("2026-04-20T09:00:00.000Z"));
  EXPECT_FALSE(failed.status.ok());
  EXPECT_EQ(failed.missed, 0);
  EXPECT_TRUE(MissedEvents(id).empty());
  {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement deadline(db, "SELECT missed_at FROM deadlines WHERE process_id = ?");
    deadline.bind(1, id);
    ASSERT_TRUE(deadline.executeStep());
    EXPECT_TRUE(deadline.getColumn(0).isNull());
  }
  // A command the engine refuses (RecordMissedDeadlines by a user) writes no message either.
  {
    auto raw_owned = RawWriter(path_);
    storage::sql::Database& raw = *raw_owned;
    StopFailingInserts(raw, "outbox");
  }
  auto refused =
      SubmitAs(org_a_, id, RecordMissedDeadlines{}, Adviseur(), At("2026-04-20T09:00:00.000Z"));
  ASSERT_TRUE(refused.refusal.has_value());
  EXPECT_TRUE(Outbox().empty());

  auto run = watcher->RunOnce(At("2026-04-20T10:00:00.000Z"));
  ASSERT_TRUE(run.status.ok()) << run.status.message();
  const std::vector<Event> missed = MissedEvents(id);
  ASSERT_EQ(missed.size(), 1u);
  const auto messages = Outbox();
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_EQ(messages.at("deadline.missed").size(), 1u);
  const json& message = messages.at("deadline.missed")[0];
  EXPECT_EQ(message["message_id"], "deadline.missed:" + id + ":terugkoppeling:1");
  EXPECT_EQ(message["kind"], "deadline.missed");
  EXPECT_EQ(message["organisation"], "gemeente-a");
  EXPECT_EQ(message["process"], (json{{"id", id},
                                      {"title", "Marktplein"},
                                      {"workflow", "standaard-participatie"},
                                      {"link", "/api/v1/processes/" + id}}));
  EXPECT_EQ(message["deadline"], (json{{"key", "terugkoppeling"},
                                       {"title", "Terugkoppeling aan deelnemers"},
                                       {"instance", 1},
                                       {"due", "2026-04-09"},
                                       {"days_overdue", 11}}));
  EXPECT_EQ(
      message["event"],
      (json{{"seq", missed[0].seq}, {"at", "2026-04-20T10:00:00.000Z"}, {"hash", missed[0].hash}}));
}

// Due within 7 days (today included), in an organisation with a webhook: one message per
// deadline instance, however many runs.
TEST_F(DeadlineWatcherTest, DueSoonMessagesOncePerDeadlineOnlyWithAWebhook) {
  SetWebhook("gemeente-a", "https://hooks.example.nl/navolg");
  // Run on 2026-04-02 (Amsterdam). Due: 04-02 (today), 04-09 (7 days), 04-10 (8 days),
  // 04-01 (overdue); in organisation B, without a webhook: 03-31 (overdue).
  const std::string today =
      WalkToDuiden(org_a_, "Vandaag", "2026-03-10", 23, "2026-03-12T09:00:00.000Z");
  const std::string week =
      WalkToDuiden(org_a_, "Week", "2026-03-10", 30, "2026-03-12T09:00:00.000Z");
  WalkToDuiden(org_a_, "Te laat voor bijna", "2026-03-10", 31, "2026-03-12T09:00:00.000Z");
  WalkToDuiden(org_a_, "Verlopen", "2026-03-10", 22, "2026-03-12T09:00:00.000Z");
  WalkToDuiden(org_b_, "Andere gemeente", "2026-03-10", 21, "2026-03-12T09:00:00.000Z");
  auto watcher = Watcher(*committer_);
  const Time now = At("2026-04-02T06:00:00.000Z");
  auto first = watcher->RunOnce(now);
  ASSERT_TRUE(first.status.ok()) << first.status.message();
  EXPECT_EQ(first.due_soon, 2);
  EXPECT_EQ(first.missed, 2);  // "Verlopen", and the other organisation's
  for (int i = 0; i < 3; ++i) EXPECT_EQ(watcher->RunOnce(now + std::chrono::hours(i)).due_soon, 0);

  const auto messages = Outbox();
  ASSERT_EQ(messages.count("deadline.due_soon"), 1u);
  const auto& due_soon = messages.at("deadline.due_soon");
  ASSERT_EQ(due_soon.size(), 2u);
  std::map<std::string, json> by_process;
  for (const json& message : due_soon) by_process[message["process"]["id"]] = message;
  ASSERT_EQ(by_process.size(), 2u);
  EXPECT_EQ(by_process.at(today)["deadline"]["days_left"], 0);
  EXPECT_EQ(by_process.at(today)["deadline"]["due"], "2026-04-02");
  EXPECT_EQ(by_process.at(week)["deadline"]["days_left"], 7);
  EXPECT_EQ(by_process.at(week)["message_id"], "deadline.due_soon:" + week + ":terugkoppeling:1");
  EXPECT_FALSE(by_process.at(week).contains("event"));
  EXPECT_EQ(watcher->stats().due_soon, 2u);
  // Only organisation A has a webhook: one missed message, for "Verlopen".
  ASSERT_EQ(messages.count("deadline.missed"), 1u);
  EXPECT_EQ(messages.at("deadline.missed").size(), 1u);
  EXPECT_EQ(messages.at("deadline.missed")[0]["process"]["title"], "Verlopen");
}

// Start runs at once and then every interval on its own thread; Stop ends it promptly.
TEST_F(DeadlineWatcherTest, RunsAtStartAndEveryIntervalUntilStopped) {
  const std::string id =
      WalkToDuiden(org_a_, "Marktplein", "2026-03-10", 30, "2026-03-12T09:00:00.000Z");
  storage::WatcherOptions options;
  options.interval = std::chrono::milliseconds(20);
  auto watcher = storage::DeadlineWatcher::Open(path_, *committer_, options);
  ASSERT_TRUE(watcher.ok());
  std::mutex mutex;
  std::vector<storage::WatchRun> runs;
  (*watcher)->Start([] { return At("2026-04-20T09:00:00.000Z"); },
                    [&](const storage::WatchRun& run) {
                      std::lock_guard lock(mutex);
                      runs.push_back(run);
                    });
  EXPECT_TRUE(WaitUntil(
      [&] {
        std::lock_guard lock(mutex);
        return runs.size() >= 4;
      },
      std::chrono::seconds(30)))
      << "the watcher stalled";
  const auto stop_started = std::chrono::steady_clock::now();
  (*watcher)->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(2));
  std::lock_guard lock(mutex);
  ASSERT_GE(runs.size(), 4u);
  EXPECT_EQ(runs[0].missed, 1);
  for (std::size_t i = 1; i < runs.size(); ++i) EXPECT_EQ(runs[i].missed, 0);
  EXPECT_EQ(MissedEvents(id).size(), 1u);
}

}  // namespace
}  // namespace navolg
