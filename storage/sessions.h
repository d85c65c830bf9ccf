// Browser sessions and sign-in throttling, on SQLite (tables `sessions` and
// `sign_in_attempts`, schema version 3).
//
// A session id is 256 random bits, sent to the browser once in a cookie; only its SHA-256
// is stored. A session ends kSessionLifetime after sign-in, after kSessionIdleTimeout
// without a request, at sign-out, and when the user's password is reset or tokens revoked.
//
// Throttling counts sign-in attempts per organisation and name as typed (existing user or
// not, so the answers never tell), before the password is checked, so attempts sent at
// once are counted too. The first kFreeSignInAttempts - 1 attempts are free; the
// kFreeSignInAttempts-th and every later one locks the name for kFirstLockout, doubling
// per attempt up to kMaxLockout; attempts made while locked are refused unchecked and not
// counted. A successful sign-in, or a password reset, forgets the count; so does
// kAttemptMemory without attempts.
//
// Functions take the connection they work on (one per thread) and make each change in one
// transaction of their own, except where a comment says the caller owns it.
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

inline constexpr std::int64_t kFreeSignInAttempts = 5;
inline constexpr std::chrono::milliseconds kFirstLockout = std::chrono::seconds(30);
inline constexpr std::chrono::milliseconds kMaxLockout = std::chrono::minutes(15);
inline constexpr std::chrono::milliseconds kAttemptMemory = std::chrono::hours(24);

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
// ended, expired, idle too long).
Result<Session> FindSession(const Connection& connection, const std::string& session_id, Time now);

// Records activity on the session. A no-op for a session that no longer exists.
Status TouchSession(Connection& connection, const std::string& session_hash, Time now);

// Ends one session. A no-op for a session that no longer exists.
Status EndSession(Connection& connection, const std::string& session_hash);

// Ends every session of the user; returns how many were live at `now`. The caller owns the
// transaction.
Result<std::int64_t> EndSessionsOf(Connection& connection, const std::string& user_id, Time now);

struct AttemptVerdict {
  bool allowed = false;                // false: locked; check nothing, answer "try later"
  std::chrono::seconds retry_after{};  // when not allowed: until the lock ends, rounded up
};

// Counts one attempt to sign in as `name` of `organisation` at `now` (see above), in a
// transaction of its own, and says whether it may go ahead.
Result<AttemptVerdict> BeginSignInAttempt(Connection& connection, const std::string& organisation,
                                          const std::string& name, Time now);

// Forgets the attempts for `name` of `organisation`. The caller owns the transaction.
Status ForgetSignInAttempts(Connection& connection, const std::string& organisation,
                            const std::string& name);

}  // namespace navolg::storage
