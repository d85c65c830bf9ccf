#include "storage/sign_in_throttle.h"

#include <algorithm>
#include <optional>

#include "engine/sha256.h"
#include "storage/database.h"
#include "storage/sql/sql.h"

namespace navolg::storage {
namespace {

using std::chrono::milliseconds;

std::int64_t Ms(Time t) { return static_cast<std::int64_t>(t.time_since_epoch().count()); }
std::int64_t Ms(milliseconds d) { return static_cast<std::int64_t>(d.count()); }

// The digest of `parts` joined by a byte none of them can hold, after a tag that keeps the
// kinds of key apart.
Result<std::string> KeyOf(const char* tag, std::initializer_list<const std::string*> parts) {
  std::string joined = tag;
  for (const std::string* part : parts) {
    joined.push_back('\0');
    joined += *part;
  }
  return Sha256Hex(joined);
}

struct Keys {
  std::string address;       // bucket
  std::string name;          // bucket, and the name_key of locks
  std::string name_address;  // lock and familiarity
};

Result<Keys> KeysOf(const SignInSource& source) {
  auto address = KeyOf("address", {&source.address});
  auto name = KeyOf("name", {&source.organisation, &source.name});
  auto name_address = KeyOf("name-address", {&source.organisation, &source.name, &source.address});
  if (!address.ok()) return address.status();
  if (!name.ok()) return name.status();
  if (!name_address.ok()) return name_address.status();
  return Keys{*address, *name, *name_address};
}

std::chrono::seconds RoundedUp(std::int64_t wait_ms) {
  return std::chrono::seconds(std::max<std::int64_t>(1, (wait_ms + 999) / 1000));
}

// The lock after the `failures`-th failure in a row; none before kFreeFailures.
milliseconds LockoutAfter(std::int64_t failures) {
  if (failures < kFreeFailures) return milliseconds(0);
  const std::int64_t doublings = std::min<std::int64_t>(failures - kFreeFailures, 20);
  return std::min(kFirstLockout * (std::int64_t{1} << doublings), kMaxLockout);
}

// A bucket of `burst` attempts refilling one per `interval`, as its theoretical arrival time.
struct Bucket {
  std::int64_t tat = 0;  // ms; <= now: full
  bool reported = false;
  std::int64_t burst = 0;
  milliseconds interval{};

