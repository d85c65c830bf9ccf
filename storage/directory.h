// The directory: organisations, users, their bearer tokens and password hashes, and workflow
// definitions.
//
// Functions take the connection they work on (storage/connection.h: `Connection&` to change,
// `const Connection&` to read); callers own transactions and threads (one connection per
// thread). Tokens are never stored: only their SHA-256; passwords only as
// the slow hashes of storage/password.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/status.h"
#include "storage/connection.h"
#include "storage/organisation_scope.h"

namespace navolg::storage {

struct Organisation {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
};

// A stored user; only storage makes one, from the user's row.
struct User {
  std::string id;
  OrganisationScope organisation;  // the one organisation the user acts in
  std::string organisation_slug;
  std::string name;
  std::string role;
  std::string organisation_name;  // as people know it ("Gemeente Utrecht")
};

// Whether `role` names a role a user can have (engine/role.h, IsUserRole).
bool IsKnownRole(const std::string& role);

Result<Organisation> AddOrganisation(Connection& connection, const std::string& slug,
                                     const std::string& name, Time now);
Result<Organisation> FindOrganisation(const Connection& connection, const std::string& slug);
Result<std::int64_t> CountOrganisations(const Connection& connection);
// The organisation a person means by `text` when signing in: its slug, or its slug or name
// in any case (engine/text.h, FoldCase), blanks around it ignored. kNotFound when none
// matches, or when the name is that of several organisations (then only the slug tells).
Result<Organisation> FindOrganisationAsTyped(const Connection& connection, std::string_view text);
// The one organisation of an installation that has exactly one; kNotFound otherwise.
Result<Organisation> OnlyOrganisation(const Connection& connection);

// Creates a user and stores the hash of `token` for it, in one transaction. A non-empty
// `password_hash` (storage/password.h, HashPassword) lets the user sign in with a password.
// kInvalidArgument for an unknown role or an empty name, kNotFound for an unknown
// organisation, kFailedPrecondition when the organisation has a user of that name; Dutch
// messages.
Result<User> AddUser(Connection& connection, const std::string& organisation_slug,
                     const std::string& role, const std::string& name, const std::string& token,
                     Time now, const std::string& password_hash = "");
// The user a (not revoked) token belongs to, while that user is not deactivated; kNotFound
// otherwise.
Result<User> FindUserByToken(const Connection& connection, const std::string& token);

// The user called `name` in the organisation; kNotFound (naming both) otherwise.
Result<User> FindUserByName(const Connection& connection, const std::string& organisation_slug,
                            const std::string& name);

// A user as the beheerder sees it.
struct UserListing {
  User user;
  std::string created_at;  // RFC 3339
  bool has_password = false;
  std::int64_t active_tokens = 0;    // not revoked
  std::int64_t active_sessions = 0;  // not ended at the `now` of the query
  std::string deactivated_at;        // RFC 3339; empty: the user is active
  std::string email;                 // empty: none (storage/email_address.h)
};

// The users of an organisation, by name.
Result<std::vector<UserListing>> ListUsers(const Connection& connection,
                                           const OrganisationScope& organisation, Time now);
// One user of the organisation; kNotFound for an unknown id or one of another organisation.
Result<UserListing> GetUserListing(const Connection& connection,
                                   const OrganisationScope& organisation,
                                   const std::string& user_id, Time now);

// Stores the hash of another bearer token for the user.
Status AddToken(Connection& connection, const std::string& user_id, const std::string& token,
                Time now);
// Marks every token of the user revoked at `now`; returns how many were active.
Result<std::int64_t> RevokeTokens(Connection& connection, const std::string& user_id, Time now);
// Stores `email` as the user's e-mail address (checked by CheckEmailAddress first; empty:
// none). kNotFound for an unknown id.
Status SetEmail(Connection& connection, const std::string& user_id, const std::string& email);
// Replaces the user's password hash (empty: no password).
Status SetPasswordHash(Connection& connection, const std::string& user_id,
                       const std::string& password_hash);
// The user's stored password hash; empty when the user has none.
Result<std::string> PasswordHashOf(const Connection& connection, const std::string& user_id);
// When the user was deactivated (RFC 3339); empty while active. kNotFound for an unknown id.
Result<std::string> DeactivatedAt(const Connection& connection, const std::string& user_id);
// Marks the user deactivated at `now` (deactivate) or active again. Nothing else: tokens
// and sessions are storage/account_store.h's business. kNotFound for an unknown id.
enum class Activity { kActive, kDeactivated };
Status SetActivity(Connection& connection, const std::string& user_id, Activity activity, Time now);
// How many active beheerders the organisation has.
Result<std::int64_t> CountActiveBeheerders(const Connection& connection,
                                           const OrganisationScope& organisation);
// How many users, in all organisations, can sign in with a password.
Result<std::int64_t> CountUsersWithPassword(const Connection& connection);

// A new bearer token: "navolg_" + 64 hex digits (256 random bits from OpenSSL's CSPRNG).
// Fails (kInternal) only when OpenSSL's random generator does.
Result<std::string> NewToken();

// Stores a workflow definition version. Storing the same (key, version) again is a no-op
// when the content hash matches, and refused when it differs (a version never changes).
Status RegisterWorkflow(Connection& connection, const Definition& definition, Time now);

// The workflow definitions, parsed once and shared; immutable after loading.
class WorkflowCatalog {
 public:
  // Loads and validates every stored definition.
  static Result<std::shared_ptr<const WorkflowCatalog>> Load(const Connection& connection);

  const Definition* Find(const std::string& key, std::int64_t version) const;
  const Definition* Latest(const std::string& key) const;
  const std::vector<std::shared_ptr<const Definition>>& all() const { return definitions_; }

 private:
  std::vector<std::shared_ptr<const Definition>> definitions_;
};

}  // namespace navolg::storage
