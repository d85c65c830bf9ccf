// Sessions and the account store on a real SQLite file: what is stored (hashes only), when a
// session ends, that signing in answers the same for an unknown user, a user without a
// password and a wrong password, deactivation, and what the security log records.
// Throttling itself: sign_in_throttle_test.cc.
#include "storage/sessions.h"

#include <chrono>
#include <vector>

#include "engine/sha256.h"
#include "storage/account_store.h"
#include "storage/security_log.h"
#include "storage/sql/sqlite.h"
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

  std::int64_t Rows(const std::string& table) { return CountRows(db_->db(), table); }

  const Time t0_ = At("2026-03-02T09:00:00.000Z");
  storage::ConnectionHandle db_;
  std::optional<storage::User> anna_;  // set by SetUp
};

TEST_F(SessionsTest, OnlyTheHashOfASessionIdIsStored) {
  const std::string id = storage::NewSessionId().value();
  ASSERT_EQ(id.size(), 64u);
  EXPECT_NE(storage::NewSessionId().value(), id);
  ASSERT_TRUE(storage::CreateSession(*db_, id, anna_->id, t0_).ok());
  storage::sql::Statement stored(db_->db(), "SELECT hash FROM sessions");
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
  auto result = accounts_->SignIn({"gemeente-a", "Anna", "192.0.2.1"}, kKnownPassword, t0_);
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
    auto result = accounts_->SignIn({organisation, name, "192.0.2.1"}, kKnownPassword, t0_);
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_EQ(result->outcome, storage::SignInOutcome::kRejected) << organisation << " " << name;
    EXPECT_TRUE(result->session_id.empty());
  }
  auto wrong = accounts_->SignIn({"gemeente-a", "Anna", "192.0.2.1"}, "niet het wachtwoord", t0_);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->outcome, storage::SignInOutcome::kRejected);
  EXPECT_EQ(Rows("sessions"), 0);
}

TEST_F(AccountStoreTest, ResettingAPasswordEndsSessionsAndLiftsTheLock) {
  auto signed_in = accounts_->SignIn({"gemeente-a", "Anna", "192.0.2.1"}, kKnownPassword, t0_);
  ASSERT_TRUE(signed_in.ok() && signed_in->outcome == storage::SignInOutcome::kSignedIn);
  const storage::SignInSource guesser{"gemeente-a", "Anna", "198.51.100.9"};
  for (int i = 0; i < storage::kFreeFailures; ++i) {
    ASSERT_TRUE(storage::BeginSignInAttempt(*db_, guesser, t0_)->allowed);
  }
  ASSERT_FALSE(storage::BeginSignInAttempt(*db_, guesser, t0_)->allowed);
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
  EXPECT_EQ(Rows("sign_in_locks"), 0);
  EXPECT_TRUE(storage::BeginSignInAttempt(*db_, guesser, t0_)->allowed);
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

// Deactivation refuses password, sessions and tokens at once, in the look-ups themselves: a
// session or token row that outlived it (written after, as by a racing request) is refused
// too. Activation restores password sign-in only.
TEST_F(AccountStoreTest, DeactivationRefusesPasswordSessionsAndTokensAtOnce) {
  const storage::SignInSource anna{"gemeente-a", "Anna", "192.0.2.1"};
  auto signed_in = accounts_->SignIn(anna, kKnownPassword, t0_);
  ASSERT_TRUE(signed_in.ok() && signed_in->outcome == storage::SignInOutcome::kSignedIn);
  auto token = accounts_->IssueToken(ScopeOf(org_a_), anna_->id, t0_);
  ASSERT_TRUE(token.ok());

  EXPECT_EQ(accounts_->Deactivate(ScopeOf(org_b_), anna_->id, t0_).status().code(),
            Code::kNotFound);
  auto deactivated = accounts_->Deactivate(ScopeOf(org_a_), anna_->id, t0_);
  ASSERT_TRUE(deactivated.ok()) << deactivated.status().message();
  EXPECT_TRUE(deactivated->changed);
  EXPECT_EQ(deactivated->ended.tokens, 2);
  EXPECT_EQ(deactivated->ended.sessions, 1);
  EXPECT_EQ(reads_->FindSession(signed_in->session_id, t0_).status().code(), Code::kNotFound);
  EXPECT_EQ(reads_->FindUser(*token).status().code(), Code::kNotFound);

  // Rows written after the deactivation are refused by the look-ups themselves.
  const std::string late_session = storage::NewSessionId().value();
  ASSERT_TRUE(storage::CreateSession(*db_, late_session, anna_->id, t0_).ok());
  const std::string late_token = storage::NewToken().value();
  ASSERT_TRUE(storage::AddToken(*db_, anna_->id, late_token, t0_).ok());
  EXPECT_EQ(reads_->FindSession(late_session, t0_).status().code(), Code::kNotFound);
  EXPECT_EQ(reads_->FindUser(late_token).status().code(), Code::kNotFound);

  // The right password learns it; a wrong one gets the usual answer.
  EXPECT_EQ(accounts_->SignIn(anna, kKnownPassword, t0_)->outcome,
            storage::SignInOutcome::kDeactivated);
  EXPECT_EQ(accounts_->SignIn(anna, "niet het wachtwoord", t0_)->outcome,
            storage::SignInOutcome::kRejected);
  EXPECT_EQ(accounts_->IssueToken(ScopeOf(org_a_), anna_->id, t0_).status().code(),
            Code::kFailedPrecondition);
  auto listing = accounts_->GetUser(ScopeOf(org_a_), anna_->id, t0_);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing->deactivated_at, FormatTime(t0_));
  EXPECT_EQ(listing->user.name, "Anna");
  // Again: nothing changes.
  EXPECT_FALSE(accounts_->Deactivate(ScopeOf(org_a_), anna_->id, t0_)->changed);

  auto activated = accounts_->Activate(ScopeOf(org_a_), anna_->id, t0_ + minutes(1));
  ASSERT_TRUE(activated.ok() && *activated);
  EXPECT_FALSE(*accounts_->Activate(ScopeOf(org_a_), anna_->id, t0_ + minutes(1)));
  EXPECT_EQ(accounts_->SignIn(anna, kKnownPassword, t0_ + minutes(1))->outcome,
            storage::SignInOutcome::kSignedIn);
  EXPECT_EQ(reads_->FindUser(*token).status().code(), Code::kNotFound) << "stays revoked";
  EXPECT_TRUE(accounts_->GetUser(ScopeOf(org_a_), anna_->id, t0_)->deactivated_at.empty());
}

