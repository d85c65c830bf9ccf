#include "api/server/webhook_sender.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "api/server/webhook_client.h"

namespace navolg::http {
namespace {

void LogFailure(const storage::OutboxMessage& message, std::int64_t attempt,
                const std::string& error) {
  const std::string line = nlohmann::json{
      {"job", "webhook"},
      {"message_id", message.message_id},
      {"attempt", attempt},
      {"error", error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

std::chrono::milliseconds RetryDelay(std::int64_t attempts, const SenderOptions& options) {
  std::chrono::milliseconds delay = options.retry_base;
  for (std::int64_t i = 1; i < attempts && delay < options.retry_max; ++i) delay *= 2;
  return std::min(delay, options.retry_max);
}

WebhookSender::WebhookSender(storage::Outbox& outbox, std::function<Time()> clock,
                             SenderOptions options)
    : outbox_(outbox), clock_(std::move(clock)), options_(options) {}

WebhookSender::~WebhookSender() { Stop(); }

void WebhookSender::Start() {
  thread_ = std::thread([this] { Run(); });
}

void WebhookSender::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void WebhookSender::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cancel_.store(true);
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

DeliveryStats WebhookSender::stats() const {
  return DeliveryStats{delivered_.load(std::memory_order_relaxed),
                       rejected_.load(std::memory_order_relaxed),
                       unreachable_.load(std::memory_order_relaxed)};
}

void WebhookSender::Run() {
  for (;;) {
    const std::int64_t attempted = DeliverDue();
    // Sleep until the earliest message is due, at most a poll interval. Go on at once when
    // this pass made attempts and more is due (a full batch); when something is due that
    // could not be attempted (another sender holds it), wait a full poll.
    auto wait = options_.poll;
    if (auto next = outbox_.NextDue(); next.ok() && *next) {
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(**next - clock_());
      if (until.count() > 0) {
        wait = std::min(until, options_.poll);
      } else if (attempted > 0) {
        wait = std::chrono::milliseconds(0);
      }
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

std::int64_t WebhookSender::DeliverDue() {
  auto due = outbox_.Due(clock_(), options_.batch);
  if (!due.ok()) return 0;         // the database is busy or going away: the next pass tries again
  std::set<std::int64_t> failing;  // organisations whose receiver failed in this pass
  std::int64_t attempted = 0;
  for (const storage::OutboxMessage& message : *due) {
    if (cancel_.load()) break;
    if (failing.count(message.organisation_id) != 0) continue;
    const std::int64_t attempt = message.attempts + 1;
    const auto delay = RetryDelay(attempt, options_);
    auto claimed = outbox_.Claim(message, clock_() + options_.timeout + delay);
    if (!claimed.ok() || !*claimed) continue;
    ++attempted;
    auto url = ParseWebhookUrl(message.webhook_url);
    PostOutcome outcome;
    if (url.ok()) {
      outcome = PostJson(*url, message.payload,
                         {{"Navolg-Message-Id", message.message_id},
                          {"Navolg-Message-Kind", message.kind},
                          {"Navolg-Attempt", std::to_string(attempt)}},
                         options_.timeout, cancel_);
    } else {
      outcome.error = url.status().message();
    }
    if (outcome.kind == PostOutcome::Kind::kDelivered) {
      delivered_.fetch_add(1, std::memory_order_relaxed);
      (void)outbox_.MarkDelivered(message,
                                  clock_());  // if lost, the claim retries it: at least once
      continue;
    }
    if (!cancel_.load()) {  // an attempt abandoned at a stop says nothing about the receiver
      (outcome.kind == PostOutcome::Kind::kRejected ? rejected_ : unreachable_)
          .fetch_add(1, std::memory_order_relaxed);
      if (options_.log) LogFailure(message, attempt, outcome.error);
    }
    failing.insert(message.organisation_id);
    (void)outbox_.MarkFailed(message, outcome.error, clock_() + delay);
  }
  return attempted;
}

}  // namespace navolg::http
