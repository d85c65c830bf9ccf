#include "storage/deadline_watcher.h"

#include <deque>
#include <future>
#include <unordered_set>
#include <vector>

#include "storage/database.h"
#include "storage/outbox.h"
#include "storage/outbox_writer.h"
#include "storage/sql/sql.h"
#include "storage/writer.h"

namespace navolg::storage {
namespace {

std::int64_t Millis(Time t) { return t.time_since_epoch().count(); }

// The next batch of open deadlines that are overdue at `now` and not yet recorded missed,
// after the cursor (overdue_from, process_id, key, instance): a range scan of
// deadlines_unmissed. The cursor keeps a run moving even past a process it cannot mark.
struct MissedCursor {
  std::int64_t overdue_from = 0;
  std::string process_id;
  std::string key;
  std::int64_t instance = 0;
};

struct MissedRow {
  std::string process_id;
  std::int64_t organisation_id = 0;
};

std::vector<MissedRow> ReadMissedBatch(sql::Database& db, Time now,
                                       const std::optional<MissedCursor>& after, std::int64_t limit,
                                       MissedCursor& last) {
  std::string sql =
      "SELECT overdue_from, process_id, key, instance, organisation_id FROM deadlines" +
      sql::IndexedBy(db, "deadlines_unmissed") +
      " WHERE is_open = 1 AND missed_at IS NULL "
      "AND overdue_from <= ? "
      // A damaged process takes no commands (storage/integrity_check.h), so none is tried.
      "AND process_id NOT IN (SELECT process_id FROM process_damage)";
  if (after) sql += " AND (overdue_from, process_id, key, instance) > (?, ?, ?, ?)";
  sql += " ORDER BY overdue_from, process_id, key, instance LIMIT ?";
  sql::Statement query(db, sql);
  int index = 1;
  query.bind(index++, Millis(now));
  if (after) {
    query.bind(index++, after->overdue_from);
    query.bind(index++, after->process_id);
    query.bind(index++, after->key);
    query.bind(index++, after->instance);
  }
  query.bind(index, limit);
  std::vector<MissedRow> rows;
  while (query.executeStep()) {
    last.overdue_from = query.getColumn(0).getInt64();
    last.process_id = query.getColumn(1).getString();
    last.key = query.getColumn(2).getString();
    last.instance = query.getColumn(3).getInt64();
    rows.push_back({last.process_id, query.getColumn(4).getInt64()});
  }
  return rows;
}

const std::string& DeadlineTitle(const Definition* definition, const std::string& key) {
  if (definition != nullptr) {
    for (const DeadlineSpec& spec : definition->deadlines) {
      if (spec.key == key) return spec.title;
    }
  }
  return key;
}

}  // namespace

Result<std::unique_ptr<DeadlineWatcher>> DeadlineWatcher::Open(const std::string& path,
                                                               GroupCommitter& writer,
                                                               const WatcherOptions& options) {
  auto db = OpenForReading(path);
  if (!db.ok()) return db.status();
  return std::unique_ptr<DeadlineWatcher>(new DeadlineWatcher(std::move(*db), writer, options));
}

DeadlineWatcher::~DeadlineWatcher() { Stop(); }

WatchRun DeadlineWatcher::RunOnce(Time now) {
  std::lock_guard run_lock(run_mutex_);
  const auto started = std::chrono::steady_clock::now();
  WatchRun run;
  run.at = now;
  try {
    run.status = RecordMissed(now, run);
    if (run.status.ok()) run.status = WriteDueSoon(now, run);
  } catch (const sql::Exception& e) {
    run.status = FromSql(e, "termijnbewaking");
  }
  run.took = std::chrono::steady_clock::now() - started;
  runs_.fetch_add(1, std::memory_order_relaxed);
  if (!run.status.ok()) failed_runs_.fetch_add(1, std::memory_order_relaxed);
  missed_.fetch_add(static_cast<std::uint64_t>(run.missed), std::memory_order_relaxed);
  due_soon_.fetch_add(static_cast<std::uint64_t>(run.due_soon), std::memory_order_relaxed);
  last_run_ns_.store(run.took.count(), std::memory_order_relaxed);
  return run;
}

Status DeadlineWatcher::RecordMissed(Time now, WatchRun& run) {
  Status first_failure;
  std::deque<std::future<CommandResult>> in_flight;
  auto settle_one = [&] {
    CommandResult result = in_flight.front().get();
    in_flight.pop_front();
    if (result.committed()) {
      run.missed += static_cast<std::int64_t>(result.events.size());
    } else if (first_failure.ok()) {
      first_failure = result.status.ok() ? Status(Code::kInternal,
                                                  "de engine weigerde een verlopen termijn vast "
                                                  "te leggen: " +
                                                      result.refusal->detail)
                                         : result.status;
    }
  };
  std::unordered_set<std::string> submitted;  // a process with two overdue deadlines: once
  std::optional<MissedCursor> cursor;
  for (;;) {
    MissedCursor last;
    const std::vector<MissedRow> rows = ReadMissedBatch(*db_, now, cursor, options_.batch, last);
    for (const MissedRow& row : rows) {
      if (!submitted.insert(row.process_id).second) continue;
      CommandRequest request;
      request.organisation_id = row.organisation_id;
      request.process_id = row.process_id;
      request.command = RecordMissedDeadlines{};
      request.actor = Actor::System();
      request.at = now;
      in_flight.push_back(writer_.SubmitAsync(std::move(request)));
      ++run.processes;
      if (in_flight.size() >= options_.in_flight) settle_one();
    }
    if (static_cast<std::int64_t>(rows.size()) < options_.batch || !first_failure.ok() ||
        cancel_.load()) {
      break;
    }
    cursor = last;
  }
  while (!in_flight.empty()) settle_one();
  return first_failure;
}

Status DeadlineWatcher::WriteDueSoon(Time now, WatchRun& run) {
  const Date today = AmsterdamDate(now);
  const std::int64_t horizon =
      Millis(AmsterdamStartOfDay(AddDays(today, options_.due_soon_days + 1)));
  // Deadlines already announced are skipped by their message id (the outbox's unique key),
  // so each batch is new work and a quiet run reads only the deadlines due soon.
  sql::Statement query(
      *db_,
      "SELECT d.process_id, d.key, d.instance, d.due, d.organisation_id, g.slug, p.title, "
      "p.workflow_key, p.workflow_version FROM organisations g "
      "JOIN deadlines d ON d.organisation_id = g.id AND d.is_open = 1 "
      "AND d.overdue_from > ? AND d.overdue_from <= ? "
      "JOIN processes p ON p.id = d.process_id "
      "WHERE g.webhook_url IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE "
      "o.dedupe_key = 'deadline.due_soon:' || d.process_id || ':' || d.key || ':' || d.instance) "
      "ORDER BY d.overdue_from LIMIT ?");
  const auto catalog = writer_.catalog();
  for (;;) {
    if (cancel_.load()) return Status::Ok();
    query.tryReset();
    query.bind(1, Millis(now));
    query.bind(2, horizon);
    query.bind(3, options_.batch);
    std::vector<std::pair<std::int64_t, DeadlineNotice>> notices;
    while (query.executeStep()) {
      DeadlineNotice notice;
      notice.kind = kDueSoonKind;
      notice.process_id = query.getColumn(0).getString();
      notice.deadline_key = query.getColumn(1).getString();
      notice.instance = query.getColumn(2).getInt64();
      notice.due = ParseDate(query.getColumn(3).getString()).value_or(today);
      notice.organisation_slug = query.getColumn(5).getString();
      notice.process_title = query.getColumn(6).getString();
      notice.workflow_key = query.getColumn(7).getString();
      notice.deadline_title = DeadlineTitle(
          catalog->Find(notice.workflow_key, query.getColumn(8).getInt64()), notice.deadline_key);
      notice.today = today;
      notice.created_at = now;
      notices.emplace_back(query.getColumn(4).getInt64(), std::move(notice));
    }
    query.tryReset();  // no read snapshot held while the writer works
    if (notices.empty()) return Status::Ok();
    std::int64_t written = 0;
    Status status = writer_.RunTask([&](WriteConnection& connection) {
      sql::Database& db = connection.db();
      written = 0;
      for (const auto& [organisation_id, notice] : notices) {
        EnqueueNotice(db, organisation_id, notice);
        written += db.getChanges();
      }
    });
    if (!status.ok()) return status;
    run.due_soon += written;
    // Another watcher wrote them first: they are no longer selected, but stop rather than
    // spin should that ever not hold.
    if (written == 0 || static_cast<std::int64_t>(notices.size()) < options_.batch) {
      return Status::Ok();
    }
  }
}

void DeadlineWatcher::Start(std::function<Time()> clock,
                            std::function<void(const WatchRun&)> on_run) {
  thread_ = std::thread([this, clock = std::move(clock), on_run = std::move(on_run)] {
    for (;;) {
      WatchRun run = RunOnce(clock());
      if (on_run) on_run(run);
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) return;
    }
  });
}

void DeadlineWatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cancel_.store(true);
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

WatcherStats DeadlineWatcher::stats() const {
  WatcherStats stats;
  stats.runs = runs_.load(std::memory_order_relaxed);
  stats.failed_runs = failed_runs_.load(std::memory_order_relaxed);
  stats.missed = missed_.load(std::memory_order_relaxed);
  stats.due_soon = due_soon_.load(std::memory_order_relaxed);
  stats.last_run_seconds = static_cast<double>(last_run_ns_.load(std::memory_order_relaxed)) / 1e9;
  return stats;
}

}  // namespace navolg::storage