TEST_F(AccountStoreTest, TheLastActiveBeheerderCannotBeDeactivated) {
  auto first = accounts_->AddUser("gemeente-a", "beheerder", "Bea", std::nullopt, t0_);
  auto second = accounts_->AddUser("gemeente-a", "beheerder", "Ben", std::nullopt, t0_);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(accounts_->Deactivate(ScopeOf(org_a_), first->user.id, t0_).ok());
  auto last = accounts_->Deactivate(ScopeOf(org_a_), second->user.id, t0_);
  EXPECT_EQ(last.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(last.status().message().find("laatste actieve beheerder"), std::string::npos)
      << last.status().message();
  EXPECT_TRUE(storage::FindUserByToken(*db_, second->token).ok());
  // With the first back, either may go.
  ASSERT_TRUE(accounts_->Activate(ScopeOf(org_a_), first->user.id, t0_).ok());
  EXPECT_TRUE(accounts_->Deactivate(ScopeOf(org_a_), second->user.id, t0_).ok());
}

TEST_F(AccountStoreTest, TheSecurityLogRecordsAccountEventsPerOrganisation) {
  const storage::AccountActor beheerder{"u-beheerder", "192.0.2.50"};
  const storage::SignInSource anna{"gemeente-a", "Anna", "192.0.2.1"};
  ASSERT_EQ(accounts_->SignIn(anna, "niet het wachtwoord", t0_)->outcome,
            storage::SignInOutcome::kRejected);
  ASSERT_EQ(accounts_->SignIn({"gemeente-a", "Niemand", "192.0.2.2"}, "x", t0_)->outcome,
            storage::SignInOutcome::kRejected);
  ASSERT_EQ(accounts_->SignIn({"gemeente-x", "Anna", "192.0.2.3"}, "x", t0_)->outcome,
            storage::SignInOutcome::kUnknownOrganisation);  // logged nowhere
  ASSERT_EQ(accounts_->SignIn(anna, kKnownPassword, t0_)->outcome,
            storage::SignInOutcome::kSignedIn);
  ASSERT_TRUE(accounts_->IssueToken(ScopeOf(org_a_), anna_->id, t0_, beheerder).ok());
  ASSERT_TRUE(
      accounts_->ResetPassword(ScopeOf(org_a_), anna_->id, "een nieuw wachtwoord", t0_, beheerder)
          .ok());
  ASSERT_TRUE(accounts_->RevokeAccess(ScopeOf(org_a_), anna_->id, t0_, beheerder).ok());
  ASSERT_TRUE(accounts_->Deactivate(ScopeOf(org_a_), anna_->id, t0_, beheerder).ok());
  ASSERT_TRUE(accounts_->Activate(ScopeOf(org_a_), anna_->id, t0_, beheerder).ok());

  auto page = accounts_->SecurityLog(ScopeOf(org_a_), std::nullopt, 50);
  ASSERT_TRUE(page.ok()) << page.status().message();
  std::vector<std::string> kinds;
  for (const auto& entry : page->items) kinds.push_back(entry.kind);
  // Newest first.
  EXPECT_EQ(kinds, (std::vector<std::string>{
                       "user.activated", "user.deactivated", "tokens.revoked", "password.changed",
                       "token.created", "sign_in.succeeded", "sign_in.failed", "sign_in.failed"}));
  EXPECT_FALSE(page->next.has_value());
  const auto& failed_unknown = page->items[6];
  EXPECT_FALSE(failed_unknown.user.has_value()) << "no user, and the typed name is not kept";
  EXPECT_EQ(failed_unknown.client_address, "192.0.2.2");
  const auto& failed_anna = page->items[7];
  ASSERT_TRUE(failed_anna.user.has_value());
  EXPECT_EQ(failed_anna.user->name, "Anna");
  EXPECT_EQ(failed_anna.client_address, "192.0.2.1");
  EXPECT_EQ(page->items[0].actor->id, "u-beheerder");
  EXPECT_EQ(page->items[0].client_address, "192.0.2.50");
  EXPECT_EQ(page->items[1].details["tokens_revoked"], 0);
  EXPECT_TRUE(accounts_->SecurityLog(ScopeOf(org_b_), std::nullopt, 50)->items.empty());

  // Keyset pages: three, three, two, each older than the last.
  auto first = accounts_->SecurityLog(ScopeOf(org_a_), std::nullopt, 3);
  ASSERT_TRUE(first.ok() && first->next);
  auto second = accounts_->SecurityLog(ScopeOf(org_a_), first->next, 3);
  ASSERT_TRUE(second.ok() && second->next);
  auto third = accounts_->SecurityLog(ScopeOf(org_a_), second->next, 3);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->next.has_value());
  EXPECT_EQ(third->items.size(), 2u);
  EXPECT_EQ(second->items.front().kind, "password.changed");
  EXPECT_EQ(third->items.back().id, page->items.back().id);
}

