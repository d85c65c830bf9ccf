// Sign-in throttling on a real SQLite file, limit by limit: the lock per name and address,
// the bucket per address, the bucket per name across addresses with its cap and the
// exemption of familiar addresses, what success gives back, and what is stored (digests
// only).
#include "storage/sign_in_throttle.h"

#include <chrono>
#include <string>
#include <vector>

#include "storage/sql/sqlite.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using std::chrono::milliseconds;
using std::chrono::seconds;
using storage::SignInSource;
using storage::ThrottleLimit;

class SignInThrottleTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    auto db = storage::OpenConnection({path_});
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    StoreFixture::TearDown();
  }

  storage::ThrottleVerdict Attempt(const SignInSource& source, Time at) {
    auto verdict = storage::BeginSignInAttempt(*db_, source, at);
    EXPECT_TRUE(verdict.ok()) << verdict.status().message();
    return verdict.ok() ? *verdict : storage::ThrottleVerdict{};
  }

  void Succeed(const SignInSource& source, const storage::ThrottleVerdict& verdict, Time at) {
    ASSERT_TRUE(storage::SignInAttemptSucceeded(*db_, source, verdict, at).ok());
  }

  // `address` as 192.0.2.N, for attackers with many addresses.
  static std::string Address(int n) { return "192.0.2." + std::to_string(n); }

  const Time t0_ = At("2026-03-02T09:00:00.000Z");
  storage::ConnectionHandle db_;
};

// The lock schedule of one name at one address, attempt by attempt (none successful).
TEST_F(SignInThrottleTest, FailuresLockTheNameAtThatAddressLongerEachTime) {
  const SignInSource guesser{"gemeente-a", "Anna", "198.51.100.1"};
  struct Step {
    milliseconds after_start;
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
    const auto verdict = Attempt(guesser, t0_ + step.after_start);
    EXPECT_EQ(verdict.allowed, step.allowed) << step.after_start.count() << " ms";
    if (!step.allowed) {
      EXPECT_EQ(verdict.limit, ThrottleLimit::kNameAtAddress);
      EXPECT_EQ(verdict.retry_after.count(), step.retry_after_seconds)
          << step.after_start.count() << " ms";
    }
  }
  // The lock never grows past kMaxLockout.
  Time now = t0_ + seconds(95);
  for (int i = 0; i < 30; ++i) {
    const auto verdict = Attempt(guesser, now);
    if (!verdict.allowed) {
      EXPECT_LE(milliseconds(verdict.retry_after), storage::kMaxLockout);
      now += verdict.retry_after;
    }
  }
}

// Issue 13, point 4: a guesser who keeps one name locked locks it for their own address only.
TEST_F(SignInThrottleTest, AnotherAddressCanStillSignInAsALockedName) {
  const SignInSource guesser{"gemeente-a", "Anna", "198.51.100.1"};
  const SignInSource anna{"gemeente-a", "Anna", "192.0.2.10"};
  for (int i = 0; i < storage::kFreeFailures; ++i) ASSERT_TRUE(Attempt(guesser, t0_).allowed);
  ASSERT_FALSE(Attempt(guesser, t0_).allowed);
  const auto own = Attempt(anna, t0_);
  EXPECT_TRUE(own.allowed);
  Succeed(anna, own, t0_);
  EXPECT_FALSE(Attempt(guesser, t0_).allowed) << "success elsewhere lifts no lock";
}

TEST_F(SignInThrottleTest, OneAddressGetsABurstThenOneAttemptPerInterval) {
  const std::string flood = "198.51.100.2";
  // Different names each time: no name's own limit comes into play.
  int n = 0;
  for (; n < storage::kAddressBurst; ++n) {
    ASSERT_TRUE(Attempt({"gemeente-a", "naam " + std::to_string(n), flood}, t0_).allowed) << n;
  }
  auto refused = Attempt({"gemeente-a", "naam " + std::to_string(n), flood}, t0_);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.limit, ThrottleLimit::kAddress);
  EXPECT_EQ(milliseconds(refused.retry_after), storage::kAddressInterval);
  EXPECT_TRUE(refused.first_refusal);
  EXPECT_FALSE(Attempt({"gemeente-b", "wie dan ook", flood}, t0_).first_refusal)
      << "one log entry per episode";
  // Another address is not affected.
  EXPECT_TRUE(Attempt({"gemeente-a", "naam 0", "198.51.100.3"}, t0_).allowed);
  // One more per interval.
  const Time later = t0_ + storage::kAddressInterval;
  EXPECT_TRUE(Attempt({"gemeente-a", "nog een", flood}, later).allowed);
  EXPECT_FALSE(Attempt({"gemeente-a", "en nog een", flood}, later).allowed);
  EXPECT_TRUE(Attempt({"gemeente-a", "later", flood}, later + storage::kAddressInterval).allowed);
}

