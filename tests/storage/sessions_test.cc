// Sessions, sign-in throttling and the account store on a real SQLite file: what is stored
// (hashes only), when a session ends, how attempts are counted and locked, and that signing
// in answers the same for an unknown user, a user without a password and a wrong password.
#include "storage/sessions.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <vector>

#include "engine/sha256.h"
#include "storage/account_store.h"
#include "tests/storage/known_password.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class SessionsTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    auto db = storage::OpenConnection({path_});
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
    auto anna = storage::AddUser(*db_, "gemeente-a", "adviseur", "Anna",
                                 storage::NewToken().value(), t0_, kKnownPasswordHash);
    ASSERT_TRUE(anna.ok()) << anna.status().message();
    anna_ = *anna;
  }
  void TearDown() override {
    db_.reset();
    StoreFixture::TearDown();
  }

  std::int64_t Rows(const std::string& table) { return CountRows(db_->sqlite(), table); }

  const Time t0_ = At("2026-03-02T09:00:00.000Z");
  storage::ConnectionHandle db_;
  std::optional<storage::User> anna_;  // set by SetUp
};

TEST_F(SessionsTest, OnlyTheHashOfASessionIdIsStored) {
  const std::string id = storage::NewSessionId().value();
  ASSERT_EQ(id.size(), 64u);
  EXPECT_NE(storage::NewSessionId().value(), id);
  ASSERT_TRUE(storage::CreateSession(*db_, id, anna_->id, t0_).ok());
  SQLite::Statement stored(db_->sqlite(), "SELECT hash FROM sessions");
  ASSERT_TRUE(stored.executeStep());
  EXPECT_EQ(stored.getColumn(0).getString(), Sha256Hex(id).value());
  auto found = storage::FindSession(*db_, id, t0_);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->user.id, anna_->id);
  EXPECT_EQ(found->user.organisation_slug, "gemeente-a");
  EXPECT_EQ(found->user.role, "adviseur");
  EXPECT_EQ(found->hash, Sha256Hex(id).value());
  // The hash itself is not a session id.
  EXPECT_EQ(storage::FindSession(*db_, found->hash, t0_).status().code(), Code::kNotFound);
}

TEST_F(SessionsTest, ASessionEndsWhenIdleTooLong) {
  const std::string id = storage::NewSessionId().value();
  ASSERT_TRUE(storage::CreateSession(*db_, id, anna_->id, t0_).ok());
  const Time almost = t0_ + storage::kSessionIdleTimeout - minutes(1);
  EXPECT_TRUE(storage::FindSession(*db_, id, almost).ok());
  EXPECT_EQ(storage::FindSession(*db_, id, t0_ + storage::kSessionIdleTimeout).status().code(),
            Code::kNotFound);
  // Activity moves the idle end; a touch from the past does not move it back.
  ASSERT_TRUE(storage::TouchSession(*db_, Sha256Hex(id).value(), almost).ok());
  ASSERT_TRUE(storage::TouchSession(*db_, Sha256Hex(id).value(), t0_).ok());
  EXPECT_TRUE(storage::FindSession(*db_, id, t0_ + storage::kSessionIdleTimeout).ok());
  EXPECT_EQ(storage::FindSession(*db_, id, almost + storage::kSessionIdleTimeout).status().code(),
            Code::kNotFound);
}

TEST_F(SessionsTest, ASessionEndsAfterItsLifetimeHoweverActive) {
  const std::string id = storage::NewSessionId().value();
  ASSERT_TRUE(storage::CreateSession(*db_, id, anna_->id, t0_).ok());
  Time now = t0_;
  while (now + minutes(30) < t0_ + storage::kSessionLifetime) {
    now += minutes(30);
    ASSERT_TRUE(storage::FindSession(*db_, id, now).ok()) << FormatTime(now);
    ASSERT_TRUE(storage::TouchSession(*db_, Sha256Hex(id).value(), now).ok());
  }
  EXPECT_EQ(storage::FindSession(*db_, id, t0_ + storage::kSessionLifetime).status().code(),
            Code::kNotFound);
}

TEST_F(SessionsTest, EndingSessionsAndPruningEndedOnes) {
  const std::string first = storage::NewSessionId().value();
  const std::string second = storage::NewSessionId().value();
  ASSERT_TRUE(storage::CreateSession(*db_, first, anna_->id, t0_).ok());
  ASSERT_TRUE(storage::CreateSession(*db_, second, anna_->id, t0_).ok());
  ASSERT_TRUE(storage::EndSession(*db_, Sha256Hex(first).value()).ok());
  EXPECT_EQ(storage::FindSession(*db_, first, t0_).status().code(), Code::kNotFound);
  EXPECT_TRUE(storage::FindSession(*db_, second, t0_).ok());
  auto ended = storage::EndSessionsOf(*db_, anna_->id, t0_);
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 1);
  EXPECT_EQ(Rows("sessions"), 0);

  // A new session clears out the ended ones (here: idle for too long) from the table.
  ASSERT_TRUE(storage::CreateSession(*db_, first, anna_->id, t0_).ok());
  ASSERT_TRUE(storage::CreateSession(*db_, second, anna_->id,
                                     t0_ + storage::kSessionIdleTimeout + minutes(1))
                  .ok());
  EXPECT_EQ(Rows("sessions"), 1);
}

