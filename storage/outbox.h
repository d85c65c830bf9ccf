// The webhook outbox: messages for an organisation's webhook, written in the same transaction
// as what caused them, and their delivery state (attempts, next attempt, delivered, last error).
//
// Two kinds of message, both about one deadline instance of one process:
//   deadline.missed    written by the write path with the deadline.missed event (OutboxWriter)
//   deadline.due_soon  written by the deadline watcher for open deadlines due within 7 days
// Only organisations with a webhook URL get messages. A message's id is stable and unique
// ("deadline.missed:<process>:<deadline>:<instance>"), is the outbox's dedupe_key (a second
// enqueue is a no-op) and is sent with every attempt, so a receiver can drop repeats.
//
// The writer thread's side (EnqueueNotice, OutboxWriter) is storage's own, in
// storage/outbox_writer.h. OutboxWriter belongs to the writer thread. Every other change (due-soon
// messages, delivery bookkeeping) goes through GroupCommitter::RunTask, so the database keeps one
// writer. Outbox (the sender's side) is not thread-safe: one sender thread owns it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/event.h"
#include "engine/process_state.h"
#include "engine/status.h"
#include "storage/connection.h"

namespace navolg::storage {

class GroupCommitter;

inline constexpr const char* kMissedKind = "deadline.missed";
inline constexpr const char* kDueSoonKind = "deadline.due_soon";

// What a deadline message is about; NoticePayload turns it into the JSON body.
struct DeadlineNotice {
  std::string kind;  // kMissedKind or kDueSoonKind
  std::string organisation_slug;
  std::string process_id;
  std::string process_title;
  std::string workflow_key;
  std::string deadline_key;
  std::string deadline_title;
  std::int64_t instance = 1;
  Date due{};
  Date today{};                  // Europe/Amsterdam, the day the message is written
  const Event* event = nullptr;  // the deadline.missed event (kMissedKind only)
  Time created_at{};
};

// "<kind>:<process>:<deadline>:<instance>".
std::string MessageId(const std::string& kind, const std::string& process_id,
                      const std::string& deadline_key, std::int64_t instance);

// The JSON body a webhook receives (documented in the README):
//   {"message_id","kind","organisation","created_at",
//    "process":{"id","title","workflow","link"},
//    "deadline":{"key","title","instance","due","days_overdue" | "days_left"},
//    "event":{"seq","at","hash"}}   (event: deadline.missed only)
std::string NoticePayload(const DeadlineNotice& notice);

// Sets an organisation's webhook URL (the caller has validated it), or removes it (nullopt).
// Removing also deletes the organisation's undelivered messages, which nobody would receive;
// the result is how many. kNotFound for an unknown organisation.
Result<std::int64_t> SetWebhookUrl(Connection& connection, const std::string& slug,
                                   const std::optional<std::string>& url);
// The organisation's webhook URL, nullopt when it has none; kNotFound for an unknown one.
Result<std::optional<std::string>> FindWebhookUrl(const Connection& connection,
                                                  const std::string& slug);

// An undelivered message, with where it goes now.
struct OutboxMessage {
  std::int64_t id = 0;
  std::int64_t organisation_id = 0;
  std::string message_id;  // the dedupe_key
  std::string kind;
  std::string payload;
  std::int64_t attempts = 0;         // attempts started so far
  std::int64_t next_attempt_ms = 0;  // as read; Claim succeeds only if still so
  std::string webhook_url;
};

// The sender's side: reads on its own read-only connection, writes through the committer.
class Outbox {
 public:
  static Result<std::unique_ptr<Outbox>> Open(const std::string& path, GroupCommitter& writer);

  // Undelivered messages due at `now` whose organisation has a webhook, earliest first.
  Result<std::vector<OutboxMessage>> Due(Time now, std::int64_t limit);
  // When the earliest undelivered message is due; nullopt when there is none.
  Result<std::optional<Time>> NextDue();

  // Starts an attempt: counts it and moves the message's next attempt to `retry_at` (so a
  // sender that dies mid-attempt leaves it to be retried then). false when another sender
  // claimed or delivered it since it was read.
  Result<bool> Claim(const OutboxMessage& message, Time retry_at);
  Status MarkDelivered(const OutboxMessage& message, Time at);
  // Records the error and the next attempt; the organisation's other messages that are due
  // earlier wait until then too, so a receiver that is down is not asked once per message.
  Status MarkFailed(const OutboxMessage& message, const std::string& error, Time retry_at);

 private:
  Outbox(ConnectionHandle connection, GroupCommitter& writer)
      : connection_(std::move(connection)), writer_(writer) {}
  ConnectionHandle connection_;  // read-only
  GroupCommitter& writer_;
};

}  // namespace navolg::storage
