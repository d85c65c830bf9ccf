#include "storage/account_store.h"

#include <SQLiteCpp/Transaction.h>

#include "storage/database.h"
#include "storage/password.h"
#include "storage/sessions.h"

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

}  // namespace

Result<std::int64_t> ReplacePassword(Connection& connection, const User& user,
                                     const std::string& password_hash, Time now) {
  SQLite::Database& db = connection.sqlite();
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (Status set = SetPasswordHash(connection, user.id, password_hash); !set.ok()) return set;
    auto ended = EndSessionsOf(connection, user.id, now);
    if (!ended.ok()) return ended.status();
    if (Status forgot = ForgetSignInAttempts(connection, user.organisation_slug, user.name);
        !forgot.ok()) {
      return forgot;
    }
    transaction.commit();
    return *ended;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "wachtwoord vastleggen");
  }
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

Result<SignInResult> AccountStore::SignIn(const std::string& organisation, const std::string& name,
                                          const std::string& password, Time now) {
  SignInResult result;
  {
    std::lock_guard lock(mutex_);
    auto verdict = BeginSignInAttempt(*connection_, organisation, name, now);
    if (!verdict.ok()) return verdict.status();
    if (!verdict->allowed) {
      result.outcome = SignInOutcome::kThrottled;
      result.retry_after = verdict->retry_after;
      return result;
    }
  }
  std::optional<User> user;
  std::string stored_hash;
  {
    std::lock_guard lock(mutex_);
    auto found = FindUserByName(*connection_, organisation, name);
    if (found.ok()) {
      auto hash = PasswordHashOf(*connection_, found->id);
      if (!hash.ok()) return hash.status();
      user = std::move(*found);
      stored_hash = std::move(*hash);
    } else if (found.status().code() != Code::kNotFound) {
      return found.status();
    }
  }
  bool matches = false;
  Status turn = WithHashingTurn([&] {
    if (stored_hash.empty()) {
      return SpendPasswordTime(password);  // no such user, or no password: the same time
    }
    auto verified = VerifyPassword(password, stored_hash);
    if (!verified.ok()) return verified.status();
    matches = *verified;
    return Status::Ok();
  });
  if (!turn.ok()) return turn;
  if (!matches) return result;  // kRejected

  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction transaction(connection_->sqlite(), SQLite::TransactionBehavior::IMMEDIATE);
    if (Status forgot = ForgetSignInAttempts(*connection_, organisation, name); !forgot.ok()) {
      return forgot;
    }
    auto session_id = NewSessionId();
    if (!session_id.ok()) return session_id.status();
    result.session_id = std::move(*session_id);
    if (Status created = CreateSession(*connection_, result.session_id, user->id, now);
        !created.ok()) {
      return created;
    }
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "aanmelden");
  }
  result.outcome = SignInOutcome::kSignedIn;
  result.user = std::move(*user);
  return result;
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
                                      const std::optional<std::string>& password, Time now) {
  std::string hash;
  if (password) {
    if (Status allowed = CheckNewPassword(*password); !allowed.ok()) return allowed;
    Status turn = WithHashingTurn([&] { return Hash(*password, hash); });
    if (!turn.ok()) return turn;
  }
  auto token = NewToken();
  if (!token.ok()) return token.status();
  std::lock_guard lock(mutex_);
  auto user = storage::AddUser(*connection_, organisation_slug, role, name, *token, now, hash);
  if (!user.ok()) return user.status();
  return NewUser{std::move(*user), std::move(*token)};
}

Result<std::int64_t> AccountStore::ResetPassword(const OrganisationScope& organisation,
                                                 const std::string& user_id,
                                                 const std::string& password, Time now) {
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
  return ReplacePassword(*connection_, listing->user, hash, now);
}

Result<Revocation> AccountStore::RevokeAccess(const OrganisationScope& organisation,
                                              const std::string& user_id, Time now) {
  std::lock_guard lock(mutex_);
  auto listing = GetUserListing(*connection_, organisation, user_id, now);
  if (!listing.ok()) return listing.status();
  try {
    SQLite::Transaction transaction(connection_->sqlite(), SQLite::TransactionBehavior::IMMEDIATE);
    auto tokens = RevokeTokens(*connection_, user_id, now);
    if (!tokens.ok()) return tokens.status();
    auto sessions = EndSessionsOf(*connection_, user_id, now);
    if (!sessions.ok()) return sessions.status();
    transaction.commit();
    return Revocation{*tokens, *sessions};
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "toegang intrekken");
  }
}

Result<std::string> AccountStore::IssueToken(const OrganisationScope& organisation,
                                             const std::string& user_id, Time now) {
  std::lock_guard lock(mutex_);
  auto listing = GetUserListing(*connection_, organisation, user_id, now);
  if (!listing.ok()) return listing.status();
  auto token = NewToken();
  if (!token.ok()) return token.status();
  if (Status added = AddToken(*connection_, user_id, *token, now); !added.ok()) return added;
  return token;
}

}  // namespace navolg::storage
