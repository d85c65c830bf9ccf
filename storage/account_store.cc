#include "storage/account_store.h"

#include <thread>

#include "storage/database.h"
#include "storage/email_address.h"
#include "storage/password.h"
#include "storage/sessions.h"
#include "storage/sql/sql.h"

namespace navolg::storage {
namespace {

Status Busy() {
  return Status(Code::kUnavailable,
                "Er worden nu te veel wachtwoorden tegelijk gecontroleerd; probeer het over "
                "enkele seconden opnieuw.");
}

// HashPassword into `hash`.
Status Hash(const std::string& password, std::string& hash) {
  auto hashed = HashPassword(password);
  if (!hashed.ok()) return hashed.status();
  hash = std::move(*hashed);
  return Status::Ok();
}

// Appends `record` at `now`; the caller owns the transaction.
Status Log(Connection& connection, const User& user, const char* kind, const AccountActor& actor,
           nlohmann::json details, Time now) {
  return AppendSecurityRecord(
      connection, SecurityRecord{user.organisation, kind, user.id, actor, std::move(details)}, now);
}

// Runs `work` (which returns a Result) in one IMMEDIATE transaction: committed when it
// succeeds, rolled back when it fails or throws; a SQLite error names what was being `doing`.
template <typename Work>
auto InOneTransaction(Connection& connection, const char* doing, Work&& work) -> decltype(work()) {
  try {
    sql::Transaction transaction(connection.db(), sql::TransactionBehavior::IMMEDIATE);
    auto result = work();
    if (result.ok()) transaction.commit();
    return result;
  } catch (const sql::Exception& e) {
    return FromSql(e, doing);
  }
}

}  // namespace

Result<User> CreateAccount(Connection& connection, const std::string& organisation_slug,
                           const std::string& role, const std::string& name,
                           const std::string& token, Time now, const std::string& password_hash,
                           const AccountActor& actor, const std::string& email) {
  auto address = CheckEmailAddress(email);
  if (!address.ok()) return address.status();
  return InOneTransaction(connection, "gebruiker toevoegen", [&]() -> Result<User> {
    auto user = AddUser(connection, organisation_slug, role, name, token, now, password_hash);
    if (!user.ok()) return user.status();
    if (!address->empty()) {
      if (Status set = SetEmail(connection, user->id, *address); !set.ok()) return set;
    }
    // Whether there is an address, not the address: the log is read by auditors too.
    if (Status logged = Log(connection, *user, security_event::kUserCreated, actor,
                            {{"role", role},
                             {"password", !password_hash.empty()},
                             {"token", true},
                             {"email", !address->empty()}},
                            now);
        !logged.ok()) {
      return logged;
    }
    return user;
  });
}

Result<std::string> ReplaceEmail(Connection& connection, const User& user, const std::string& email,
                                 Time now, const AccountActor& actor) {
  auto address = CheckEmailAddress(email);
  if (!address.ok()) return address.status();
  return InOneTransaction(connection, "e-mailadres vastleggen", [&]() -> Result<std::string> {
    if (Status set = SetEmail(connection, user.id, *address); !set.ok()) return set;
    if (Status logged = Log(connection, user, security_event::kEmailChanged, actor,
                            {{"email", !address->empty()}}, now);
        !logged.ok()) {
      return logged;
    }
    return *address;
  });
}

Result<std::int64_t> ReplacePassword(Connection& connection, const User& user,
                                     const std::string& password_hash, Time now,
                                     const AccountActor& actor) {
  return InOneTransaction(connection, "wachtwoord vastleggen", [&]() -> Result<std::int64_t> {
    if (Status set = SetPasswordHash(connection, user.id, password_hash); !set.ok()) return set;
    auto ended = EndSessionsOf(connection, user.id, now);
    if (!ended.ok()) return ended.status();
    if (Status forgot = ForgetSignInFailures(connection, user.organisation_slug, user.name);
        !forgot.ok()) {
      return forgot;
    }
    if (Status logged = Log(connection, user, security_event::kPasswordChanged, actor,
                            {{"sessions_ended", *ended}}, now);
        !logged.ok()) {
      return logged;
    }
    return *ended;
  });
}

Result<Deactivation> DeactivateAccount(Connection& connection, const User& user, Time now,
                                       const AccountActor& actor) {
  return InOneTransaction(connection, "gebruiker deactiveren", [&]() -> Result<Deactivation> {
    auto since = DeactivatedAt(connection, user.id);
    if (!since.ok()) return since.status();
    if (!since->empty()) return Deactivation{};
    if (user.role == "beheerder") {
      auto beheerders = CountActiveBeheerders(connection, user.organisation);
      if (!beheerders.ok()) return beheerders.status();
      if (*beheerders <= 1) {
        return Status(Code::kFailedPrecondition,
                      "'" + user.name +
                          "' is de laatste actieve beheerder van de organisatie en kan niet "
                          "worden gedeactiveerd; maak eerst een andere beheerder aan of activeer "
                          "er een.");
      }
    }
    if (Status set = SetActivity(connection, user.id, Activity::kDeactivated, now); !set.ok()) {
      return set;
    }
    auto tokens = RevokeTokens(connection, user.id, now);
    if (!tokens.ok()) return tokens.status();
    auto sessions = EndSessionsOf(connection, user.id, now);
    if (!sessions.ok()) return sessions.status();
    if (Status logged = Log(connection, user, security_event::kUserDeactivated, actor,
                            {{"tokens_revoked", *tokens}, {"sessions_ended", *sessions}}, now);
        !logged.ok()) {
      return logged;
    }
    return Deactivation{true, Revocation{*tokens, *sessions}};
  });
}

Result<bool> ActivateAccount(Connection& connection, const User& user, Time now,
                             const AccountActor& actor) {
  return InOneTransaction(connection, "gebruiker activeren", [&]() -> Result<bool> {
    auto since = DeactivatedAt(connection, user.id);
    if (!since.ok()) return since.status();
    if (since->empty()) return false;
    if (Status set = SetActivity(connection, user.id, Activity::kActive, now); !set.ok()) {
      return set;
    }
    if (Status logged = Log(connection, user, security_event::kUserActivated, actor,
                            {{"deactivated_at", *since}}, now);
        !logged.ok()) {
      return logged;
    }
    return true;
  });
}

Result<std::unique_ptr<AccountStore>> AccountStore::Open(const std::string& path) {
  auto connection = OpenConnection({path});
  if (!connection.ok()) return connection.status();
  return std::unique_ptr<AccountStore>(new AccountStore(std::move(*connection)));
}

template <typename Work>
Status AccountStore::WithHashingTurn(Work&& work) {
  if (!hashing_turns_.try_acquire_for(kHashWait)) return Busy();
  // Released however `work` ends, even by std::bad_alloc.
  struct Turn {
    std::counting_semaphore<kMaxConcurrentHashes>& turns;
    ~Turn() { turns.release(); }
  } turn{hashing_turns_};
  return work();
}

void AccountStore::RecordCheckTime(std::chrono::steady_clock::time_point started) {
  check_microseconds_.store(std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count());
}

Status AccountStore::SpendCheckTime(const std::string& password) {
  // Until a check has been measured, one thread measures one (outside the turns: once per
  // store) while the others wait for its figure.
  bool measured_here = false;
  Status measured = Status::Ok();
  std::call_once(first_measurement_, [&] {
    if (check_microseconds_.load() > 0) return;  // a real check came first
    measured_here = true;
    const auto started = std::chrono::steady_clock::now();
    measured = SpendPasswordTime(password);
    RecordCheckTime(started);
  });
  if (measured_here) return measured;
  std::this_thread::sleep_for(std::chrono::microseconds(check_microseconds_.load()));
  return Status::Ok();
}

Status AccountStore::LogSignIn(const SignInSource& source, const char* kind,
                               const std::string& user_id, nlohmann::json details, Time now) {
  auto organisation = FindOrganisation(*connection_, source.organisation);
  if (!organisation.ok()) {
    return organisation.status().code() == Code::kNotFound ? Status::Ok() : organisation.status();
  }
  auto scope = OrganisationScope::Of(organisation->id);
  if (!scope.ok()) return scope.status();
  return AppendSecurityRecord(
      *connection_,
      SecurityRecord{*scope, kind, user_id, AccountActor{"", source.address}, std::move(details)},
      now);
}

Result<SignInResult> AccountStore::SignIn(const SignInSource& source, const std::string& password,
                                          Time now) {
  SignInResult result;
  std::optional<User> user;
  std::string stored_hash;
  std::string deactivated_at;
  ThrottleVerdict verdict;
  bool organisation_known = false;
  SignInSource canonical = source;
  {
    std::lock_guard lock(mutex_);
    // "Gemeente Utrecht", "utrecht" and "Utrecht" are one organisation to the throttle too.
    auto organisation = FindOrganisationAsTyped(*connection_, source.organisation);
    if (!organisation.ok() && organisation.status().code() != Code::kNotFound) {
      return organisation.status();
    }
    organisation_known = organisation.ok();
    if (organisation_known) canonical.organisation = organisation->slug;
    auto throttle = BeginSignInAttempt(*connection_, canonical, now);
    if (!throttle.ok()) return throttle.status();
    verdict = *throttle;
    auto found = organisation_known
                     ? FindUserByName(*connection_, canonical.organisation, source.name)
                     : Result<User>(Status(Code::kNotFound, "Onbekende organisatie."));
    if (found.ok()) {
      auto hash = PasswordHashOf(*connection_, found->id);
      if (!hash.ok()) return hash.status();
      auto since = DeactivatedAt(*connection_, found->id);
      if (!since.ok()) return since.status();
      user = std::move(*found);
      stored_hash = std::move(*hash);
      deactivated_at = std::move(*since);
    } else if (found.status().code() != Code::kNotFound) {
      return found.status();
    }
    if (!verdict.allowed) {
      result.outcome = SignInOutcome::kThrottled;
      result.retry_after = verdict.retry_after;
      result.limit = verdict.limit;
      if (verdict.first_refusal) {
        Status logged = LogSignIn(canonical, security_event::kSignInThrottled, user ? user->id : "",
                                  {{"limit", ThrottleLimitName(verdict.limit)},
                                   {"retry_after", verdict.retry_after.count()}},
                                  now);
        if (!logged.ok()) return logged;
      }
      return result;
    }
  }
  bool matches = false;
  if (stored_hash.empty()) {
    // No such user, or no password: the same time, without holding a turn.
    if (Status spent = SpendCheckTime(password); !spent.ok()) return spent;
  } else {
    Status turn = WithHashingTurn([&] {
      const auto started = std::chrono::steady_clock::now();
      auto verified = VerifyPassword(password, stored_hash);
      RecordCheckTime(started);
      if (!verified.ok()) return verified.status();
      matches = *verified;
      return Status::Ok();
    });
    if (!turn.ok()) return turn;
  }

  std::lock_guard lock(mutex_);
  if (!matches || !deactivated_at.empty()) {
    const char* kind = matches ? security_event::kSignInDeactivated : security_event::kSignInFailed;
    if (Status logged =
            LogSignIn(canonical, kind, user ? user->id : "", nlohmann::json::object(), now);
        !logged.ok()) {
      return logged;
    }
    result.outcome = matches              ? SignInOutcome::kDeactivated
                     : organisation_known ? SignInOutcome::kRejected
                                          : SignInOutcome::kUnknownOrganisation;
    return result;
  }
  try {
    sql::Transaction transaction(connection_->db(), sql::TransactionBehavior::IMMEDIATE);
    if (Status done = SignInAttemptSucceeded(*connection_, canonical, verdict, now); !done.ok()) {
      return done;
    }
    auto session_id = NewSessionId();
    if (!session_id.ok()) return session_id.status();
    result.session_id = std::move(*session_id);
    if (Status created = CreateSession(*connection_, result.session_id, user->id, now);
        !created.ok()) {
      return created;
    }
    if (Status logged = Log(*connection_, *user, security_event::kSignInSucceeded,
                            AccountActor{"", canonical.address},
                            {{"familiar_address", !verdict.charged_name}}, now);
        !logged.ok()) {
      return logged;
    }
    transaction.commit();
  } catch (const sql::Exception& e) {
    return FromSql(e, "aanmelden");
  }
  result.outcome = SignInOutcome::kSignedIn;
  result.user = std::move(*user);
  return result;
}

Result<std::optional<Organisation>> AccountStore::SignInOrganisation() {
  std::lock_guard lock(mutex_);
  auto only = OnlyOrganisation(*connection_);
  if (only.ok()) return std::optional<Organisation>(std::move(*only));
  if (only.status().code() == Code::kNotFound) return std::optional<Organisation>();
  return only.status();
}

Status AccountStore::SignOut(const std::string& session_hash) {
  std::lock_guard lock(mutex_);
  return EndSession(*connection_, session_hash);
}

Status AccountStore::Touch(const std::string& session_hash, Time now) {
  std::lock_guard lock(mutex_);
  return TouchSession(*connection_, session_hash, now);
}

Result<std::vector<UserListing>> AccountStore::ListUsers(const OrganisationScope& organisation,
                                                         Time now) {
  std::lock_guard lock(mutex_);
  return storage::ListUsers(*connection_, organisation, now);
}

Result<UserListing> AccountStore::GetUser(const OrganisationScope& organisation,
                                          const std::string& user_id, Time now) {
  std::lock_guard lock(mutex_);
  return GetUserListing(*connection_, organisation, user_id, now);
}

Result<NewUser> AccountStore::AddUser(const std::string& organisation_slug, const std::string& role,
                                      const std::string& name,
                                      const std::optional<std::string>& password, Time now,
                                      const AccountActor& actor, const std::string& email) {
  // Checked before the password's second of hashing, which a wrong address would waste.
  if (auto address = CheckEmailAddress(email); !address.ok()) return address.status();
  std::string hash;
  if (password) {
    if (Status allowed = CheckNewPassword(*password); !allowed.ok()) return allowed;
    Status turn = WithHashingTurn([&] { return Hash(*password, hash); });
    if (!turn.ok()) return turn;
  }
  auto token = NewToken();
  if (!token.ok()) return token.status();
  std::lock_guard lock(mutex_);
  auto user =
      CreateAccount(*connection_, organisation_slug, role, name, *token, now, hash, actor, email);
  if (!user.ok()) return user.status();
  return NewUser{std::move(*user), std::move(*token)};
}

Status AccountStore::ChangeEmail(const OrganisationScope& organisation, const std::string& user_id,
                                 const std::string& email, Time now, const AccountActor& actor) {
  std::lock_guard lock(mutex_);
  auto listing = GetUserListing(*connection_, organisation, user_id, now);
  if (!listing.ok()) return listing.status();
  auto replaced = ReplaceEmail(*connection_, listing->user, email, now, actor);
  return replaced.ok() ? Status::Ok() : replaced.status();
}

Result<std::int64_t> AccountStore::ResetPassword(const OrganisationScope& organisation,
                                                 const std::string& user_id,
                                                 const std::string& password, Time now,
                                                 const AccountActor& actor) {
  {
    // Unknown ids are answered before spending a second on the hash.
    std::lock_guard lock(mutex_);
    auto listing = GetUserListing(*connection_, organisation, user_id, now);
    if (!listing.ok()) return listing.status();
  }
  if (Status allowed = CheckNewPassword(password); !allowed.ok()) return allowed;
  std::string hash;
  Status turn = WithHashingTurn([&] { return Hash(password, hash); });
  if (!turn.ok()) return turn;
  std::lock_guard lock(mutex_);
  auto listing = GetUserListing(*connection_, organisation, user_id, now);
  if (!listing.ok()) return listing.status();
  return ReplacePassword(*connection_, listing->user, hash, now, actor);
}

Result<Revocation> AccountStore::RevokeAccess(const OrganisationScope& organisation,
                                              const std::string& user_id, Time now,
                                              const AccountActor& actor) {
  std::lock_guard lock(mutex_);
  auto listing = GetUserListing(*connection_, organisation, user_id, now);
  if (!listing.ok()) return listing.status();
  try {
    sql::Transaction transaction(connection_->db(), sql::TransactionBehavior::IMMEDIATE);
    auto tokens = RevokeTokens(*connection_, user_id, now);
    if (!tokens.ok()) return tokens.status();
    auto sessions = EndSessionsOf(*connection_, user_id, now);
    if (!sessions.ok()) return sessions.status();
    if (Status logged = Log(*connection_, listing->user, security_event::kTokensRevoked, actor,
                            {{"tokens_revoked", *tokens}, {"sessions_ended", *sessions}}, now);
        !logged.ok()) {
      return logged;
    }
    transaction.commit();
    return Revocation{*tokens, *sessions};
  } catch (const sql::Exception& e) {
    return FromSql(e, "toegang intrekken");
  }
}

Result<std::string> AccountStore::IssueToken(const OrganisationScope& organisation,
                                             const std::string& user_id, Time now,
                                             const AccountActor& actor) {
  std::lock_guard lock(mutex_);
  auto listing = GetUserListing(*connection_, organisation, user_id, now);
  if (!listing.ok()) return listing.status();
  if (!listing->deactivated_at.empty()) {
    return Status(Code::kFailedPrecondition,
                  "'" + listing->user.name +
                      "' is gedeactiveerd; activeer de gebruiker eerst als die weer een token "
                      "nodig heeft.");
  }
  auto token = NewToken();
  if (!token.ok()) return token.status();
  try {
    sql::Transaction transaction(connection_->db(), sql::TransactionBehavior::IMMEDIATE);
    if (Status added = AddToken(*connection_, user_id, *token, now); !added.ok()) return added;
    if (Status logged = Log(*connection_, listing->user, security_event::kTokenCreated, actor,
                            nlohmann::json::object(), now);
        !logged.ok()) {
      return logged;
    }
    transaction.commit();
    return token;
  } catch (const sql::Exception& e) {
    return FromSql(e, "token uitgeven");
  }
}

Result<Deactivation> AccountStore::Deactivate(const OrganisationScope& organisation,
                                              const std::string& user_id, Time now,
                                              const AccountActor& actor) {
  std::lock_guard lock(mutex_);
  auto listing = GetUserListing(*connection_, organisation, user_id, now);
  if (!listing.ok()) return listing.status();
  return DeactivateAccount(*connection_, listing->user, now, actor);
}

Result<bool> AccountStore::Activate(const OrganisationScope& organisation,
                                    const std::string& user_id, Time now,
                                    const AccountActor& actor) {
  std::lock_guard lock(mutex_);
  auto listing = GetUserListing(*connection_, organisation, user_id, now);
  if (!listing.ok()) return listing.status();
  return ActivateAccount(*connection_, listing->user, now, actor);
}

Result<SecurityLogPage> AccountStore::SecurityLog(const OrganisationScope& organisation,
                                                  std::optional<std::int64_t> before,
                                                  std::int64_t limit) {
  std::lock_guard lock(mutex_);
  return ReadSecurityLog(*connection_, organisation, before, limit);
}

}  // namespace navolg::storage
