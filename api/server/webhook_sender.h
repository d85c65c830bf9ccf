// The webhook sender: delivers the outbox's messages to each organisation's webhook, at least
// once, from a thread of its own, so that no request ever waits for a receiver.
//
// Each attempt is first claimed in the outbox (attempts + 1, next attempt moved past the
// timeout plus the retry delay), so a sender that dies mid-attempt, or a second navolg on the
// same database, leaves the message to be retried rather than lost. A failed attempt records
// its error and schedules the next one after RetryDelay (exponential, capped); the
// organisation's other due messages wait until then too. Receivers deduplicate on the
// Navolg-Message-Id header (the same on every attempt of a message).
//
// Thread-safe: Wake, Stop and stats from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "api/http/metrics.h"
#include "engine/calendar.h"
#include "storage/outbox.h"

namespace navolg::http {

struct SenderOptions {
  std::chrono::milliseconds retry_base{5'000};     // delay after the first failed attempt
  std::chrono::milliseconds retry_max{3'600'000};  // the longest delay
  std::chrono::milliseconds timeout{10'000};       // one attempt, connect to answer
  std::chrono::milliseconds poll{1'000};           // look for new messages this often
  std::int64_t batch = 50;                         // messages read per pass
  bool log = true;                                 // a JSON line on stderr per failed attempt
};

// The wait after the `attempts`-th failed attempt: retry_base * 2^(attempts - 1), at most
// retry_max.
std::chrono::milliseconds RetryDelay(std::int64_t attempts, const SenderOptions& options);

class WebhookSender {
 public:
  WebhookSender(storage::Outbox& outbox, std::function<Time()> clock, SenderOptions options);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Starts the sender's thread. Call at most once.
  void Start();
  // New messages may be due (the watcher just ran): look now rather than at the next poll.
  void Wake();
  // Abandons an attempt in flight (it is retried later) and joins the thread. Idempotent.
  void Stop();

  DeliveryStats stats() const;

 private:
  void Run();
  // Attempts every message due now, once; returns how many attempts it made.
  std::int64_t DeliverDue();

  storage::Outbox& outbox_;
  std::function<Time()> clock_;
  SenderOptions options_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::atomic<bool> cancel_{false};
  std::thread thread_;

  std::atomic<std::uint64_t> delivered_{0}, rejected_{0}, unreachable_{0};
};

}  // namespace navolg::http
