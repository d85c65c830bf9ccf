// The findings of a process as the write path keeps them: its process_findings row (the
// statuses of its checks and its improvement points) and, beside it, what the Borgingshuis
// counts (schema 8 -> 9): each check's status in check_statuses, their numbers in
// check_counts, the processes with findings in findings_processes, and each improvement point
// in improvement_points with the numbers per cell in improvement_point_counts. All of them
// change together, inside the command's transaction, so the counts always equal the rows.
//
// Private to storage's sources and tests. Not thread-safe: the writer thread's, on its
// connection. Every function throws sql::Exception, which rolls back the command.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/sql/sql.h"

namespace navolg::storage {

// A process_findings row: statuses as engine/report.h's EncodeStatuses, improvement points as
// its EncodeImprovementPoints ("" for none).
struct FindingsRow {
  std::string statuses;
  std::string points;
  bool operator==(const FindingsRow&) const = default;
};

class FindingsWriter {
 public:
  explicit FindingsWriter(sql::Database& db);

  // The process's row; none when it has no findings yet.
  std::optional<FindingsRow> Stored(std::int64_t organisation_id, const std::string& process_id);

  // Makes `row` the process's findings at process version `version`, where `before` is what
  // Stored returns now; changes the counts by the difference. `before` equal to `row` is
  // written again all the same: skip the call instead.
  void Write(std::int64_t organisation_id, const std::string& process_id,
             const std::string& workflow_key, std::int64_t version,
             const std::optional<FindingsRow>& before, const FindingsRow& row);

 private:
  // Inserts (delta 1) or deletes (delta -1) a row and counts it.
  void AddStatus(std::int64_t organisation_id, const std::string& workflow_key,
                 const std::string& process_id, const std::string& check, char status, int delta);
  void AddPoints(std::int64_t organisation_id, const std::string& process_id,
                 const std::string& points, int delta);

  sql::Statement select_;
  sql::Statement upsert_;
  sql::Statement count_process_;
  sql::Statement insert_status_;
  sql::Statement delete_status_;
  sql::Statement count_status_;
  sql::Statement drop_status_count_;
  sql::Statement insert_point_;
  sql::Statement delete_point_;
  sql::Statement count_point_;
  sql::Statement drop_point_count_;
};

}  // namespace navolg::storage