// Decisions made ahead: guessing spread over many addresses still slows down, with a cap.
TEST_F(SignInThrottleTest, GuessingFromManyAddressesSlowsTheNameDownWithACap) {
  int address = 1;
  for (; address <= storage::kNameBurst; ++address) {
    ASSERT_TRUE(Attempt({"gemeente-a", "Anna", Address(address)}, t0_).allowed) << address;
  }
  auto refused = Attempt({"gemeente-a", "Anna", Address(address)}, t0_);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.limit, ThrottleLimit::kName);
  EXPECT_EQ(milliseconds(refused.retry_after), storage::kNameInterval);
  // However long the guessing goes on, the wait asked is never more than kNameInterval, and
  // one attempt per interval gets through.
  Time now = t0_;
  int admitted = 0;
  for (int second = 0; second < 600; ++second) {
    now = t0_ + seconds(second);
    const auto verdict = Attempt({"gemeente-a", "Anna", Address(100 + second % 100)}, now);
    if (verdict.allowed) {
      ++admitted;
    } else {
      EXPECT_LE(milliseconds(verdict.retry_after), storage::kNameInterval);
    }
  }
  // One per interval, less the first: the burst spent above took it.
  EXPECT_EQ(admitted, 600 / (storage::kNameInterval / seconds(1)) - 1);
}

TEST_F(SignInThrottleTest, AFamiliarAddressIsNotSlowedDownByGuessingElsewhere) {
  const SignInSource anna{"gemeente-a", "Anna", "192.0.2.10"};
  const auto first = Attempt(anna, t0_);
  ASSERT_TRUE(first.allowed);
  EXPECT_TRUE(first.charged_name);
  Succeed(anna, first, t0_);
  for (int address = 1; address <= storage::kNameBurst + 5; ++address) {
    (void)Attempt({"gemeente-a", "Anna", Address(address)}, t0_ + seconds(1));
  }
  EXPECT_FALSE(Attempt({"gemeente-a", "Anna", "203.0.113.1"}, t0_ + seconds(1)).allowed);
  const auto familiar = Attempt(anna, t0_ + seconds(1));
  EXPECT_TRUE(familiar.allowed);
  EXPECT_FALSE(familiar.charged_name);
  // Familiarity fades.
  EXPECT_FALSE(Attempt(anna, t0_ + storage::kFamiliarFor - seconds(1)).charged_name);
  EXPECT_TRUE(Attempt(anna, t0_ + storage::kFamiliarFor).charged_name);
}

TEST_F(SignInThrottleTest, SuccessGivesBackWhatTheAttemptCost) {
  // A busy office behind one address: many people, each signing in right the first time.
  const std::string office = "198.51.100.4";
  for (int person = 0; person < 3 * storage::kAddressBurst; ++person) {
    const SignInSource source{"gemeente-a", "medewerker " + std::to_string(person), office};
    const auto verdict = Attempt(source, t0_);
    ASSERT_TRUE(verdict.allowed) << person;
    Succeed(source, verdict, t0_);
  }
  // And failures before a success are forgotten for that name at that address.
  const SignInSource typo{"gemeente-a", "Anna", "192.0.2.10"};
  for (int i = 0; i < storage::kFreeFailures - 1; ++i) ASSERT_TRUE(Attempt(typo, t0_).allowed);
  Succeed(typo, Attempt(typo, t0_), t0_);
  for (int i = 0; i < storage::kFreeFailures - 1; ++i) EXPECT_TRUE(Attempt(typo, t0_).allowed);
}

TEST_F(SignInThrottleTest, ANewPasswordLiftsEveryLockOfTheName) {
  for (int address = 1; address <= 2; ++address) {
    for (int i = 0; i < storage::kFreeFailures; ++i) {
      (void)Attempt({"gemeente-a", "Anna", Address(address)}, t0_);
    }
  }
  ASSERT_FALSE(Attempt({"gemeente-a", "Anna", Address(1)}, t0_).allowed);
  ASSERT_TRUE(storage::ForgetSignInFailures(*db_, "gemeente-a", "Anna").ok());
  EXPECT_TRUE(Attempt({"gemeente-a", "Anna", Address(1)}, t0_).allowed);
  EXPECT_TRUE(Attempt({"gemeente-a", "Anna", Address(2)}, t0_).allowed);
}

TEST_F(SignInThrottleTest, NoNameOrAddressIsStoredAndOldRowsArePruned) {
  (void)Attempt({"gemeente-a", "Anna", "198.51.100.5"}, t0_);
  for (const char* table : {"sign_in_buckets", "sign_in_locks"}) {
    storage::sql::Statement keys(db_->db(), std::string("SELECT key FROM ") + table);
    int rows = 0;
    while (keys.executeStep()) {
      ++rows;
      EXPECT_EQ(keys.getColumn(0).getString().size(), 64u) << table;
      EXPECT_EQ(keys.getColumn(0).getString().find("Anna"), std::string::npos) << table;
    }
    EXPECT_GT(rows, 0) << table;
  }
  // A day later, full buckets and old failures are gone once someone else tries.
  (void)Attempt({"gemeente-a", "Bert", "198.51.100.6"}, t0_ + storage::kFailureMemory + seconds(1));
  EXPECT_EQ(CountRows(db_->db(), "sign_in_locks"), 1);
  EXPECT_EQ(CountRows(db_->db(), "sign_in_buckets"), 2);
}

}  // namespace
}  // namespace navolg
