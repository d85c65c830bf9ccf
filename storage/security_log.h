// The security log: per organisation, what happened to its accounts (sign-ins that succeeded
// or failed, with the client address; throttling; deactivation and activation; tokens
// created and revoked; passwords and e-mail addresses changed). Append-only like the process
// trails (triggers refuse UPDATE and DELETE) but kept apart from them: it is no part of any
// process's chain or export. Readable by the beheerder and the auditor (GET /api/v1/security-log).
//
// What is written, and what is not:
//   - a user is named by id (the listing joins the current name); a failed sign-in for a
//     name no user has names nobody, and the name as typed is not stored (people type
//     passwords into the name box);
//   - a sign-in for an organisation that does not exist is logged nowhere;
//   - throttling is logged once per limit and episode (storage/sign_in_throttle.h,
//     first_refusal), not once per refused attempt.
//
// Functions take the connection they work on; the caller owns the transaction of Append.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/status.h"
#include "storage/connection.h"
#include "storage/organisation_scope.h"

namespace navolg::storage {

// The kinds of entry.
namespace security_event {
inline constexpr const char* kSignInSucceeded = "sign_in.succeeded";
inline constexpr const char* kSignInFailed = "sign_in.failed";
inline constexpr const char* kSignInThrottled = "sign_in.throttled";
inline constexpr const char* kSignInDeactivated = "sign_in.deactivated";  // right password
inline constexpr const char* kUserCreated = "user.created";
inline constexpr const char* kUserDeactivated = "user.deactivated";
inline constexpr const char* kUserActivated = "user.activated";
inline constexpr const char* kTokenCreated = "token.created";
inline constexpr const char* kTokensRevoked = "tokens.revoked";
inline constexpr const char* kPasswordChanged = "password.changed";
inline constexpr const char* kEmailChanged = "email.changed";
}  // namespace security_event

// Who made a change to an account, as the log records it.
struct AccountActor {
  std::string user_id;         // the signed-in beheerder; empty: the command line
  std::string client_address;  // empty: not over HTTP
};

struct SecurityRecord {
  OrganisationScope organisation;
  std::string kind;     // a security_event
  std::string user_id;  // the account concerned; empty: none
  AccountActor actor;
  nlohmann::json details = nlohmann::json::object();
};

// Appends one entry at `now`. The caller owns the transaction.
Status AppendSecurityRecord(Connection& connection, const SecurityRecord& record, Time now);

struct SecurityLogUser {
  std::string id;
  std::string name;
};

struct SecurityLogEntry {
  std::int64_t id = 0;
  std::string at;  // RFC 3339
  std::string kind;
  std::optional<SecurityLogUser> user;
  std::optional<SecurityLogUser> actor;
  std::string client_address;  // empty: none recorded
  nlohmann::json details;
};

inline constexpr std::int64_t kSecurityLogDefaultLimit = 50;
inline constexpr std::int64_t kSecurityLogMaxLimit = 200;

struct SecurityLogPage {
  std::vector<SecurityLogEntry> items;  // newest first
  std::optional<std::int64_t> next;     // `before` for the next (older) page; none at the end
};

// The organisation's entries with id < `before` (all when absent), newest first, at most
// `limit` (1..kSecurityLogMaxLimit).
Result<SecurityLogPage> ReadSecurityLog(const Connection& connection,
                                        const OrganisationScope& organisation,
                                        std::optional<std::int64_t> before, std::int64_t limit);

}  // namespace navolg::storage
