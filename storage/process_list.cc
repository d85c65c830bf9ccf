// The process list. Every filter is a condition on the processes row, so a page is a walk of
// one index in id order that stops after limit + 1 matches: (organisation_id, id), or the
// state's, or the assignee's index; overdue is next_overdue_from, kept by the write path.
// The total counts the same conditions in the same index.
#include <algorithm>

#include "storage/page_queries_sql.h"

namespace navolg::storage {
namespace {

constexpr std::int64_t kMaxLimit = 200;

// `text` as a LIKE pattern that matches any title containing it literally.
std::string ContainsPattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

// The table and the conditions of `query`, with named parameters BindFilter binds. Which index
// a page walks is chosen here, not left to the planner (navolg keeps no statistics): the
// assignee's when "mine" (the phase is a column of it, so `+` keeps the planner off the
// phase's index), else the phase's, else for a title search the one that holds the titles,
// so rows that do not match are never read.
std::string FilterSql(const sql::Database& db, const ProcessListQuery& query) {
  const bool title_only = !query.title_contains.empty() && query.state.empty() && !query.assignee &&
                          !query.overdue_only;
  std::string sql = " FROM processes p";
  if (title_only) sql += sql::IndexedBy(db, "processes_by_title");
  sql += " WHERE p.organisation_id = :org";
  if (!query.state.empty()) {
    sql += " AND " + (query.assignee ? sql::WithoutIndex(db, "p.state") : "p.state") + " = :state";
  }
  if (query.assignee) sql += " AND p.assignee = :assignee";
  if (query.overdue_only) sql += " AND p.next_overdue_from <= :now";
  if (!query.title_contains.empty()) {
    sql += std::string(" AND p.title ") + sql::LikeAnyCase(db) + " :title ESCAPE '\\'";
  }
  return sql;
}

void BindFilter(sql::Statement& statement, std::int64_t organisation_id,
                const ProcessListQuery& query) {
  statement.bind(":org", organisation_id);
  if (!query.state.empty()) statement.bind(":state", query.state);
  if (query.assignee) statement.bind(":assignee", *query.assignee);
  if (query.overdue_only) statement.bind(":now", query.now.time_since_epoch().count());
  if (!query.title_contains.empty()) {
    statement.bind(":title", ContainsPattern(query.title_contains));
  }
}

std::optional<std::string> OptionalText(sql::Statement& row, int column) {
  if (row.getColumn(column).isNull()) return std::nullopt;
  return row.getColumn(column).getString();
}

}  // namespace

Result<ProcessPage> QueryProcessList(StatementCache& statements, std::int64_t organisation_id,
                                     const ProcessListQuery& query) {
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 1, kMaxLimit);
  const std::int64_t now_ms = query.now.time_since_epoch().count();
  ProcessPage page;
  {
    Query rows(statements,
               "SELECT p.id, p.title, p.workflow_key, p.workflow_version, p.state, p.version, "
               "p.created_at, p.updated_at, p.closed_at, p.assignee, "
               "(SELECT u.name FROM users u WHERE u.id = p.assignee "
               "AND u.organisation_id = p.organisation_id), p.next_deadline, "
               "p.next_due, p.next_overdue_from" +
                   FilterSql(statements.db(), query) +
                   " AND p.id > :after ORDER BY p.id LIMIT :limit");
    BindFilter(*rows, organisation_id, query);
    rows->bind(":after", query.after);
    rows->bind(":limit", limit + 1);
    while (rows->executeStep()) {
      ListedProcess listed;
      ProcessSummary& s = listed.summary;
      s.id = rows->getColumn(0).getString();
      s.title = rows->getColumn(1).getString();
      s.workflow_key = rows->getColumn(2).getString();
      s.workflow_version = rows->getColumn(3).getInt64();
      s.state = rows->getColumn(4).getString();
      s.version = rows->getColumn(5).getInt64();
      s.created_at = rows->getColumn(6).getString();
      s.updated_at = rows->getColumn(7).getString();
      s.closed_at = OptionalText(*rows, 8);
      listed.assignee = OptionalText(*rows, 9);
      listed.assignee_name = OptionalText(*rows, 10);
      if (!rows->getColumn(11).isNull()) {
        listed.next_deadline =
            NextDeadline{rows->getColumn(11).getString(), rows->getColumn(12).getString(),
                         rows->getColumn(13).getInt64() <= now_ms};
      }
      page.items.push_back(std::move(listed));
    }
  }
  if (static_cast<std::int64_t>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next = page.items.back().summary.id;
  }
  Query count(statements, "SELECT count(*)" + FilterSql(statements.db(), query));
  BindFilter(*count, organisation_id, query);
  count->executeStep();
  page.total = count->getColumn(0).getInt64();
  return page;
}

}  // namespace navolg::storage
