#include "storage/deadline_overview.h"

#include <algorithm>
#include <charconv>

#include "storage/database.h"
#include "storage/sql/sql.h"

namespace navolg::storage {
namespace {

std::int64_t Millis(Time t) { return t.time_since_epoch().count(); }

bool AllOf(std::string_view text, bool (*allowed)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), allowed);
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsKeyChar(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdChar(char c) { return IsKeyChar(c) || (c >= 'A' && c <= 'Z') || c == '-'; }

std::optional<std::int64_t> ParseCount(std::string_view text) {
  if (!AllOf(text, IsDigit) || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// The conditions shared by the page and the counts; binds with BindFilter.
std::string FilterSql(const OverviewQuery& query) {
  std::string sql = " WHERE d.organisation_id = :org AND d.is_open = 1";
  switch (query.filter) {
    case DeadlineFilter::kOverdue:
      sql += " AND d.overdue_from <= :now";
      break;
    case DeadlineFilter::kDueSoon:
      sql += " AND d.overdue_from > :now AND d.overdue_from <= :horizon";
      break;
    case DeadlineFilter::kOpen:
      break;
  }
  if (query.assignee) sql += " AND d.assignee = :assignee";
  return sql;
}

void BindFilter(sql::Statement& statement, std::int64_t organisation_id,
                const OverviewQuery& query) {
  statement.bind(":org", organisation_id);
  if (query.filter != DeadlineFilter::kOpen) statement.bind(":now", Millis(query.now));
  if (query.filter == DeadlineFilter::kDueSoon) {
    // Due on day today + days at the latest: overdue from the start of the day after it.
    const Date last = AddDays(AmsterdamDate(query.now), query.days);
    statement.bind(":horizon", Millis(AmsterdamStartOfDay(AddDays(last, 1))));
  }
  if (query.assignee) statement.bind(":assignee", *query.assignee);
}

std::optional<std::string> OptionalText(sql::Statement& row, int column) {
  if (row.getColumn(column).isNull()) return std::nullopt;
  return row.getColumn(column).getString();
}

Status Page(sql::Database& db, std::int64_t organisation_id, const OverviewQuery& query,
            DeadlineOverview& overview) {
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 1, kMaxOverviewLimit);
  std::string sql =
      "SELECT d.process_id, p.title, p.workflow_key, p.workflow_version, p.state, d.key, "
      "d.instance, d.due, d.overdue_from, d.assignee, u.name, d.reminders, d.reminded_at, "
      "r.name, d.reminder_bericht, p.version "
      "FROM deadlines d JOIN processes p ON p.id = d.process_id "
      "LEFT JOIN users u ON u.id = d.assignee AND u.organisation_id = d.organisation_id "
      "LEFT JOIN users r ON r.id = d.reminded_by AND r.organisation_id = d.organisation_id" +
      FilterSql(query);
  if (query.after) {
    sql += " AND (d.overdue_from, d.process_id, d.key, d.instance) > (:af, :ap, :ak, :ai)";
  }
  sql += " ORDER BY d.overdue_from, d.process_id, d.key, d.instance LIMIT :limit";
  sql::Statement statement(db, sql);
  BindFilter(statement, organisation_id, query);
  if (query.after) {
    statement.bind(":af", query.after->overdue_from);
    statement.bind(":ap", query.after->process_id);
    statement.bind(":ak", query.after->key);
    statement.bind(":ai", query.after->instance);
  }
  statement.bind(":limit", limit + 1);  // one more tells whether a next page exists
  std::int64_t last_overdue_from = 0;
  while (statement.executeStep()) {
    if (static_cast<std::int64_t>(overview.items.size()) == limit) {
      const OverviewRow& last = overview.items.back();
      overview.next =
          OverviewCursor{last_overdue_from, last.process_id, last.deadline_key, last.instance};
      break;
    }
    OverviewRow row;
    row.process_id = statement.getColumn(0).getString();
    row.process_title = statement.getColumn(1).getString();
    row.workflow_key = statement.getColumn(2).getString();
    row.workflow_version = statement.getColumn(3).getInt64();
    row.state = statement.getColumn(4).getString();
    row.deadline_key = statement.getColumn(5).getString();
    row.instance = statement.getColumn(6).getInt64();
    auto due = ParseDate(statement.getColumn(7).getText());
    if (!due) {
      return Status(Code::kDataLoss,
                    "termijn van proces " + row.process_id + " heeft een onleesbare datum");
    }
    row.due = *due;
    last_overdue_from = statement.getColumn(8).getInt64();
    row.overdue = last_overdue_from <= Millis(query.now);
    row.assignee = OptionalText(statement, 9);
    row.assignee_name = OptionalText(statement, 10);
    row.reminders = statement.getColumn(11).getInt64();
    row.reminded_at = OptionalText(statement, 12);
    row.reminded_by_name = OptionalText(statement, 13);
    row.reminder_bericht = OptionalText(statement, 14);
    row.process_version = statement.getColumn(15).getInt64();
    overview.items.push_back(std::move(row));
  }
  return Status::Ok();
}

void Counts(sql::Database& db, std::int64_t organisation_id, const OverviewQuery& query,
            DeadlineOverview& overview) {
  // From deadlines_by_assignee alone, already in assignee order; the users table is read
  // once per assignee, not once per deadline.
  sql::Statement statement(
      db,
      "SELECT g.assignee, u.name, g.n FROM (SELECT d.assignee AS assignee, count(*) AS n "
      "FROM deadlines d" +
          FilterSql(query) +
          " GROUP BY d.assignee) g "
          "LEFT JOIN users u ON u.id = g.assignee AND u.organisation_id = :org "
          "ORDER BY g.n DESC, g.assignee IS NULL, u.name IS NULL, u.name, g.assignee");
  BindFilter(statement, organisation_id, query);
  while (statement.executeStep()) {
    AssigneeCount count{OptionalText(statement, 0), OptionalText(statement, 1),
                        statement.getColumn(2).getInt64()};
    overview.total += count.count;
    overview.counts.push_back(std::move(count));
  }
}

}  // namespace

std::string FormatOverviewCursor(const OverviewCursor& cursor) {
  return std::to_string(cursor.overdue_from) + "." + cursor.process_id + "." + cursor.key + "." +
         std::to_string(cursor.instance);
}

std::optional<OverviewCursor> ParseOverviewCursor(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 4 || !AllOf(parts[1], IsIdChar) || !AllOf(parts[2], IsKeyChar)) {
    return std::nullopt;
  }
  auto overdue_from = ParseCount(parts[0]);
  auto instance = ParseCount(parts[3]);
  if (!overdue_from || !instance) return std::nullopt;
  return OverviewCursor{*overdue_from, std::string(parts[1]), std::string(parts[2]), *instance};
}

Result<DeadlineOverview> QueryDeadlineOverview(sql::Database& db, std::int64_t organisation_id,
                                               const OverviewQuery& query) {
  try {
    // One read transaction: the counts describe the same commit as the page.
    db.exec("BEGIN");
    struct EndRead {
      sql::Database& db;
      ~EndRead() { db.tryExec("COMMIT"); }
    } end_read{db};
    DeadlineOverview overview;
    Status page = Page(db, organisation_id, query, overview);
    if (!page.ok()) return page;
    Counts(db, organisation_id, query, overview);
    return overview;
  } catch (const sql::Exception& e) {
    return FromSql(e, "termijnoverzicht lezen");
  }
}

}  // namespace navolg::storage
