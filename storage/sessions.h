// Browser sessions, on SQLite (table `sessions`). Sign-in throttling is
// storage/sign_in_throttle.h.
//
// A session id is 256 random bits, sent to the browser once in a cookie; only its SHA-256
// is stored. A session ends kSessionLifetime after sign-in, after kSessionIdleTimeout
// without a request, at sign-out, when the user's password is reset or tokens revoked, and
// when the user is deactivated (FindSession refuses a deactivated user's session at once).
//
// Functions take the connection they work on (one per thread); the caller owns the
// transaction where a comment says so.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/calendar.h"
#include "engine/status.h"
#include "storage/connection.h"
#include "storage/directory.h"

namespace navolg::storage {

inline constexpr std::chrono::milliseconds kSessionIdleTimeout = std::chrono::hours(1);
inline constexpr std::chrono::milliseconds kSessionLifetime = std::chrono::hours(12);
// last_seen_at is written at most this often per session, not on every request.
inline constexpr std::chrono::milliseconds kSessionTouchInterval = std::chrono::minutes(1);

struct Session {
  User user;
  std::string hash;  // SHA-256 (hex) of the id
  Time last_seen;
  Time expires;  // the absolute end
};

// A new session id: 64 lowercase hex digits (256 bits from OpenSSL's CSPRNG). Fails
// (kInternal) only when OpenSSL's random generator does.
Result<std::string> NewSessionId();

// Starts a session for the user and removes every session that has ended by `now`. The
// caller owns the transaction.
Status CreateSession(Connection& connection, const std::string& session_id,
                     const std::string& user_id, Time now);

// The live session `session_id` names at `now`; kNotFound when there is none (unknown,
// ended, expired, idle too long, or its user deactivated).
Result<Session> FindSession(const Connection& connection, const std::string& session_id, Time now);

// Records activity on the session. A no-op for a session that no longer exists.
Status TouchSession(Connection& connection, const std::string& session_hash, Time now);

// Ends one session. A no-op for a session that no longer exists.
Status EndSession(Connection& connection, const std::string& session_hash);

// Ends every session of the user; returns how many were live at `now`. The caller owns the
// transaction.
Result<std::int64_t> EndSessionsOf(Connection& connection, const std::string& user_id, Time now);

}  // namespace navolg::storage
