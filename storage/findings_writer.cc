#include <map>
#include <string_view>

#include "engine/report.h"
#include "storage/findings_writer_sql.h"

namespace navolg::storage {
namespace {

// A check's status letter per check key, as the statuses say.
std::map<std::string, char> Letters(const std::string& statuses) {
  std::map<std::string, char> letters;
  for (const auto& [check, status] : DecodeStatuses(statuses))
    letters[check] = StatusLetter(status);
  return letters;
}

}  // namespace

FindingsWriter::FindingsWriter(sql::Database& db)
    : select_(db,
              "SELECT findings, improvement_points FROM process_findings "
              "WHERE organisation_id = ? AND process_id = ?"),
      upsert_(db,
              "INSERT INTO process_findings (process_id, organisation_id, workflow_key, "
              "version, findings, improvement_points) VALUES (?,?,?,?,?,?) "
              "ON CONFLICT (organisation_id, process_id) DO UPDATE SET version = excluded.version, "
              "findings = excluded.findings, improvement_points = excluded.improvement_points"),
      count_process_(db,
                     "INSERT INTO findings_processes (organisation_id, processes) VALUES (?, 1) "
                     "ON CONFLICT (organisation_id) DO UPDATE SET processes = "
                     "findings_processes.processes + 1"),
      insert_status_(db,
                     "INSERT INTO check_statuses (organisation_id, workflow_key, check_key, "
                     "status, process_id) VALUES (?,?,?,?,?)"),
      delete_status_(db,
                     "DELETE FROM check_statuses WHERE organisation_id = ? AND workflow_key = ? "
                     "AND check_key = ? AND status = ? AND process_id = ?"),
      count_status_(db,
                    "INSERT INTO check_counts (organisation_id, workflow_key, check_key, status, "
                    "processes) VALUES (?,?,?,?,?) ON CONFLICT (organisation_id, workflow_key, "
                    "check_key, status) DO UPDATE SET processes = check_counts.processes + "
                    "excluded.processes"),
      drop_status_count_(db,
                         "DELETE FROM check_counts WHERE organisation_id = ? AND workflow_key = ? "
                         "AND check_key = ? AND status = ? AND processes = 0"),
      insert_point_(db,
                    "INSERT INTO improvement_points (organisation_id, niveau, rol, process_id, "
                    "ordinal, point) VALUES (?,?,?,?,?,?)"),
      delete_point_(db,
                    "DELETE FROM improvement_points WHERE organisation_id = ? AND niveau = ? "
                    "AND rol = ? AND process_id = ? AND ordinal = ?"),
      count_point_(db,
                   "INSERT INTO improvement_point_counts (organisation_id, niveau, rol, points) "
                   "VALUES (?,?,?,?) ON CONFLICT (organisation_id, niveau, rol) "
                   "DO UPDATE SET points = improvement_point_counts.points + excluded.points"),
      drop_point_count_(db,
                        "DELETE FROM improvement_point_counts WHERE organisation_id = ? AND "
                        "niveau = ? AND rol = ? AND points = 0") {}

std::optional<FindingsRow> FindingsWriter::Stored(std::int64_t organisation_id,
                                                  const std::string& process_id) {
  select_.tryReset();
  select_.bind(1, organisation_id);
  select_.bind(2, process_id);
  std::optional<FindingsRow> row;
  if (select_.executeStep()) {
    row = FindingsRow{select_.getColumn(0).getString(),
                      select_.isColumnNull(1) ? "" : select_.getColumn(1).getString()};
  }
  select_.tryReset();  // no read snapshot left open past the commit
  return row;
}

void FindingsWriter::Write(std::int64_t organisation_id, const std::string& process_id,
                           const std::string& workflow_key, std::int64_t version,
                           const std::optional<FindingsRow>& before, const FindingsRow& row) {
  upsert_.tryReset();
  upsert_.bind(1, process_id);
  upsert_.bind(2, organisation_id);
  upsert_.bind(3, workflow_key);
  upsert_.bind(4, version);
  upsert_.bind(5, row.statuses);
  if (row.points.empty()) {
    upsert_.bind(6);  // NULL
  } else {
    upsert_.bind(6, row.points);
  }
  upsert_.exec();
  if (!before) {
    count_process_.tryReset();
    count_process_.bind(1, organisation_id);
    count_process_.exec();
  }

  // Only the checks whose status changed (a command changes one or two, if any).
  const auto old_letters = Letters(before ? before->statuses : "");
  const auto new_letters = Letters(row.statuses);
  for (const auto& [check, letter] : old_letters) {
    auto now = new_letters.find(check);
    if (now == new_letters.end() || now->second != letter) {
      AddStatus(organisation_id, workflow_key, process_id, check, letter, -1);
    }
  }
  for (const auto& [check, letter] : new_letters) {
    auto was = old_letters.find(check);
    if (was == old_letters.end() || was->second != letter) {
      AddStatus(organisation_id, workflow_key, process_id, check, letter, 1);
    }
  }

  const std::string old_points = before ? before->points : "";
  if (old_points != row.points) {
    AddPoints(organisation_id, process_id, old_points, -1);
    AddPoints(organisation_id, process_id, row.points, 1);
  }
}

void FindingsWriter::AddStatus(std::int64_t organisation_id, const std::string& workflow_key,
                               const std::string& process_id, const std::string& check, char status,
                               int delta) {
  const std::string letter(1, status);
  sql::Statement& change = delta > 0 ? insert_status_ : delete_status_;
  change.tryReset();
  change.bind(1, organisation_id);
  change.bind(2, workflow_key);
  change.bind(3, check);
  change.bind(4, letter);
  change.bind(5, process_id);
  change.exec();
  count_status_.tryReset();
  count_status_.bind(1, organisation_id);
  count_status_.bind(2, workflow_key);
  count_status_.bind(3, check);
  count_status_.bind(4, letter);
  count_status_.bind(5, delta);
  count_status_.exec();
  if (delta > 0) return;
  drop_status_count_.tryReset();
  drop_status_count_.bind(1, organisation_id);
  drop_status_count_.bind(2, workflow_key);
  drop_status_count_.bind(3, check);
  drop_status_count_.bind(4, letter);
  drop_status_count_.exec();
}

void FindingsWriter::AddPoints(std::int64_t organisation_id, const std::string& process_id,
                               const std::string& points, int delta) {
  // Line by line, numbered as the schema's backfill numbers them; a line that does not decode
  // (never written by EncodeImprovementPoints) has no cell and is left out.
  std::string_view rest = points;
  for (std::int64_t ordinal = 0; !rest.empty(); ++ordinal) {
    const std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) break;  // as the backfill: every line ends in one
    const std::string line(rest.substr(0, end));
    rest.remove_prefix(end + 1);
    const auto decoded = DecodeImprovementPoints(line, /*with_text=*/false);
    if (decoded.size() != 1) continue;
    const BorgingshuisCell& cell = decoded.front().cell;
    sql::Statement& change = delta > 0 ? insert_point_ : delete_point_;
    change.tryReset();
    change.bind(1, organisation_id);
    change.bind(2, cell.level);
    change.bind(3, cell.role);
    change.bind(4, process_id);
    change.bind(5, ordinal);
    if (delta > 0) change.bind(6, line);
    change.exec();
    count_point_.tryReset();
    count_point_.bind(1, organisation_id);
    count_point_.bind(2, cell.level);
    count_point_.bind(3, cell.role);
    count_point_.bind(4, delta);
    count_point_.exec();
    if (delta > 0) continue;
    drop_point_count_.tryReset();
    drop_point_count_.bind(1, organisation_id);
    drop_point_count_.bind(2, cell.level);
    drop_point_count_.bind(3, cell.role);
    drop_point_count_.exec();
  }
}

}  // namespace navolg::storage
