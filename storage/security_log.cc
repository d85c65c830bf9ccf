#include "storage/security_log.h"

#include "storage/database.h"
#include "storage/sql/sql.h"

namespace navolg::storage {
namespace {

void BindOptional(sql::Statement& statement, int index, const std::string& value) {
  if (value.empty()) {
    statement.bind(index);
  } else {
    statement.bind(index, value);
  }
}

std::optional<SecurityLogUser> UserAt(sql::Statement& row, int id_column) {
  if (row.getColumn(id_column).isNull()) return std::nullopt;
  // A user is never removed, so the join finds a name; an empty one only if it did not.
  return SecurityLogUser{row.getColumn(id_column).getString(),
                         row.getColumn(id_column + 1).getString()};
}

}  // namespace

Status AppendSecurityRecord(Connection& connection, const SecurityRecord& record, Time now) {
  sql::Database& db = connection.db();
  try {
    sql::Statement insert(db,
                          "INSERT INTO security_log (organisation_id, at, kind, user_id, "
                          "actor_id, client_address, details) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, record.organisation.id());
    insert.bind(2, FormatTime(now));
    insert.bind(3, record.kind);
    BindOptional(insert, 4, record.user_id);
    BindOptional(insert, 5, record.actor.user_id);
    BindOptional(insert, 6, record.actor.client_address);
    insert.bind(7, record.details.dump());
    insert.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "beveiligingslog bijwerken");
  }
}

Result<SecurityLogPage> ReadSecurityLog(const Connection& connection,
                                        const OrganisationScope& organisation,
                                        std::optional<std::int64_t> before, std::int64_t limit) {
  sql::Database& db = connection.db();
  try {
    // One row more than asked: whether there is an older page.
    sql::Statement query(
        db,
        "SELECT l.id, l.at, l.kind, l.user_id, u.name, l.actor_id, a.name, l.client_address, "
        "l.details FROM security_log l "
        "LEFT JOIN users u ON u.id = l.user_id LEFT JOIN users a ON a.id = l.actor_id "
        "WHERE l.organisation_id = ? AND l.id < ? ORDER BY l.id DESC LIMIT ?");
    query.bind(1, organisation.id());
    query.bind(2, before.value_or(INT64_MAX));
    query.bind(3, limit + 1);
    SecurityLogPage page;
    while (query.executeStep()) {
      if (static_cast<std::int64_t>(page.items.size()) == limit) {
        page.next = page.items.back().id;
        break;
      }
      SecurityLogEntry entry;
      entry.id = query.getColumn(0).getInt64();
      entry.at = query.getColumn(1).getString();
      entry.kind = query.getColumn(2).getString();
      entry.user = UserAt(query, 3);
      entry.actor = UserAt(query, 5);
      entry.client_address = query.getColumn(7).getString();  // NULL reads as ""
      entry.details = nlohmann::json::parse(query.getColumn(8).getString(), nullptr, false);
      if (entry.details.is_discarded()) entry.details = nlohmann::json::object();
      page.items.push_back(std::move(entry));
    }
    return page;
  } catch (const sql::Exception& e) {
    return FromSql(e, "beveiligingslog lezen");
  }
}

}  // namespace navolg::storage