// What people type for their organisation: the slug, or the slug or name in any case. A name
// two organisations share names neither.
TEST_F(SessionsTest, AnOrganisationIsFoundByItsSlugOrItsNameInAnyCase) {
  for (const auto& [slug, name] :
       std::vector<std::pair<std::string, std::string>>{{"sudwest", "Súdwest-Fryslân"},
                                                        {"twee-a", "Gemeente Twee"},
                                                        {"twee-b", "Gemeente Twee"}}) {
    ASSERT_TRUE(storage::AddOrganisation(*db_, slug, name, t0_).ok()) << slug;
  }
  struct Case {
    const char* typed;
    const char* slug;  // "" when none is found
  };
  const Case cases[] = {
      {"sudwest", "sudwest"},
      {"SUDWEST", "sudwest"},
      {" Súdwest-Fryslân\t", "sudwest"},
      {"SÚDWEST-FRYSLÂN", "sudwest"},
      {"twee-b", "twee-b"},
      {"gemeente twee", ""},
      {"Súdwest", ""},
      {"", ""},
      {"   ", ""},
  };
  for (const Case& c : cases) {
    auto found = storage::FindOrganisationAsTyped(*db_, c.typed);
    if (*c.slug == '\0') {
      EXPECT_EQ(found.status().code(), Code::kNotFound) << c.typed;
    } else {
      ASSERT_TRUE(found.ok()) << c.typed << ": " << found.status().message();
      EXPECT_EQ(found->slug, c.slug) << c.typed;
    }
  }
  EXPECT_EQ(storage::OnlyOrganisation(*db_).status().code(), Code::kNotFound) << "several";
}

TEST_F(AccountStoreTest, TheSecurityLogIsAppendOnly) {
  ASSERT_TRUE(accounts_->IssueToken(ScopeOf(org_a_), anna_->id, t0_).ok());
  auto& db = db_->db();
  EXPECT_THROW(db.exec("UPDATE security_log SET kind = 'niets'"), storage::sql::Exception);
  EXPECT_THROW(db.exec("DELETE FROM security_log"), storage::sql::Exception);
  EXPECT_THROW(db.exec("INSERT OR REPLACE INTO security_log (id, organisation_id, at, kind, "
                       "details) SELECT id, organisation_id, at, 'niets', '{}' FROM security_log"),
               storage::sql::Exception);
  storage::sql::Statement kinds(db, "SELECT kind FROM security_log");
  ASSERT_TRUE(kinds.executeStep());
  EXPECT_EQ(kinds.getColumn(0).getString(), "token.created");
}

}  // namespace
}  // namespace navolg
