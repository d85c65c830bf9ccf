// A cell's newest points are the start of its range of improvement_points, whose key puts
// newer processes first; the processes behind an indicator are a range of check_statuses'
// key in id order. Counts come from the rows the write path keeps for them.
#include <algorithm>

#include "storage/borgingshuis_queries_sql.h"

namespace navolg::storage {
namespace {

constexpr std::int64_t kMaxLimit = 200;

std::optional<std::string> OptionalText(sql::Statement& row, int column) {
  if (row.getColumn(column).isNull()) return std::nullopt;
  return row.getColumn(column).getString();
}

}  // namespace

Result<BorgingshuisFindings> QueryBorgingshuis(StatementCache& statements,
                                               std::int64_t organisation_id) {
  BorgingshuisFindings findings;
  {
    Query processes(statements,
                    "SELECT processes FROM findings_processes WHERE organisation_id = ?");
    processes->bind(1, organisation_id);
    if (processes->executeStep()) findings.processes = processes->getColumn(0).getInt64();
  }
  {
    Query counts(statements,
                 "SELECT workflow_key, check_key, status, processes FROM check_counts "
                 "WHERE organisation_id = ?");
    counts->bind(1, organisation_id);
    while (counts->executeStep()) {
      const std::string letter = counts->getColumn(2).getString();
      const auto status = StatusOfLetter(letter.empty() ? ' ' : letter.front());
      if (!status) continue;
      findings.statuses.push_back({counts->getColumn(0).getString(),
                                   counts->getColumn(1).getString(), *status,
                                   counts->getColumn(3).getInt64()});
    }
  }
  Query cells(statements,
              "SELECT niveau, rol, points FROM improvement_point_counts "
              "WHERE organisation_id = ?");
  cells->bind(1, organisation_id);
  while (cells->executeStep()) {
    BorgingshuisFindings::CellPoints cell{
        {cells->getColumn(0).getString(), cells->getColumn(1).getString()},
        cells->getColumn(2).getInt64(),
        {}};
    Query newest(statements,
                 "SELECT i.process_id, i.point, p.title FROM improvement_points i "
                 "JOIN processes p ON p.id = i.process_id "
                 "WHERE i.organisation_id = ? AND i.niveau = ? AND i.rol = ? "
                 "ORDER BY i.process_id DESC, i.ordinal LIMIT ?");
    newest->bind(1, organisation_id);
    newest->bind(2, cell.cell.level);
    newest->bind(3, cell.cell.role);
    newest->bind(4, static_cast<std::int64_t>(kMaxPointsPerCell));
    while (newest->executeStep()) {
      auto decoded = DecodeImprovementPoints(newest->getColumn(1).getString());
      if (decoded.size() != 1) continue;
      cell.newest.push_back(
          PlacedImprovementPoint{std::move(decoded.front().text), newest->getColumn(0).getString(),
                                 newest->getColumn(2).getString(), decoded.front().seq});
    }
    findings.points.push_back(std::move(cell));
  }
  return findings;
}

Result<IndicatorPage> QueryIndicatorProcesses(StatementCache& statements,
                                              std::int64_t organisation_id,
                                              const IndicatorQuery& query) {
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 1, kMaxLimit);
  const std::string wanted(1, StatusLetter(query.status));
  IndicatorPage result;
  {
    Query counts(statements,
                 "SELECT status, processes FROM check_counts WHERE organisation_id = ? "
                 "AND workflow_key = ? AND check_key = ?");
    counts->bind(1, organisation_id);
    counts->bind(2, query.workflow_key);
    counts->bind(3, query.check_key);
    while (counts->executeStep()) {
      const std::string letter = counts->getColumn(0).getString();
      const std::int64_t processes = counts->getColumn(1).getInt64();
      const auto status = StatusOfLetter(letter.empty() ? ' ' : letter.front());
      if (status == CheckStatus::kVoldaan) result.voldaan = processes;
      if (status == CheckStatus::kNietVoldaan) result.niet_voldaan = processes;
      if (status == CheckStatus::kNietVanToepassing) result.niet_van_toepassing = processes;
      if (letter == wanted) result.processes.total = processes;
    }
  }
  ProcessPage& page = result.processes;
  Query rows(statements,
             "SELECT p.id, p.title, p.workflow_key, p.workflow_version, p.state, p.version, "
             "p.created_at, p.updated_at, p.closed_at, p.assignee, "
             "(SELECT u.name FROM users u WHERE u.id = p.assignee "
             "AND u.organisation_id = p.organisation_id) "
             "FROM check_statuses s JOIN processes p ON p.id = s.process_id "
             "WHERE s.organisation_id = ? AND s.workflow_key = ? AND s.check_key = ? "
             "AND s.status = ? AND s.process_id > ? ORDER BY s.process_id LIMIT ?");
  rows->bind(1, organisation_id);
  rows->bind(2, query.workflow_key);
  rows->bind(3, query.check_key);
  rows->bind(4, wanted);
  rows->bind(5, query.after);
  rows->bind(6, limit + 1);
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
    page.items.push_back(std::move(listed));
  }
  if (static_cast<std::int64_t>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next = page.items.back().summary.id;
  }
  return result;
}

}  // namespace navolg::storage
