// Sign-in throttling, as OWASP advises: slow down the source that guesses, not the account
// for everyone. The state is in the database (tables sign_in_buckets, sign_in_locks and
// sign_in_familiar), so every node that shares the database shares it.
//
// An attempt names an organisation and a name as typed (whether such a user exists or not,
// so the answers never tell) and comes from a client address (http::Request's
// client_address). Three limits are checked together, before the password is:
//
//   1. Per address: a token bucket of kAddressBurst attempts, refilling one per
//      kAddressInterval. A flood from one address, whatever names it tries, is refused
//      without a password check once its burst is spent.
//   2. Per organisation, name and address: kFreeFailures failures in a row lock that name
//      for that address only, kFirstLockout, doubling per further failure up to kMaxLockout.
//      The account stays open to every other address.
//   3. Per organisation and name, across all addresses: a bucket of kNameBurst refilling one
//      per kNameInterval, so guessing spread over many addresses still slows down. Refused
//      attempts are not counted, so the wait it asks is never more than kNameInterval (the
//      cap: a real user is delayed, never locked out for long). Addresses from which the
//      account signed in successfully within kFamiliarFor are exempt: a user at a known
//      address is not slowed down by somebody else's guessing.
//
// Every admitted attempt is counted before its password is checked (so attempts sent at
// once are counted too) and given back when it succeeds. Keys are SHA-256 digests: no name
// or address is stored in these tables.
//
// Functions take the connection they work on (one per thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/calendar.h"
#include "engine/status.h"
#include "storage/connection.h"

namespace navolg::storage {

inline constexpr std::int64_t kAddressBurst = 20;
inline constexpr std::chrono::milliseconds kAddressInterval = std::chrono::seconds(6);
inline constexpr std::int64_t kFreeFailures = 5;
inline constexpr std::chrono::milliseconds kFirstLockout = std::chrono::seconds(30);
inline constexpr std::chrono::milliseconds kMaxLockout = std::chrono::minutes(15);
inline constexpr std::chrono::milliseconds kFailureMemory = std::chrono::hours(24);
inline constexpr std::int64_t kNameBurst = 10;
inline constexpr std::chrono::milliseconds kNameInterval = std::chrono::seconds(30);
inline constexpr std::chrono::milliseconds kFamiliarFor = std::chrono::days(90);

// Who tries to sign in as whom.
struct SignInSource {
  std::string organisation;  // as typed
  std::string name;          // as typed
  std::string address;       // the client address; "" when unknown (all such share limits)
};

// The limit that refused an attempt (the one asking the longest wait).
enum class ThrottleLimit { kNone, kAddress, kNameAtAddress, kName };

// "address", "name_at_address", "name": for the security log.
const char* ThrottleLimitName(ThrottleLimit limit);

struct ThrottleVerdict {
  bool allowed = false;
  // When refused: which limit, when to try again (rounded up, at least 1 s), and whether
  // this is the first refusal by that limit since it last admitted an attempt (worth one
  // entry in the security log, not one per refused attempt).
  ThrottleLimit limit = ThrottleLimit::kNone;
  std::chrono::seconds retry_after{};
  bool first_refusal = false;
  // When allowed: whether the name's bucket was charged (the address is not familiar).
  bool charged_name = false;
};

// Checks the three limits for an attempt at `now` and, when all admit it, counts it, in a
// transaction of its own.
Result<ThrottleVerdict> BeginSignInAttempt(Connection& connection, const SignInSource& source,
                                           Time now);

// The admitted attempt `verdict` succeeded: gives back what it was charged, forgets the
// failures of the name at that address, and remembers the address as familiar for the
// name. The caller owns the transaction.
Status SignInAttemptSucceeded(Connection& connection, const SignInSource& source,
                              const ThrottleVerdict& verdict, Time now);

// Lifts every lock of the name (at any address) and refills its bucket: after a new
// password. The caller owns the transaction.
Status ForgetSignInFailures(Connection& connection, const std::string& organisation,
                            const std::string& name);

}  // namespace navolg::storage
