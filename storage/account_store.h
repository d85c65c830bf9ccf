// Accounts as the HTTP API changes them: signing in and out, and the beheerder's user
// administration (create, reset a password, revoke tokens). These are not process events
// and never go through the group committer: they are written directly, on one write
// connection of the store's own, each in one short transaction; SQLite's busy timeout
// makes them wait for a group commit in progress (and it for them).
//
// Password hashing (about a second of CPU each) runs outside every lock, at most
// kMaxConcurrentHashes at a time; a request that cannot get a turn within kHashWait is
// answered kUnavailable instead of piling up threads.
//
// Sessions are looked up on the read store (ReadStore::FindSession); this store only writes
// them.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/status.h"
#include "storage/connection.h"
#include "storage/directory.h"

namespace navolg::storage {

inline constexpr std::ptrdiff_t kMaxConcurrentHashes = 4;
inline constexpr std::chrono::seconds kHashWait{10};

enum class SignInOutcome {
  kSignedIn,   // session_id and user are set
  kRejected,   // unknown organisation or name, no password, or a wrong one: one answer
  kThrottled,  // too many attempts for this name; retry_after says when to try again
};

struct SignInResult {
  SignInOutcome outcome = SignInOutcome::kRejected;
  std::optional<User> user;  // kSignedIn only
  std::string session_id;    // the cookie's value; only its hash is stored
  std::chrono::seconds retry_after{};
};

struct NewUser {
  User user;
  std::string token;  // shown once
};

struct Revocation {
  std::int64_t tokens = 0;    // tokens that were active
  std::int64_t sessions = 0;  // sessions that were live
};

class AccountStore {
 public:
  // Opens a write connection to the (existing or new) database at `path`, migrating it.
  static Result<std::unique_ptr<AccountStore>> Open(const std::string& path);

  // Checks the password of `name` in `organisation` (after the throttle, sessions.h) and
  // starts a session on success. An unknown organisation or user, or one without a
  // password, takes as long as a wrong password and gets the same outcome.
  Result<SignInResult> SignIn(const std::string& organisation, const std::string& name,
                              const std::string& password, Time now);

  // Ends the session (no-op when it has ended already).
  Status SignOut(const std::string& session_hash);

  // Records activity on the session; callers do so at most every kSessionTouchInterval.
  Status Touch(const std::string& session_hash, Time now);

  // The beheerder's view, within one organisation. kNotFound for another organisation's id.
  Result<std::vector<UserListing>> ListUsers(const OrganisationScope& organisation, Time now);
  Result<UserListing> GetUser(const OrganisationScope& organisation, const std::string& user_id,
                              Time now);

  // Creates a user with a new bearer token and, when `password` is set, a password (checked
  // with CheckNewPassword first: kInvalidArgument). AddUser's statuses otherwise.
  Result<NewUser> AddUser(const std::string& organisation_slug, const std::string& role,
                          const std::string& name, const std::optional<std::string>& password,
                          Time now);

  // Sets a new password, ends the user's sessions and forgets failed sign-ins of the name.
  // Returns how many sessions were live.
  Result<std::int64_t> ResetPassword(const OrganisationScope& organisation,
                                     const std::string& user_id, const std::string& password,
                                     Time now);

  // Revokes every token of the user and ends every session.
  Result<Revocation> RevokeAccess(const OrganisationScope& organisation, const std::string& user_id,
                                  Time now);

  // Issues one more bearer token for the user (shown once).
  Result<std::string> IssueToken(const OrganisationScope& organisation, const std::string& user_id,
                                 Time now);

 private:
  explicit AccountStore(ConnectionHandle connection) : connection_(std::move(connection)) {}

  // Runs `hash` (a password hashing or checking function) when a turn is free.
  template <typename Work>
  Status WithHashingTurn(Work&& work);

  std::mutex mutex_;  // guards connection_
  ConnectionHandle connection_;
  std::counting_semaphore<kMaxConcurrentHashes> hashing_turns_{kMaxConcurrentHashes};
};

// Sets a new password for `user` in one transaction: hash, end of sessions, forgotten
// sign-in attempts. Returns how many sessions were live. For the command line and the
// store above; the caller checks and hashes the password.
Result<std::int64_t> ReplacePassword(Connection& connection, const User& user,
                                     const std::string& password_hash, Time now);

}  // namespace navolg::storage
