#include "storage/database_copy.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "storage/connection_sql.h"
#include "storage/database.h"

namespace navolg::storage {
namespace {

// navolg's tables (not the schema's own bookkeeping), sorted by name.
std::vector<std::string> Tables(sql::Database& db) {
  sql::Statement query(
      db, db.dialect() == sql::Dialect::kPostgres
              ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema() AND table_type = 'BASE TABLE' AND table_name <> "
                "'navolg_schema' ORDER BY table_name"
              : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%' ORDER BY name");
  std::vector<std::string> tables;
  while (query.executeStep()) tables.push_back(query.getColumn(0).getString());
  return tables;
}

// The tables `table` refers to with a foreign key.
std::set<std::string> Referenced(sql::Database& db, const std::string& table) {
  sql::Statement query(db, db.dialect() == sql::Dialect::kPostgres
                               ? "SELECT DISTINCT confrelid::regclass::text FROM pg_constraint "
                                 "WHERE contype = 'f' AND conrelid = ?::regclass"
                               : "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)");
  query.bind(1, table);
  std::set<std::string> referenced;
  while (query.executeStep()) referenced.insert(query.getColumn(0).getString());
  referenced.erase(table);
  return referenced;
}

// The tables in an order in which every table comes after those it refers to.
std::vector<std::string> InReferenceOrder(sql::Database& db) {
  std::map<std::string, std::set<std::string>> waits_for;
  for (const std::string& table : Tables(db)) waits_for[table] = Referenced(db, table);
  std::vector<std::string> order;
  while (!waits_for.empty()) {
    auto ready = std::find_if(waits_for.begin(), waits_for.end(), [&](const auto& entry) {
      return std::all_of(entry.second.begin(), entry.second.end(),
                         [&](const std::string& t) { return !waits_for.contains(t); });
    });
    if (ready == waits_for.end()) ready = waits_for.begin();  // a cycle: cannot happen here
    order.push_back(ready->first);
    waits_for.erase(ready);
  }
  return order;
}

std::vector<std::string> Columns(sql::Database& db, const std::string& table) {
  sql::Statement query(db, db.dialect() == sql::Dialect::kPostgres
                               ? "SELECT column_name FROM information_schema.columns WHERE "
                                 "table_schema = current_schema() AND table_name = ? "
                                 "ORDER BY ordinal_position"
                               : "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  query.bind(1, table);
  std::vector<std::string> columns;
  while (query.executeStep()) columns.push_back(query.getColumn(0).getString());
  return columns;
}

std::int64_t CountRows(sql::Database& db, const std::string& table) {
  sql::Statement count(db, "SELECT count(*) FROM \"" + table + "\"");
  count.executeStep();
  return count.getColumn(0).getInt64();
}

std::string Quoted(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "\"" : ", \"") + name + "\"";
  return list;
}

// Copies one table's rows; how many. Values travel as text (or NULL): both backends convert
// text to the column's type, and navolg stores no binary values.
std::int64_t CopyRows(sql::Database& source, sql::Database& target, const std::string& table,
                      const std::vector<std::string>& columns) {
  sql::Statement read(source, "SELECT " + Quoted(columns) + " FROM \"" + table + "\"");
  std::string placeholders;
  for (std::size_t i = 0; i < columns.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
  sql::Statement write(target, "INSERT INTO \"" + table + "\" (" + Quoted(columns) + ") VALUES (" +
                                   placeholders + ")");
  std::int64_t rows = 0;
  while (read.executeStep()) {
    write.tryReset();
    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
      if (read.getColumn(i).isNull()) {
        write.bind(i + 1);
      } else {
        write.bind(i + 1, std::string(read.getColumn(i).getView()));
      }
    }
    write.exec();
    ++rows;
  }
  return rows;
}

// PostgreSQL: identity columns continue after the copied ids.
void AdvanceIdentities(sql::Database& target) {
  if (target.dialect() != sql::Dialect::kPostgres) return;
  sql::Statement identities(target,
                            "SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND is_identity = 'YES'");
  std::vector<std::pair<std::string, std::string>> columns;
  while (identities.executeStep()) {
    columns.emplace_back(identities.getColumn(0).getString(), identities.getColumn(1).getString());
  }
  for (const auto& [table, column] : columns) {
    target.exec("SELECT setval(pg_get_serial_sequence('\"" + table + "\"', '" + column +
                "'), coalesce(max(\"" + column + "\"), 0) + 1, false) FROM \"" + table + "\"");
  }
}

}  // namespace

Result<CopySummary> CopyDatabase(const std::string& from, const std::string& to, Time now) {
  auto source = OpenForReading(from);
  if (!source.ok()) return source.status();
  auto target = OpenForWriting({to});
  if (!target.ok()) return target.status();
  sql::Database& in = **source;
  sql::Database& out = **target;
  CopySummary summary;
  std::map<std::string, std::int64_t> copied;
  try {
    const std::vector<std::string> tables = InReferenceOrder(in);
    for (const std::string& table : Tables(out)) {
      if (CountRows(out, table) > 0) {
        return Status(Code::kFailedPrecondition,
                      "de doeldatabase is niet leeg (tabel " + table +
                          " heeft rijen); navolg kopieert alleen naar een lege database en heeft "
                          "niets geschreven.");
      }
    }
    sql::BeginReadSnapshot(in);  // one commit of the source throughout
    sql::Transaction transaction(out, sql::TransactionBehavior::IMMEDIATE);
    for (const std::string& table : tables) {
      copied[table] = CopyRows(in, out, table, Columns(in, table));
      summary.rows += copied[table];
      ++summary.tables;
    }
    AdvanceIdentities(out);
    transaction.commit();
    in.exec("COMMIT");
  } catch (const sql::Exception& e) {
    return FromSql(e, "database kopiëren");
  }
  try {
    for (const auto& [table, rows] : copied) {
      if (CountRows(out, table) != rows) {
        return Status(Code::kDataLoss, "na het kopiëren heeft tabel " + table + " " +
                                           std::to_string(CountRows(out, table)) +
                                           " rijen, de bron " + std::to_string(rows) + ".");
      }
    }
  } catch (const sql::Exception& e) {
    return FromSql(e, "kopie controleren");
  }
  Connection checked(out);
  auto integrity = CheckIntegrity(checked, {.process_id = "", .budget = std::nullopt, .now = now});
  if (!integrity.ok()) return integrity.status();
  summary.integrity = std::move(*integrity);
  if (summary.integrity.damaged > 0) {
    return Status(Code::kDataLoss,
                  "de kopie klopt niet: " + std::to_string(summary.integrity.damaged) +
                      " proces(sen) verifiëren niet (eerste: " +
                      summary.integrity.processes.front().process_id + ", " +
                      summary.integrity.processes.front().damage.value_or("") + ").");
  }
  return summary;
}

}  // namespace navolg::storage