// The lock schedule, attempt by attempt (none of them successful).
TEST_F(SessionsTest, RepeatedAttemptsAreLockedOutLongerEachTime) {
  struct Step {
    std::chrono::milliseconds after_start;
    bool allowed;
    std::int64_t retry_after_seconds;  // when refused
  };
  const std::vector<Step> steps = {
      {seconds(0), true, 0},     {seconds(1), true, 0},   {seconds(2), true, 0},
      {seconds(3), true, 0},     {seconds(4), true, 0},    // the 5th locks for 30 s
      {seconds(5), false, 29},   {seconds(33), false, 1},  // refused: not counted
      {seconds(34), true, 0},                              // the 6th: locks for 60 s
      {seconds(35), false, 59},  {seconds(94), true, 0},   // the 7th: 120 s
      {seconds(95), false, 119},
  };
  for (const Step& step : steps) {
    auto verdict = storage::BeginSignInAttempt(*db_, "gemeente-a", "Anna", t0_ + step.after_start);
    ASSERT_TRUE(verdict.ok()) << verdict.status().message();
    EXPECT_EQ(verdict->allowed, step.allowed) << step.after_start.count() << " ms";
    if (!step.allowed) {
      EXPECT_EQ(verdict->retry_after.count(), step.retry_after_seconds)
          << step.after_start.count() << " ms";
    }
  }
  // The lock never grows past kMaxLockout.
  Time now = t0_ + seconds(95);
  for (int i = 0; i < 30; ++i) {
    auto verdict = storage::BeginSignInAttempt(*db_, "gemeente-a", "Anna", now);
    ASSERT_TRUE(verdict.ok());
    if (!verdict->allowed) {
      EXPECT_LE(std::chrono::milliseconds(verdict->retry_after), storage::kMaxLockout);
      now += verdict->retry_after;
    }
  }
}

TEST_F(SessionsTest, AttemptsAreCountedPerNameWhetherItExistsOrNot) {
  for (const char* name : {"Anna", "Niemand", "anna"}) {
    for (int i = 0; i < storage::kFreeSignInAttempts; ++i) {
      auto verdict = storage::BeginSignInAttempt(*db_, "gemeente-a", name, t0_);
      ASSERT_TRUE(verdict.ok() && verdict->allowed) << name << " " << i;
    }
    auto locked = storage::BeginSignInAttempt(*db_, "gemeente-a", name, t0_);
    ASSERT_TRUE(locked.ok());
    EXPECT_FALSE(locked->allowed) << name;
    EXPECT_EQ(locked->retry_after, seconds(30)) << name;
  }
  // Another organisation's Anna is someone else.
  auto other = storage::BeginSignInAttempt(*db_, "gemeente-b", "Anna", t0_);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->allowed);
  // Names are not stored as typed.
  SQLite::Statement keys(db_->sqlite(), "SELECT key FROM sign_in_attempts");
  while (keys.executeStep()) {
    EXPECT_EQ(keys.getColumn(0).getString().size(), 64u);
    EXPECT_EQ(keys.getColumn(0).getString().find("Anna"), std::string::npos);
  }
}

TEST_F(SessionsTest, AttemptsAreForgottenOnSuccessAndAfterADay) {
  for (int i = 0; i < storage::kFreeSignInAttempts - 1; ++i) {
    ASSERT_TRUE(storage::BeginSignInAttempt(*db_, "gemeente-a", "Anna", t0_)->allowed);
  }
  ASSERT_TRUE(storage::ForgetSignInAttempts(*db_, "gemeente-a", "Anna").ok());
  for (int i = 0; i < storage::kFreeSignInAttempts - 1; ++i) {
    ASSERT_TRUE(storage::BeginSignInAttempt(*db_, "gemeente-a", "Anna", t0_)->allowed);
  }
  // Four after the reset, then a day of silence: the next five are free again.
  const Time tomorrow = t0_ + storage::kAttemptMemory;
  for (int i = 0; i < storage::kFreeSignInAttempts; ++i) {
    EXPECT_TRUE(storage::BeginSignInAttempt(*db_, "gemeente-a", "Anna", tomorrow)->allowed) << i;
  }
  EXPECT_FALSE(storage::BeginSignInAttempt(*db_, "gemeente-a", "Anna", tomorrow)->allowed);
  // Old rows of other names are pruned as attempts come in.
  ASSERT_TRUE(storage::BeginSignInAttempt(*db_, "gemeente-a", "Bert", t0_).ok());
  ASSERT_TRUE(storage::BeginSignInAttempt(*db_, "gemeente-a", "Carla", tomorrow + hours(1)).ok());
  SQLite::Statement bert(db_->sqlite(), "SELECT count(*) FROM sign_in_attempts WHERE key = ?");
  bert.bind(1, Sha256Hex(std::string("gemeente-a\0Bert", 15)).value());
  ASSERT_TRUE(bert.executeStep());
  EXPECT_EQ(bert.getColumn(0).getInt(), 0);
}

