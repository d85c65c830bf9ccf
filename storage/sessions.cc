#include "storage/sessions.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <openssl/rand.h>

#include <algorithm>

#include "engine/sha256.h"
#include "storage/database.h"
#include "storage/statement_cache.h"
#include "storage/user_row.h"

namespace navolg::storage {
namespace {

std::int64_t Ms(Time t) { return static_cast<std::int64_t>(t.time_since_epoch().count()); }
std::int64_t Ms(std::chrono::milliseconds d) { return static_cast<std::int64_t>(d.count()); }
Time FromMs(std::int64_t ms) { return Time(std::chrono::milliseconds(ms)); }

// Organisation and name as typed, joined by a byte neither can hold.
Result<std::string> AttemptKey(const std::string& organisation, const std::string& name) {
  std::string joined = organisation;
  joined.push_back('\0');
  joined += name;
  return Sha256Hex(joined);
}

// The lock after the `attempts`-th attempt; none before kFreeSignInAttempts.
std::chrono::milliseconds LockoutAfter(std::int64_t attempts) {
  if (attempts < kFreeSignInAttempts) return std::chrono::milliseconds(0);
  const std::int64_t doublings = std::min<std::int64_t>(attempts - kFreeSignInAttempts, 20);
  return std::min(kFirstLockout * (std::int64_t{1} << doublings), kMaxLockout);
}

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
  SQLite::Database& db = connection.sqlite();
  try {
    SQLite::Statement prune(db, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?");
    prune.bind(1, Ms(now));
    prune.bind(2, Ms(now - kSessionIdleTimeout));
    prune.exec();
    SQLite::Statement insert(db,
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
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "sessie beginnen");
  }
}

Result<Session> FindSession(const Connection& connection, const std::string& session_id, Time now) {
  try {
    // Looked up by hash, so timing reveals nothing about stored ids.
    Query query(connection,
                "SELECT s.hash, s.last_seen_at, s.expires_at, u.id, "
                "u.organisation_id, o.slug, u.name, u.role "
                "FROM sessions s JOIN users u ON u.id = s.user_id "
                "JOIN organisations o ON o.id = u.organisation_id "
                "WHERE s.hash = ? AND s.expires_at > ? AND s.last_seen_at > ?");
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
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "sessie controleren");
  }
}

Status TouchSession(Connection& connection, const std::string& session_hash, Time now) {
  SQLite::Database& db = connection.sqlite();
  try {
    SQLite::Statement update(
        db, "UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE hash = ?");
    update.bind(1, Ms(now));
    update.bind(2, session_hash);
    update.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "sessie bijwerken");
  }
}

Status EndSession(Connection& connection, const std::string& session_hash) {
  SQLite::Database& db = connection.sqlite();
  try {
    SQLite::Statement remove(db, "DELETE FROM sessions WHERE hash = ?");
    remove.bind(1, session_hash);
    remove.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "sessie beeindigen");
  }
}

Result<std::int64_t> EndSessionsOf(Connection& connection, const std::string& user_id, Time now) {
  SQLite::Database& db = connection.sqlite();
  try {
    SQLite::Statement live(db,
                           "SELECT count(*) FROM sessions WHERE user_id = ? AND expires_at > ? "
                           "AND last_seen_at > ?");
    live.bind(1, user_id);
    live.bind(2, Ms(now));
    live.bind(3, Ms(now - kSessionIdleTimeout));
    live.executeStep();
    const std::int64_t count = live.getColumn(0).getInt64();
    SQLite::Statement remove(db, "DELETE FROM sessions WHERE user_id = ?");
    remove.bind(1, user_id);
    remove.exec();
    return count;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "sessies beeindigen");
  }
}

Result<AttemptVerdict> BeginSignInAttempt(Connection& connection, const std::string& organisation,
                                          const std::string& name, Time now) {
  SQLite::Database& db = connection.sqlite();
  const auto key = AttemptKey(organisation, name);
  if (!key.ok()) return key.status();
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement query(
        db, "SELECT attempts, last_attempt_at, locked_until FROM sign_in_attempts WHERE key = ?");
    query.bind(1, *key);
    std::int64_t attempts = 0;
    if (query.executeStep()) {
      const std::int64_t locked_until = query.getColumn(2).getInt64();
      if (Ms(now) < locked_until) {
        const std::int64_t wait_ms = locked_until - Ms(now);
        return AttemptVerdict{false, std::chrono::seconds((wait_ms + 999) / 1000)};
      }
      const bool remembered = Ms(now) - query.getColumn(1).getInt64() < Ms(kAttemptMemory);
      if (remembered) attempts = query.getColumn(0).getInt64();
    }
    query.reset();
    ++attempts;
    const std::chrono::milliseconds lockout = LockoutAfter(attempts);
    SQLite::Statement upsert(
        db,
        "INSERT INTO sign_in_attempts (key, attempts, last_attempt_at, locked_until) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE SET attempts = ?2, "
        "last_attempt_at = ?3, locked_until = ?4");
    upsert.bind(1, *key);
    upsert.bind(2, attempts);
    upsert.bind(3, Ms(now));
    upsert.bind(4, lockout.count() > 0 ? Ms(now + lockout) : std::int64_t{0});
    upsert.exec();
    SQLite::Statement prune(
        db, "DELETE FROM sign_in_attempts WHERE last_attempt_at < ? AND locked_until < ?");
    prune.bind(1, Ms(now - kAttemptMemory));
    prune.bind(2, Ms(now));
    prune.exec();
    transaction.commit();
    return AttemptVerdict{true, std::chrono::seconds(0)};
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "aanmeldpoging tellen");
  }
}

Status ForgetSignInAttempts(Connection& connection, const std::string& organisation,
                            const std::string& name) {
  SQLite::Database& db = connection.sqlite();
  const auto key = AttemptKey(organisation, name);
  if (!key.ok()) return key.status();
  try {
    SQLite::Statement remove(db, "DELETE FROM sign_in_attempts WHERE key = ?");
    remove.bind(1, *key);
    remove.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "aanmeldpogingen vergeten");
  }
}

}  // namespace navolg::storage
