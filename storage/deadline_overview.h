// The managers' overview of an organisation's open deadlines (GET /api/v1/deadlines): one page
// of deadlines with their process and assignee, the earliest overdue instant first, and the
// number of deadlines per assignee over every deadline that matches, not only the page.
//
// The page is a range scan of the partial index deadlines_open (organisation_id, overdue_from)
// WHERE is_open = 1, whose entries end in the deadline's key (process_id, key, instance), so it
// needs no sort and a page boundary (the cursor) is a point in the index; an adviser's page
// is the same in deadlines_by_assignee (organisation_id, assignee, overdue_from, is_open). The
// counts read deadlines_by_assignee alone, in assignee order: no table rows, no sort.
// Deadlines carry their process's assignee for this (the write path keeps it).
//
// Pure functions of a connection the caller owns; ReadStore::Overview runs them on a pooled
// read connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.h"
#include "engine/status.h"
#include "storage/read_store.h"
#include "storage/sql/sql.h"

namespace navolg::storage {

inline constexpr std::int64_t kMaxOverviewLimit = 10'000;

// Where a page ended: the index position of its last row. Clients see it as opaque text
// (`next`, passed back as `after`) made of URL-safe characters only.
struct OverviewCursor {
  std::int64_t overdue_from = 0;  // ms since the epoch
  std::string process_id;
  std::string key;
  std::int64_t instance = 0;
};
std::string FormatOverviewCursor(const OverviewCursor& cursor);
// nullopt for text FormatOverviewCursor cannot have written.
std::optional<OverviewCursor> ParseOverviewCursor(std::string_view text);

struct OverviewQuery {
  DeadlineFilter filter = DeadlineFilter::kOverdue;
  Time now{};
  // kDueSoon: not overdue at `now` and due at the latest `days` calendar days (Europe/
  // Amsterdam) after today; ignored otherwise. 0 means due today.
  std::int64_t days = 14;
  std::optional<std::string> assignee;  // set: only processes assigned to this user id
  std::int64_t limit = 50;              // rows per page, clamped to 1..kMaxOverviewLimit
  std::optional<OverviewCursor> after;  // the previous page's `next`
};

struct OverviewRow {
  std::string process_id;
  std::string process_title;
  std::string workflow_key;
  std::int64_t workflow_version = 0;
  std::string state;
  std::int64_t process_version = 0;  // for a command on the process from the overview (If-Match)
  std::string deadline_key;
  std::int64_t instance = 0;
  Date due{};
  bool overdue = false;                      // at query.now
  std::optional<std::string> assignee;       // the user id; nullopt: not assigned
  std::optional<std::string> assignee_name;  // nullopt also for an id that names no user of
                                             // the organisation
  // The reminders sent about this deadline (deadline.reminded) and the latest one.
  std::int64_t reminders = 0;
  std::optional<std::string> reminded_at;  // RFC 3339
  std::optional<std::string> reminded_by_name;
  std::optional<std::string> reminder_bericht;
};

struct AssigneeCount {
  std::optional<std::string> assignee;  // nullopt: the unassigned deadlines
  std::optional<std::string> name;
  std::int64_t count = 0;
};

struct DeadlineOverview {
  std::vector<OverviewRow> items;
  std::optional<OverviewCursor> next;  // set when more rows follow
  std::vector<AssigneeCount> counts;   // over all matching rows; most deadlines first
  std::int64_t total = 0;              // the sum of counts
};

// The page and the counts of one read transaction on `db`. Fails only on SQLite errors
// (translated by FromSqlite) and on a stored due date that is not a date (kDataLoss).
Result<DeadlineOverview> QueryDeadlineOverview(sql::Database& db, std::int64_t organisation_id,
                                               const OverviewQuery& query);

}  // namespace navolg::storage