class AccountStoreTest : public SessionsTest {
 protected:
  void SetUp() override {
    SessionsTest::SetUp();
    auto accounts = storage::AccountStore::Open(path_);
    ASSERT_TRUE(accounts.ok()) << accounts.status().message();
    accounts_ = std::move(*accounts);
  }
  void TearDown() override {
    accounts_.reset();
    SessionsTest::TearDown();
  }
  std::unique_ptr<storage::AccountStore> accounts_;
};

TEST_F(AccountStoreTest, SignInStartsASessionTheReadStoreFinds) {
  auto result = accounts_->SignIn("gemeente-a", "Anna", kKnownPassword, t0_);
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->outcome, storage::SignInOutcome::kSignedIn);
  EXPECT_EQ(result->user->id, anna_->id);
  auto session = reads_->FindSession(result->session_id, t0_ + minutes(5));
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->user.id, anna_->id);
  ASSERT_TRUE(accounts_->SignOut(session->hash).ok());
  EXPECT_EQ(reads_->FindSession(result->session_id, t0_).status().code(), Code::kNotFound);
}

TEST_F(AccountStoreTest, UnknownUsersNoPasswordAndWrongPasswordsAreOneAnswer) {
  ASSERT_TRUE(
      storage::AddUser(*db_, "gemeente-a", "manager", "Zonder", storage::NewToken().value(), t0_)
          .ok());
  // (Over HTTP, tests/api/session_test.cc also tries another organisation's user and shows
  // that the answers are byte for byte the same.)
  const std::vector<std::pair<std::string, std::string>> tries = {
      {"gemeente-a", "Niemand"},  // no such user
      {"gemeente-a", "Zonder"},   // no password
  };
  for (const auto& [organisation, name] : tries) {
    auto result = accounts_->SignIn(organisation, name, kKnownPassword, t0_);
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_EQ(result->outcome, storage::SignInOutcome::kRejected) << organisation << " " << name;
    EXPECT_TRUE(result->session_id.empty());
  }
  auto wrong = accounts_->SignIn("gemeente-a", "Anna", "niet het wachtwoord", t0_);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->outcome, storage::SignInOutcome::kRejected);
  EXPECT_EQ(Rows("sessions"), 0);
}

TEST_F(AccountStoreTest, ResettingAPasswordEndsSessionsAndLiftsTheLock) {
  auto signed_in = accounts_->SignIn("gemeente-a", "Anna", kKnownPassword, t0_);
  ASSERT_TRUE(signed_in.ok() && signed_in->outcome == storage::SignInOutcome::kSignedIn);
  for (int i = 0; i < storage::kFreeSignInAttempts; ++i) {
    ASSERT_TRUE(storage::BeginSignInAttempt(*db_, "gemeente-a", "Anna", t0_)->allowed);
  }
  // Refused before hashing: too short, or a user of another organisation.
  EXPECT_EQ(accounts_->ResetPassword(ScopeOf(org_a_), anna_->id, "kort", t0_).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(accounts_->ResetPassword(ScopeOf(org_b_), anna_->id, "een nieuw wachtwoord", t0_)
                .status()
                .code(),
            Code::kNotFound);
  auto ended = accounts_->ResetPassword(ScopeOf(org_a_), anna_->id, "een nieuw wachtwoord", t0_);
  ASSERT_TRUE(ended.ok()) << ended.status().message();
  EXPECT_EQ(*ended, 1);
  EXPECT_EQ(reads_->FindSession(signed_in->session_id, t0_).status().code(), Code::kNotFound);
  EXPECT_EQ(Rows("sign_in_attempts"), 0);
  auto stored = storage::PasswordHashOf(*db_, anna_->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_NE(*stored, kKnownPasswordHash);
  EXPECT_EQ(stored->rfind("$pbkdf2-sha256$i=600000$", 0), 0u) << *stored;
}

TEST_F(AccountStoreTest, RevokingAccessRevokesTokensAndEndsSessions) {
  auto token = accounts_->IssueToken(ScopeOf(org_a_), anna_->id, t0_);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(reads_->FindUser(*token).ok());
  ASSERT_TRUE(storage::CreateSession(*db_, storage::NewSessionId().value(), anna_->id, t0_).ok());
  EXPECT_EQ(accounts_->RevokeAccess(ScopeOf(org_b_), anna_->id, t0_).status().code(),
            Code::kNotFound);
  auto revoked = accounts_->RevokeAccess(ScopeOf(org_a_), anna_->id, t0_);
  ASSERT_TRUE(revoked.ok()) << revoked.status().message();
  EXPECT_EQ(revoked->tokens, 2);  // the one AddUser made and the issued one
  EXPECT_EQ(revoked->sessions, 1);
  EXPECT_EQ(reads_->FindUser(*token).status().code(), Code::kNotFound);
  auto listing = accounts_->GetUser(ScopeOf(org_a_), anna_->id, t0_);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing->active_tokens, 0);
  EXPECT_EQ(listing->active_sessions, 0);
  EXPECT_TRUE(listing->has_password);
}

}  // namespace
}  // namespace navolg
