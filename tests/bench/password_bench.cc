// What a sign-in costs (linked into storage_bench):
//   BM_Pbkdf2Raw       OpenSSL's PKCS5_PBKDF2_HMAC, SHA-256, 600,000 rounds: the baseline;
//   BM_VerifyPassword  storage::VerifyPassword of a stored PHC string;
//   BM_SignIn          storage::AccountStore::SignIn with the right password on a real
//                      database file: the three throttle limits, lookup, verification, new
//                      session and its security log entry.
// The ratios show that everything but the deliberate hashing is noise: a sign-in costs one
// PBKDF2 run of CPU, so a core signs in about 1 / (its time) users per second.
//
//   build/release/tests/bench/storage_bench --benchmark_filter='Pbkdf2|Password|SignIn'
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "storage/account_store.h"
#include "storage/database.h"
#include "storage/password.h"
#include "tests/bench/bench_main.h"

namespace navolg {
namespace {

constexpr const char* kPassword = "correct paard batterij nietje";

void BM_Pbkdf2Raw(benchmark::State& state) {
  const unsigned char salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  unsigned char hash[32];
  for (auto _ : state) {
    PKCS5_PBKDF2_HMAC(kPassword, static_cast<int>(std::char_traits<char>::length(kPassword)), salt,
                      sizeof salt, static_cast<int>(storage::kPasswordIterations), EVP_sha256(),
                      sizeof hash, hash);
    benchmark::DoNotOptimize(hash);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Pbkdf2Raw)->Iterations(6)->Unit(benchmark::kMillisecond);

void BM_VerifyPassword(benchmark::State& state) {
  const std::string stored = storage::HashPassword(kPassword).value();
  for (auto _ : state) benchmark::DoNotOptimize(storage::VerifyPassword(kPassword, stored).value());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyPassword)->Iterations(6)->Unit(benchmark::kMillisecond);

void BM_SignIn(benchmark::State& state) {
  const char* dir = std::getenv("NAVOLG_BENCH_DIR");
  const std::filesystem::path folder =
      dir ? dir : std::filesystem::temp_directory_path() / "navolg-bench";
  std::filesystem::create_directories(folder);
  const std::string path = (folder / "sign-in.db").string();
  std::filesystem::remove(path);
  const Time now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  {
    auto db = storage::OpenConnection({path});
    if (!db.ok() || !storage::AddOrganisation(**db, "demo", "Demo", now).ok() ||
        !storage::AddUser(**db, "demo", "adviseur", "Anna", storage::NewToken().value(), now,
                          storage::HashPassword(kPassword).value())
             .ok()) {
      state.SkipWithError("cannot set up the database");
      return;
    }
  }
  auto accounts = storage::AccountStore::Open(path);
  if (!accounts.ok()) {
    state.SkipWithError("cannot open the account store");
    return;
  }
  for (auto _ : state) {
    auto result = (*accounts)->SignIn({"demo", "Anna", "192.0.2.7"}, kPassword, now);
    if (!result.ok() || result->outcome != storage::SignInOutcome::kSignedIn) {
      state.SkipWithError("sign-in failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  accounts->reset();
  std::filesystem::remove(path);
}
BENCHMARK(BM_SignIn)->Iterations(6)->Unit(benchmark::kMillisecond);

const bool kRatios = [] {
  bench::AddRatio("VerifyPassword time / raw PBKDF2 time", "BM_VerifyPassword/iterations:6",
                  "BM_Pbkdf2Raw/iterations:6", "about 1");
  bench::AddRatio("SignIn time / raw PBKDF2 time", "BM_SignIn/iterations:6",
                  "BM_Pbkdf2Raw/iterations:6", "about 1");
  return true;
}();

}  // namespace
}  // namespace navolg
