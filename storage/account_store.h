// Accounts as the HTTP API changes them: signing in and out, and the beheerder's user
// administration (create, reset a password, issue and revoke tokens, deactivate and
// activate). These are not process events and never go through the group committer: they
// are written directly, on one write connection of the store's own, each in one short
// transaction together with its entry in the security log (storage/security_log.h); SQLite's
// busy timeout makes them wait for a group commit in progress (and it for them).
//
// Password hashing (about a second of CPU each) runs outside every lock, at most
// kMaxConcurrentHashes at a time; a request that cannot get a turn within kHashWait is
// answered kUnavailable instead of piling up threads. A sign-in for a name without a
// password hash (no such user, no such organisation, no password) takes as long as a real
// check, but waits that time (the last measured check) without holding a turn, so a flood
// of made-up names cannot take the turns from real users. (Before any check was measured,
// one such sign-in measures one, outside the turns, and the others wait for its figure.)
//
// Deactivation: a deactivated user's password sign-in is refused, and so are their sessions
// and tokens (the look-ups check deactivated_at); deactivating also ends the sessions and
// revokes the tokens, so activating again restores password sign-in only: the beheerder
// issues a new token when one is needed. The last active beheerder of an organisation
// cannot be deactivated.
//
// Sessions are looked up on the read store (ReadStore::FindSession); this store only writes
// them.
//
// Thread-safe.
#pragma once

#include <atomic>
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
#include "storage/security_log.h"
#include "storage/sign_in_throttle.h"

namespace navolg::storage {

inline constexpr std::ptrdiff_t kMaxConcurrentHashes = 4;
inline constexpr std::chrono::seconds kHashWait{10};

enum class SignInOutcome {
  kSignedIn,  // session_id and user are set
  kRejected,  // unknown name, no password, or a wrong one: one answer
  // No organisation is known by what was typed (storage/directory.h,
  // FindOrganisationAsTyped). Organisations are no secret; who works there is, so this
  // says nothing about names and takes as long as kRejected.
  kUnknownOrganisation,
  kThrottled,    // a limit of storage/sign_in_throttle.h; retry_after says when to try again
  kDeactivated,  // the right password of a deactivated user (never said for a wrong one)
};

struct SignInResult {
  SignInOutcome outcome = SignInOutcome::kRejected;
  std::optional<User> user;  // kSignedIn only
  std::string session_id;    // the cookie's value; only its hash is stored
  std::chrono::seconds retry_after{};
  ThrottleLimit limit = ThrottleLimit::kNone;  // kThrottled only
};

struct NewUser {
  User user;
  std::string token;  // shown once
};

struct Revocation {
  std::int64_t tokens = 0;    // tokens that were active
  std::int64_t sessions = 0;  // sessions that were live
};

struct Deactivation {
  bool changed = false;  // false: the user was deactivated already
  Revocation ended;
};

class AccountStore {
 public:
  // Opens a write connection to the (existing or new) database at `path`, migrating it.
  static Result<std::unique_ptr<AccountStore>> Open(const std::string& path);

  // Checks the password of the source's name in its organisation (after the throttle,
  // storage/sign_in_throttle.h) and starts a session on success. The organisation may be
  // typed as its slug or its name (FindOrganisationAsTyped); the throttle counts it by its
  // slug, however it was typed. An unknown user, or one without a password, takes as long as
  // a wrong password and gets the same outcome; so does an unknown organisation, which gets
  // its own (kUnknownOrganisation). Logged in the organisation's security log.
  Result<SignInResult> SignIn(const SignInSource& source, const std::string& password, Time now);

  // The organisation to sign in to when the installation has exactly one (for the sign-in
  // page to fill in); nullopt when it has none or several.
  Result<std::optional<Organisation>> SignInOrganisation();

  // Ends the session (no-op when it has ended already).
  Status SignOut(const std::string& session_hash);

  // Records activity on the session; callers do so at most every kSessionTouchInterval.
  Status Touch(const std::string& session_hash, Time now);

  // The beheerder's view, within one organisation. kNotFound for another organisation's id.
  Result<std::vector<UserListing>> ListUsers(const OrganisationScope& organisation, Time now);
  Result<UserListing> GetUser(const OrganisationScope& organisation, const std::string& user_id,
                              Time now);

  // Creates a user with a new bearer token and, when `password` is set, a password (checked
  // with CheckNewPassword first: kInvalidArgument), and the e-mail address `email` (none when
  // empty; CheckEmailAddress's kInvalidArgument). AddUser's statuses otherwise.
  Result<NewUser> AddUser(const std::string& organisation_slug, const std::string& role,
                          const std::string& name, const std::optional<std::string>& password,
                          Time now, const AccountActor& actor = {}, const std::string& email = "");