  // The tat after one more attempt at `now`.
  std::int64_t Charged(std::int64_t now) const { return std::max(tat, now) + Ms(interval); }
  // How long until one more attempt fits; 0: now.
  std::int64_t Wait(std::int64_t now) const {
    return std::max<std::int64_t>(0, Charged(now) - now - burst * Ms(interval));
  }
};

Bucket LoadBucket(sql::Database& db, const std::string& key, std::int64_t burst,
                  milliseconds interval) {
  Bucket bucket{0, false, burst, interval};
  sql::Statement query(db, "SELECT tat, reported FROM sign_in_buckets WHERE key = ?");
  query.bind(1, key);
  if (query.executeStep()) {
    bucket.tat = query.getColumn(0).getInt64();
    bucket.reported = query.getColumn(1).getInt() != 0;
  }
  return bucket;
}

void StoreBucket(sql::Database& db, const std::string& key, std::int64_t tat, bool reported) {
  sql::Statement upsert(db,
                        "INSERT INTO sign_in_buckets (key, tat, reported) VALUES (?1, ?2, ?3) "
                        "ON CONFLICT (key) DO UPDATE SET tat = ?2, reported = ?3");
  upsert.bind(1, key);
  upsert.bind(2, tat);
  upsert.bind(3, reported ? 1 : 0);
  upsert.exec();
}

void RefundBucket(sql::Database& db, const std::string& key, milliseconds interval) {
  sql::Statement refund(db, "UPDATE sign_in_buckets SET tat = tat - ? WHERE key = ?");
  refund.bind(1, Ms(interval));
  refund.bind(2, key);
  refund.exec();
}

struct Lock {
  std::int64_t failures = 0;
  std::int64_t locked_until = 0;
  bool reported = false;
};

Lock LoadLock(sql::Database& db, const std::string& key, std::int64_t now) {
  Lock lock;
  sql::Statement query(db,
                       "SELECT failures, last_failure_at, locked_until, reported "
                       "FROM sign_in_locks WHERE key = ?");
  query.bind(1, key);
  if (query.executeStep()) {
    lock.locked_until = query.getColumn(2).getInt64();
    lock.reported = query.getColumn(3).getInt() != 0;
    const bool remembered = now - query.getColumn(1).getInt64() < Ms(kFailureMemory);
    if (remembered || now < lock.locked_until) lock.failures = query.getColumn(0).getInt64();
  }
  return lock;
}

bool IsFamiliar(sql::Database& db, const std::string& key, std::int64_t now) {
  sql::Statement query(db, "SELECT 1 FROM sign_in_familiar WHERE key = ? AND last_success_at > ?");
  query.bind(1, key);
  query.bind(2, now - Ms(kFamiliarFor));
  return query.executeStep();
}

void MarkReported(sql::Database& db, const char* table, const std::string& key) {
  sql::Statement mark(db, std::string("UPDATE ") + table + " SET reported = 1 WHERE key = ?");
  mark.bind(1, key);
  mark.exec();
}

void Prune(sql::Database& db, std::int64_t now) {
  sql::Statement buckets(db, "DELETE FROM sign_in_buckets WHERE tat <= ?");
  buckets.bind(1, now);
  buckets.exec();
  sql::Statement locks(db,
                       "DELETE FROM sign_in_locks WHERE last_failure_at < ? AND locked_until < ?");
  locks.bind(1, now - Ms(kFailureMemory));
  locks.bind(2, now);
  locks.exec();
}

}  // namespace

const char* ThrottleLimitName(ThrottleLimit limit) {
  switch (limit) {
    case ThrottleLimit::kNone:
      return "none";
    case ThrottleLimit::kAddress:
      return "address";
    case ThrottleLimit::kNameAtAddress:
      return "name_at_address";
    case ThrottleLimit::kName:
      return "name";
  }
  return "none";
}

Result<ThrottleVerdict> BeginSignInAttempt(Connection& connection, const SignInSource& source,
                                           Time at) {
  sql::Database& db = connection.db();
  const auto keys = KeysOf(source);
  if (!keys.ok()) return keys.status();
  const std::int64_t now = Ms(at);
  try {
    sql::Transaction transaction(db, sql::TransactionBehavior::IMMEDIATE);
    const Bucket address = LoadBucket(db, keys->address, kAddressBurst, kAddressInterval);
    const Bucket name = LoadBucket(db, keys->name, kNameBurst, kNameInterval);
    const Lock lock = LoadLock(db, keys->name_address, now);
    const bool familiar = IsFamiliar(db, keys->name_address, now);

    // The refusing limit that asks the longest wait.
    ThrottleVerdict verdict;
    std::int64_t longest = 0;
    const auto consider = [&](ThrottleLimit limit, std::int64_t wait, bool reported) {
      if (wait > longest) {
        longest = wait;
        verdict.limit = limit;
        verdict.first_refusal = !reported;
      }
    };
    consider(ThrottleLimit::kNameAtAddress, lock.locked_until - now, lock.reported);
    consider(ThrottleLimit::kAddress, address.Wait(now), address.reported);
    if (!familiar) consider(ThrottleLimit::kName, name.Wait(now), name.reported);
    if (longest > 0) {
      verdict.retry_after = RoundedUp(longest);
      if (verdict.first_refusal) {
        switch (verdict.limit) {
          case ThrottleLimit::kNameAtAddress:
            MarkReported(db, "sign_in_locks", keys->name_address);
            break;
          case ThrottleLimit::kAddress:
            StoreBucket(db, keys->address, address.tat, /*reported=*/true);
            break;
          case ThrottleLimit::kName:
            StoreBucket(db, keys->name, name.tat, /*reported=*/true);
            break;
          case ThrottleLimit::kNone:
            break;
        }
      }
      transaction.commit();
      return verdict;
    }

    StoreBucket(db, keys->address, address.Charged(now), /*reported=*/false);
    if (!familiar) StoreBucket(db, keys->name, name.Charged(now), /*reported=*/false);
    const std::int64_t failures = lock.failures + 1;
    const milliseconds lockout = LockoutAfter(failures);
    sql::Statement upsert(
        db,
        "INSERT INTO sign_in_locks (key, name_key, failures, last_failure_at, locked_until, "
        "reported) VALUES (?1, ?2, ?3, ?4, ?5, 0) ON CONFLICT (key) DO UPDATE SET "
        "failures = ?3, last_failure_at = ?4, locked_until = ?5, reported = 0");
    upsert.bind(1, keys->name_address);
    upsert.bind(2, keys->name);
    upsert.bind(3, failures);
    upsert.bind(4, now);
    upsert.bind(5, lockout.count() > 0 ? now + Ms(lockout) : std::int64_t{0});
    upsert.exec();
    Prune(db, now);
    transaction.commit();
    verdict.allowed = true;
    verdict.charged_name = !familiar;
    return verdict;
  } catch (const sql::Exception& e) {
    return FromSql(e, "aanmeldpoging tellen");
  }
}

Status SignInAttemptSucceeded(Connection& connection, const SignInSource& source,
                              const ThrottleVerdict& verdict, Time at) {
  sql::Database& db = connection.db();
  const auto keys = KeysOf(source);
  if (!keys.ok()) return keys.status();
  try {
    RefundBucket(db, keys->address, kAddressInterval);
    if (verdict.charged_name) RefundBucket(db, keys->name, kNameInterval);
    sql::Statement forget(db, "DELETE FROM sign_in_locks WHERE key = ?");
    forget.bind(1, keys->name_address);
    forget.exec();
    sql::Statement familiar(db,
                            "INSERT INTO sign_in_familiar (key, last_success_at) VALUES (?1, ?2) "
                            "ON CONFLICT (key) DO UPDATE SET last_success_at = ?2");
    familiar.bind(1, keys->name_address);
    familiar.bind(2, Ms(at));
    familiar.exec();
    sql::Statement prune(db, "DELETE FROM sign_in_familiar WHERE last_success_at <= ?");
    prune.bind(1, Ms(at) - Ms(kFamiliarFor));
    prune.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "aanmelding vastleggen");
  }
}

Status ForgetSignInFailures(Connection& connection, const std::string& organisation,
                            const std::string& name) {
  sql::Database& db = connection.db();
  const auto key = KeyOf("name", {&organisation, &name});
  if (!key.ok()) return key.status();
  try {
    sql::Statement locks(db, "DELETE FROM sign_in_locks WHERE name_key = ?");
    locks.bind(1, *key);
    locks.exec();
    sql::Statement bucket(db, "DELETE FROM sign_in_buckets WHERE key = ?");
    bucket.bind(1, *key);
    bucket.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "aanmeldpogingen vergeten");
  }
}

}  // namespace navolg::storage
