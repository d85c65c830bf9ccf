// Issue 13, points 3 and 4, the way the attacks were made: against `navolg serve` on a
// loopback port, the attacker and the real user each from an address of their own (all of
// 127/8 is loopback: the attacker binds to 127.0.0.2 and up, the user connects from
// 127.0.0.1).
//
//   (a) a flood of sign-ins with made-up names from one address, 24 threads: the real user
//       still signs in (the flood used to take every password-hashing turn: 503);
//   (b) one address keeps guessing the user's password: that address is locked out, the
//       user from their own address signs in with the right password (it used to be 429);
//   (c) guessing spread over many addresses slows the name down, for at most kNameInterval,
//       while the user's familiar address goes on signing in.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "storage/account_store.h"
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/sign_in_throttle.h"
#include "tests/engine/test_support.h"
#include "tests/http/http_client.h"
#include "tests/http/serve_child.h"
#include "tests/storage/known_password.h"
#include "tests/wait_until.h"

namespace navolg::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr const char* kUser = "127.0.0.1";
constexpr const char* kAttacker = "127.0.0.2";

class SignInFloodTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("navolg-flood-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "navolg.db").string();
    {
      auto db = storage::OpenConnection({db_});
      ASSERT_TRUE(db.ok()) << db.status().message();
      const Time setup = At("2026-01-01T00:00:00.000Z");
      ASSERT_TRUE(storage::AddOrganisation(**db, "utrecht", "Gemeente Utrecht", setup).ok());
      ASSERT_TRUE(storage::AddUser(**db, "utrecht", "adviseur", "Anna", storage::NewToken().value(),
                                   setup, kKnownPasswordHash)
                      .ok());
    }
    server_ = StartServe(NAVOLG_BINARY, db_);
    ASSERT_NE(server_.port, 0) << server_.banner;
  }

  void TearDown() override {
    server_.Stop();
    std::filesystem::remove_all(dir_);
  }

  // POST /api/v1/session from `source`, with extra header lines `headers`.
  HttpResult SignIn(const std::string& source, const std::string& name, const std::string& password,
                    const std::string& headers = "") {
    HttpConnection connection(server_.port, source);
    EXPECT_TRUE(connection.connected()) << source;
    return connection.Request(
        "POST", "/api/v1/session", headers,
        json{{"organisation", "utrecht"}, {"name", name}, {"password", password}}.dump());
  }

  std::filesystem::path dir_;
  std::string db_;
  ServeChild server_;
};

TEST_F(SignInFloodTest, AFloodOfUnknownNamesFromOneAddressLeavesTheRealUserIn) {
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::atomic<int> throttled{0};
  std::atomic<int> unavailable{0};
  std::mutex mutex;
  HttpResult refusal;  // one of the flood's 429s
  std::vector<std::thread> flood;
  for (int thread = 0; thread < 24; ++thread) {
    flood.emplace_back([&, thread] {
      // One kept-alive connection per thread, a new one when the server closes it.
      std::unique_ptr<HttpConnection> connection;
      for (int i = 0; !stop; ++i) {
        if (!connection) connection = std::make_unique<HttpConnection>(server_.port, kAttacker);
        const std::string name = "verzonnen " + std::to_string(thread) + "-" + std::to_string(i);
        const HttpResult answer = connection->Request(
            "POST", "/api/v1/session", "",
            json{{"organisation", "utrecht"}, {"name", name}, {"password", "gok"}}.dump());
        if (answer.status == 0 || answer.Header("connection") == "close") connection.reset();
        ++answered;
        if (answer.status == 429 && ++throttled == 1) {
          std::lock_guard lock(mutex);
          refusal = answer;
        }
        if (answer.status == 503) ++unavailable;
      }
    });
  }
  // The flood in full swing: its address's burst spent, and it keeps coming.
  const bool flooding = WaitUntil([&] { return throttled > 100; }, std::chrono::seconds(60));
  const int throttled_before = throttled;
  const HttpResult real = SignIn(kUser, "Anna", kKnownPassword);
  const int throttled_meanwhile = throttled - throttled_before;
  stop = true;
  for (std::thread& thread : flood) thread.join();
  ASSERT_TRUE(flooding) << answered << " answered, " << throttled << " throttled";
  EXPECT_EQ(real.status, 200) << real.body;
  EXPECT_GT(throttled_meanwhile, 0) << "the flood went on while the user signed in";
  EXPECT_EQ(unavailable, 0) << "no flood request waited for a hashing turn until it gave up";
  // The flood's refusals say why, in Dutch, with when to come back.
  std::lock_guard lock(mutex);
  EXPECT_NE(refusal.body.find("te veel aanmeldpogingen van uw adres"), std::string::npos)
      << refusal.body;
  EXPECT_FALSE(refusal.Header("retry-after").empty());
}

TEST_F(SignInFloodTest, GuessingFromOneAddressDoesNotLockTheUserOut) {
  for (int i = 0; i < storage::kFreeFailures; ++i) {
    EXPECT_EQ(SignIn(kAttacker, "Anna", "gok " + std::to_string(i)).status, 401) << i;
  }
  // Locked for that address, even with the right password, and a spoofed X-Forwarded-For
  // from a peer that is no trusted proxy changes nothing.
  const HttpResult locked = SignIn(kAttacker, "Anna", kKnownPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  // 30 s from the fifth guess, which was counted before its password was checked.
  const int retry_after = std::stoi("0" + locked.Header("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(seconds(retry_after), storage::kFirstLockout);
  EXPECT_EQ(SignIn(kAttacker, "Anna", kKnownPassword, "X-Forwarded-For: 127.0.0.1\r\n").status,
            429);
  // Anna, from her own address, with her password: in.
  const HttpResult anna = SignIn(kUser, "Anna", kKnownPassword);
  EXPECT_EQ(anna.status, 200) << anna.body;
}

TEST_F(SignInFloodTest, GuessingFromManyAddressesSlowsTheNameDownButNotAFamiliarAddress) {
  ASSERT_EQ(SignIn(kUser, "Anna", kKnownPassword).status, 200);  // 127.0.0.1 is familiar now
  // Ten addresses guess once each, as many at a time as navolg checks passwords at once.
  std::vector<std::thread> guesses;
  std::atomic<int> next{0};
  std::atomic<int> rejected{0};
  for (int thread = 0; thread < storage::kMaxConcurrentHashes; ++thread) {
    guesses.emplace_back([&] {
      for (int n; (n = next++) < storage::kNameBurst;) {
        if (SignIn("127.0.0." + std::to_string(10 + n), "Anna", "gok").status == 401) ++rejected;
      }
    });
  }
  for (std::thread& guess : guesses) guess.join();
  EXPECT_EQ(rejected, storage::kNameBurst);

  // The next address, even with the right password, waits; at most kNameInterval (the cap).
  const HttpResult slowed = SignIn("127.0.0.100", "Anna", kKnownPassword);
  EXPECT_EQ(slowed.status, 429) << slowed.body;
  const int retry_after = std::stoi("0" + slowed.Header("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(seconds(retry_after), storage::kNameInterval);
  EXPECT_NE(slowed.body.find("vanaf veel plaatsen"), std::string::npos) << slowed.body;
  // Anna at her familiar address is not slowed down.
  const HttpResult anna = SignIn(kUser, "Anna", kKnownPassword);
  EXPECT_EQ(anna.status, 200) << anna.body;
}

}  // namespace
}  // namespace navolg::testing