  // ReplaceEmail (below) for a user of the organisation.
  Status ChangeEmail(const OrganisationScope& organisation, const std::string& user_id,
                     const std::string& email, Time now, const AccountActor& actor = {});

  // Sets a new password, ends the user's sessions and forgets failed sign-ins of the name.
  // Returns how many sessions were live.
  Result<std::int64_t> ResetPassword(const OrganisationScope& organisation,
                                     const std::string& user_id, const std::string& password,
                                     Time now, const AccountActor& actor = {});

  // Revokes every token of the user and ends every session.
  Result<Revocation> RevokeAccess(const OrganisationScope& organisation, const std::string& user_id,
                                  Time now, const AccountActor& actor = {});

  // Issues one more bearer token for the user (shown once). kFailedPrecondition for a
  // deactivated user.
  Result<std::string> IssueToken(const OrganisationScope& organisation, const std::string& user_id,
                                 Time now, const AccountActor& actor = {});

  // DeactivateAccount and ActivateAccount (below) for a user of the organisation.
  Result<Deactivation> Deactivate(const OrganisationScope& organisation, const std::string& user_id,
                                  Time now, const AccountActor& actor = {});
  Result<bool> Activate(const OrganisationScope& organisation, const std::string& user_id, Time now,
                        const AccountActor& actor = {});

  // The organisation's security log (storage/security_log.h, ReadSecurityLog).
  Result<SecurityLogPage> SecurityLog(const OrganisationScope& organisation,
                                      std::optional<std::int64_t> before, std::int64_t limit);

 private:
  explicit AccountStore(ConnectionHandle connection) : connection_(std::move(connection)) {}

  // Runs `hash` (a password hashing or checking function) when a turn is free.
  template <typename Work>
  Status WithHashingTurn(Work&& work);

  // Takes as long as checking `password` against a stored hash would, without a turn.
  Status SpendCheckTime(const std::string& password);
  void RecordCheckTime(std::chrono::steady_clock::time_point started);

  // Appends a sign-in entry to the organisation typed in `source`, if it exists.
  Status LogSignIn(const SignInSource& source, const char* kind, const std::string& user_id,
                   nlohmann::json details, Time now);

  std::mutex mutex_;  // guards connection_
  ConnectionHandle connection_;
  std::counting_semaphore<kMaxConcurrentHashes> hashing_turns_{kMaxConcurrentHashes};
  std::atomic<std::int64_t> check_microseconds_{0};  // the last measured check; 0: none yet
  std::once_flag first_measurement_;
};

// storage::AddUser, the user's e-mail address (none when `email` is empty; checked first,
// CheckEmailAddress's kInvalidArgument) and its entry in the security log, in one
// transaction. For the command line and the store above.
Result<User> CreateAccount(Connection& connection, const std::string& organisation_slug,
                           const std::string& role, const std::string& name,
                           const std::string& token, Time now, const std::string& password_hash,
                           const AccountActor& actor = {}, const std::string& email = "");

// Sets the e-mail address of `user` to `email` as typed (CheckEmailAddress: trimmed; empty
// removes it; kInvalidArgument with a Dutch message for a malformed one) and logs the change,
// in one transaction. Returns the address as stored. For the command line and the store above.
Result<std::string> ReplaceEmail(Connection& connection, const User& user, const std::string& email,
                                 Time now, const AccountActor& actor = {});

// Sets a new password for `user` in one transaction: hash, end of sessions, forgotten
// sign-in failures, security log. Returns how many sessions were live. For the command line
// and the store above; the caller checks and hashes the password.
Result<std::int64_t> ReplacePassword(Connection& connection, const User& user,
                                     const std::string& password_hash, Time now,
                                     const AccountActor& actor = {});

// Deactivates `user` in one transaction: marks it, revokes its tokens, ends its sessions,
// logs it. A no-op (changed false) for a user deactivated already. kFailedPrecondition, with
// a Dutch message, when the user is the organisation's last active beheerder.
Result<Deactivation> DeactivateAccount(Connection& connection, const User& user, Time now,
                                       const AccountActor& actor = {});

// Lets a deactivated `user` sign in with a password again, and logs it; returns whether the
// user was deactivated (false: nothing changed). Revoked tokens stay revoked.
Result<bool> ActivateAccount(Connection& connection, const User& user, Time now,
                             const AccountActor& actor = {});

}  // namespace navolg::storage
