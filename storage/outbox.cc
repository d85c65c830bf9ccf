#include "storage/outbox.h"

#include <nlohmann/json.hpp>

#include "storage/database.h"
#include "storage/group_committer.h"
#include "storage/outbox_writer.h"
#include "storage/sql/sql.h"
#include "storage/writer.h"

namespace navolg::storage {
namespace {

using nlohmann::json;

std::int64_t Millis(Time t) { return t.time_since_epoch().count(); }

std::int64_t DaysBetween(Date from, Date to) {
  return (date::sys_days(to) - date::sys_days(from)).count();
}

const DeadlineSpec* FindSpec(const Definition& definition, const std::string& key) {
  for (const DeadlineSpec& spec : definition.deadlines) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

const DeadlineState* FindDeadline(const ProcessState& state, const std::string& key,
                                  std::int64_t instance) {
  for (const DeadlineState& deadline : state.deadlines) {
    if (deadline.key == key && deadline.instance == instance) return &deadline;
  }
  return nullptr;
}

}  // namespace

std::string MessageId(const std::string& kind, const std::string& process_id,
                      const std::string& deadline_key, std::int64_t instance) {
  return kind + ":" + process_id + ":" + deadline_key + ":" + std::to_string(instance);
}

std::string NoticePayload(const DeadlineNotice& notice) {
  json deadline = {{"key", notice.deadline_key},
                   {"title", notice.deadline_title},
                   {"instance", notice.instance},
                   {"due", FormatDate(notice.due)}};
  if (notice.kind == kMissedKind) {
    deadline["days_overdue"] = DaysBetween(notice.due, notice.today);
  } else {
    deadline["days_left"] = DaysBetween(notice.today, notice.due);
  }
  json body = {{"message_id",
                MessageId(notice.kind, notice.process_id, notice.deadline_key, notice.instance)},
               {"kind", notice.kind},
               {"organisation", notice.organisation_slug},
               {"created_at", FormatTime(notice.created_at)},
               {"process",
                {{"id", notice.process_id},
                 {"title", notice.process_title},
                 {"workflow", notice.workflow_key},
                 {"link", "/api/v1/processes/" + notice.process_id}}},
               {"deadline", std::move(deadline)}};
  if (notice.event != nullptr) {
    body["event"] = {{"seq", notice.event->seq},
                     {"at", FormatTime(notice.event->at)},
                     {"hash", notice.event->hash}};
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

void EnqueueNotice(sql::Database& db, std::int64_t organisation_id, const DeadlineNotice& notice) {
  sql::Statement insert(db,
                        "INSERT INTO outbox (organisation_id, kind, process_id, "
                        "dedupe_key, payload, created_at, next_attempt_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  insert.bind(1, organisation_id);
  insert.bind(2, notice.kind);
  insert.bind(3, notice.process_id);
  insert.bind(4, MessageId(notice.kind, notice.process_id, notice.deadline_key, notice.instance));
  insert.bind(5, NoticePayload(notice));
  insert.bind(6, FormatTime(notice.created_at));
  insert.bind(7, Millis(notice.created_at));
  insert.exec();
}

OutboxWriter::OutboxWriter(sql::Database& db)
    : db_(db), find_organisation_(db, "SELECT slug, webhook_url FROM organisations WHERE id = ?") {}

void OutboxWriter::EnqueueMissed(std::int64_t organisation_id, const Definition& definition,
                                 const std::vector<Event>& events, const ProcessState& after) {
  std::optional<std::string> slug;  // looked up once, and only when there is a missed event
  for (const Event& event : events) {
    if (event.type != kMissedKind) continue;
    if (!slug) {
      find_organisation_.tryReset();
      find_organisation_.bind(1, organisation_id);
      const bool found = find_organisation_.executeStep();
      const bool has_webhook = found && !find_organisation_.getColumn(1).isNull();
      slug = found ? find_organisation_.getColumn(0).getString() : "";
      find_organisation_.tryReset();  // no read snapshot may outlive the command
      if (!has_webhook) return;
    }
    const std::string key = event.data.value("deadline", "");
    const std::int64_t instance = event.data.value("instance", std::int64_t{1});
    const DeadlineState* deadline = FindDeadline(after, key, instance);
    if (deadline == nullptr) continue;  // the engine always has it; a message without it is useless
    const DeadlineSpec* spec = FindSpec(definition, key);
    DeadlineNotice notice;
    notice.kind = kMissedKind;
    notice.organisation_slug = *slug;
    notice.process_id = after.id;
    notice.process_title = after.title;
    notice.workflow_key = after.workflow_key;
    notice.deadline_key = key;
    notice.deadline_title = spec != nullptr ? spec->title : key;
    notice.instance = instance;
    notice.due = deadline->due;
    notice.today = AmsterdamDate(event.at);
    notice.event = &event;
    notice.created_at = event.at;
    EnqueueNotice(db_, organisation_id, notice);
  }
}

Result<std::int64_t> SetWebhookUrl(Connection& connection, const std::string& slug,
                                   const std::optional<std::string>& url) {
  sql::Database& db = connection.db();
  try {
    sql::Transaction transaction(db, sql::TransactionBehavior::IMMEDIATE);
    sql::Statement update(db, "UPDATE organisations SET webhook_url = ? WHERE slug = ?");
    if (url) {
      update.bind(1, *url);
    } else {
      update.bind(1);
    }
    update.bind(2, slug);
    if (update.exec() == 0) {
      return Status(Code::kNotFound, "Organisatie '" + slug + "' bestaat niet.");
    }
    std::int64_t dropped = 0;
    if (!url) {
      sql::Statement drop(db,
                          "DELETE FROM outbox WHERE delivered_at IS NULL AND organisation_id = "
                          "(SELECT id FROM organisations WHERE slug = ?)");
      drop.bind(1, slug);
      dropped = drop.exec();
    }
    transaction.commit();
    return dropped;
  } catch (const sql::Exception& e) {
    return FromSql(e, "webhook instellen");
  }
}

Result<std::optional<std::string>> FindWebhookUrl(const Connection& connection,
                                                  const std::string& slug) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db, "SELECT webhook_url FROM organisations WHERE slug = ?");
    query.bind(1, slug);
    if (!query.executeStep()) {
      return Status(Code::kNotFound, "Organisatie '" + slug + "' bestaat niet.");
    }
    if (query.getColumn(0).isNull()) return std::optional<std::string>();
    return std::optional<std::string>(query.getColumn(0).getString());
  } catch (const sql::Exception& e) {
    return FromSql(e, "webhook lezen");
  }
}

Result<std::unique_ptr<Outbox>> Outbox::Open(const std::string& path, GroupCommitter& writer) {
  auto db = OpenForReading(path);
  if (!db.ok()) return db.status();
  return std::unique_ptr<Outbox>(
      new Outbox(ConnectionHandle(new Connection(std::move(*db))), writer));
}

Result<std::vector<OutboxMessage>> Outbox::Due(Time now, std::int64_t limit) {
  try {
    sql::Statement query(
        connection_->db(),
        "SELECT o.id, o.organisation_id, o.dedupe_key, o.kind, o.payload, o.attempts, "
        "o.next_attempt_at, g.webhook_url FROM outbox o JOIN organisations g "
        "ON g.id = o.organisation_id WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ? "
        "AND g.webhook_url IS NOT NULL ORDER BY o.next_attempt_at LIMIT ?");
    query.bind(1, Millis(now));
    query.bind(2, limit);
    std::vector<OutboxMessage> messages;
    while (query.executeStep()) {
      OutboxMessage message;
      message.id = query.getColumn(0).getInt64();
      message.organisation_id = query.getColumn(1).getInt64();
      message.message_id = query.getColumn(2).getString();
      message.kind = query.getColumn(3).getString();
      message.payload = query.getColumn(4).getString();
      message.attempts = query.getColumn(5).getInt64();
      message.next_attempt_ms = query.getColumn(6).getInt64();
      message.webhook_url = query.getColumn(7).getString();
      messages.push_back(std::move(message));
    }
    return messages;
  } catch (const sql::Exception& e) {
    return FromSql(e, "uitgaande berichten lezen");
  }
}

Result<std::optional<Time>> Outbox::NextDue() {
  try {
    sql::Statement query(connection_->db(),
                         "SELECT min(next_attempt_at) FROM outbox WHERE delivered_at IS NULL");
    query.executeStep();
    if (query.getColumn(0).isNull()) return std::optional<Time>();
    return std::optional<Time>(Time(std::chrono::milliseconds(query.getColumn(0).getInt64())));
  } catch (const sql::Exception& e) {
    return FromSql(e, "uitgaande berichten lezen");
  }
}

Result<bool> Outbox::Claim(const OutboxMessage& message, Time retry_at) {
  bool claimed = false;
  Status status = writer_.RunTask([&](WriteConnection& connection) {
    sql::Database& db = connection.db();
    sql::Statement claim(db,
                         "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? "
                         "WHERE id = ? AND delivered_at IS NULL AND next_attempt_at = ?");
    claim.bind(1, Millis(retry_at));
    claim.bind(2, message.id);
    claim.bind(3, message.next_attempt_ms);
    claimed = claim.exec() == 1;
  });
  if (!status.ok()) return status;
  return claimed;
}

Status Outbox::MarkDelivered(const OutboxMessage& message, Time at) {
  return writer_.RunTask([&](WriteConnection& connection) {
    sql::Database& db = connection.db();
    sql::Statement done(db, "UPDATE outbox SET delivered_at = ?, last_error = NULL WHERE id = ?");
    done.bind(1, FormatTime(at));
    done.bind(2, message.id);
    done.exec();
  });
}

Status Outbox::MarkFailed(const OutboxMessage& message, const std::string& error, Time retry_at) {
  return writer_.RunTask([&](WriteConnection& connection) {
    sql::Database& db = connection.db();
    sql::Statement failed(db,
                          "UPDATE outbox SET last_error = ?, next_attempt_at = ? "
                          "WHERE id = ? AND delivered_at IS NULL");
    failed.bind(1, error);
    failed.bind(2, Millis(retry_at));
    failed.bind(3, message.id);
    failed.exec();
    sql::Statement pause(db,
                         "UPDATE outbox SET next_attempt_at = ? WHERE delivered_at IS NULL "
                         "AND next_attempt_at < ? AND organisation_id = ?");
    pause.bind(1, Millis(retry_at));
    pause.bind(2, Millis(retry_at));
    pause.bind(3, message.organisation_id);
    pause.exec();
  });
}

}  // namespace navolg::storage
