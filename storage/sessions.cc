#include "storage/sessions.h"

#include <openssl/rand.h>

#include "engine/sha256.h"
#include "storage/database.h"
#include "storage/sql/sql.h"
#include "storage/statement_cache.h"
#include "storage/user_row.h"

namespace navolg::storage {
namespace {

std::int64_t Ms(Time t) { return static_cast<std::int64_t>(t.time_since_epoch().count()); }
Time FromMs(std::int64_t ms) { return Time(std::chrono::milliseconds(ms)); }

}  // namespace

Result<std::string> NewSessionId() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Status(Code::kInternal, "OpenSSL RAND_bytes failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char byte : bytes) {
    id.push_back(kHex[byte >> 4]);
    id.push_back(kHex[byte & 0x0f]);
  }
  return id;
}

Status CreateSession(Connection& connection, const std::string& session_id,
                     const std::string& user_id, Time now) {
  sql::Database& db = connection.db();
  try {
    sql::Statement prune(db, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?");
    prune.bind(1, Ms(now));
    prune.bind(2, Ms(now - kSessionIdleTimeout));
    prune.exec();
    sql::Statement insert(db,
                          "INSERT INTO sessions (hash, user_id, created_at, last_seen_at, "
                          "expires_at) VALUES (?, ?, ?, ?, ?)");
    auto hash = Sha256Hex(session_id);
    if (!hash.ok()) return hash.status();
    insert.bind(1, *hash);
    insert.bind(2, user_id);
    insert.bind(3, Ms(now));
    insert.bind(4, Ms(now));
    insert.bind(5, Ms(now + kSessionLifetime));
    insert.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "sessie beginnen");
  }
}

Result<Session> FindSession(const Connection& connection, const std::string& session_id, Time now) {
  try {
    // Looked up by hash, so timing reveals nothing about stored ids.
    Query query(connection,
                "SELECT s.hash, s.last_seen_at, s.expires_at, u.id, "
                "u.organisation_id, o.slug, u.name, u.role, o.name "
                "FROM sessions s JOIN users u ON u.id = s.user_id "
                "JOIN organisations o ON o.id = u.organisation_id "
                "WHERE s.hash = ? AND s.expires_at > ? AND s.last_seen_at > ? AND u.deactivated_at "
                "IS NULL");
    auto hash = Sha256Hex(session_id);
    if (!hash.ok()) return hash.status();
    query->bind(1, *hash);
    query->bind(2, Ms(now));
    query->bind(3, Ms(now - kSessionIdleTimeout));
    if (!query->executeStep()) return Status(Code::kNotFound, "Geen lopende sessie.");
    auto user = UserFromRow(*query, 3);
    if (!user.ok()) return user.status();
    return Session{std::move(*user), query->getColumn(0).getString(),
                   FromMs(query->getColumn(1).getInt64()), FromMs(query->getColumn(2).getInt64())};
  } catch (const sql::Exception& e) {
    return FromSql(e, "sessie controleren");
  }
}

Status TouchSession(Connection& connection, const std::string& session_hash, Time now) {
  sql::Database& db = connection.db();
  try {
    // Only forward (one text for both backends: PostgreSQL's scalar max is GREATEST).
    sql::Statement update(
        db, "UPDATE sessions SET last_seen_at = :now WHERE hash = :hash AND last_seen_at < :now");
    update.bind(":now", Ms(now));
    update.bind(":hash", session_hash);
    update.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "sessie bijwerken");
  }
}

Status EndSession(Connection& connection, const std::string& session_hash) {
  sql::Database& db = connection.db();
  try {
    sql::Statement remove(db, "DELETE FROM sessions WHERE hash = ?");
    remove.bind(1, session_hash);
    remove.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "sessie beeindigen");
  }
}

Result<std::int64_t> EndSessionsOf(Connection& connection, const std::string& user_id, Time now) {
  sql::Database& db = connection.db();
  try {
    sql::Statement live(db,
                        "SELECT count(*) FROM sessions WHERE user_id = ? AND expires_at > ? "
                        "AND last_seen_at > ?");
    live.bind(1, user_id);
    live.bind(2, Ms(now));
    live.bind(3, Ms(now - kSessionIdleTimeout));
    live.executeStep();
    const std::int64_t count = live.getColumn(0).getInt64();
    sql::Statement remove(db, "DELETE FROM sessions WHERE user_id = ?");
    remove.bind(1, user_id);
    remove.exec();
    return count;
  } catch (const sql::Exception& e) {
    return FromSql(e, "sessies beeindigen");
  }
}

}  // namespace navolg::storage
