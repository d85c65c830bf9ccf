#include <openssl/rand.h>

#include <cstdio>

#include "engine/audit_chain.h"
#include "engine/waiting_work.h"
#include "storage/database.h"
#include "storage/process_loader_sql.h"
#include "storage/write_path_sql.h"

namespace navolg::storage {
namespace {

const char* OptionalTime(const std::optional<Time>& t, std::string& storage) {
  if (!t) return nullptr;
  storage = FormatTime(*t);
  return storage.c_str();
}

void BindOptional(sql::Statement& statement, int index, const char* text) {
  if (text == nullptr) {
    statement.bind(index);  // NULL
  } else {
    statement.bind(index, text);
  }
}

std::int64_t MillisSinceEpoch(Time t) { return t.time_since_epoch().count(); }

}  // namespace

Result<std::string> NewProcessId(Time now) {
  unsigned char random[4];
  if (RAND_bytes(random, sizeof random) != 1) {
    return Status(Code::kInternal, "OpenSSL RAND_bytes failed");
  }
  char id[32];
  std::snprintf(id, sizeof id, "p-%012llx%02x%02x%02x%02x",
                static_cast<unsigned long long>(MillisSinceEpoch(now)), random[0], random[1],
                random[2], random[3]);
  return std::string(id);
}

WritePath::WritePath(sql::Database& db, std::shared_ptr<const WorkflowCatalog> catalog,
                     WriterCache& cache)
    : db_(db),
      catalog_(std::move(catalog)),
      cache_(cache),
      // On PostgreSQL the row stays locked to the end of the batch's transaction, so that
      // nodes sharing the database take a process's commands one after another: the second
      // sees the first's version (a stale If-Match is 412) and never writes the same seq.
      // SQLite has one writer and locks the whole database already.
      find_process_(db, std::string("SELECT p.organisation_id, p.workflow_key, "
                                    "p.workflow_version, p.version, p.assignee, p.head_hash, "
                                    "d.reason FROM processes p LEFT JOIN process_damage d "
                                    "ON d.process_id = p.id WHERE p.id = ?") +
                            (db.dialect() == sql::Dialect::kPostgres ? " FOR UPDATE OF p" : "")),
      statements_(db),
      insert_event_(db, "INSERT INTO events (process_id, seq, type, line) VALUES (?, ?, ?, ?)"),
      upsert_process_(db,
                      "INSERT INTO processes (id, organisation_id, workflow_key, "
                      "workflow_version, title, state, version, head_hash, created_at, "
                      "updated_at, closed_at, assignee, next_deadline, next_due, "
                      "next_overdue_from) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                      "ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
                      "version = excluded.version, head_hash = excluded.head_hash, "
                      "updated_at = excluded.updated_at, closed_at = excluded.closed_at, "
                      "assignee = excluded.assignee, next_deadline = excluded.next_deadline, "
                      "next_due = excluded.next_due, "
                      "next_overdue_from = excluded.next_overdue_from"),
      insert_product_version_(db,
                              "INSERT INTO product_versions (process_id, product, instance, "
                              "version, hash, content, saved_by, saved_at, seq) "
                              "VALUES (?,?,?,?,?,?,?,?,?)"),
      insert_adoption_(db,
                       "INSERT INTO adoptions (process_id, product, instance, version, hash, "
                       "adopted_by, role, adopted_at, seq) VALUES (?,?,?,?,?,?,?,?,?)"),
      upsert_deadline_(db,
                       "INSERT INTO deadlines (process_id, key, instance, organisation_id, due, "
                       "overdue_from, started_on, is_open, met_at, cancelled_at, missed_at, "
                       "assignee, reminders, reminded_at, reminded_by, reminder_bericht) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                       "ON CONFLICT (process_id, key, instance) "
                       "DO UPDATE SET due = excluded.due, overdue_from = excluded.overdue_from, "
                       "is_open = excluded.is_open, met_at = excluded.met_at, "
                       "cancelled_at = excluded.cancelled_at, missed_at = excluded.missed_at, "
                       "assignee = excluded.assignee, reminders = excluded.reminders, "
                       "reminded_at = excluded.reminded_at, reminded_by = excluded.reminded_by, "
                       "reminder_bericht = excluded.reminder_bericht"),
      findings_(db),
      outbox_(db),
      // A reassigned process's deadlines follow it (a no-op when nothing changed).
      assign_deadlines_(db,
                        "UPDATE deadlines SET assignee = ?1 WHERE process_id = ?2 "
                        "AND assignee IS DISTINCT FROM ?1"),
      upsert_snapshot_(db,
                       "INSERT INTO process_snapshots (process_id, version, head_hash, state) "
                       "VALUES (?,?,?,?) ON CONFLICT (process_id) DO UPDATE SET "
                       "version = excluded.version, head_hash = excluded.head_hash, "
                       "state = excluded.state"),
      clear_awaited_(db, "DELETE FROM adoption_queue WHERE process_id = ?"),
      insert_awaited_(db,
                      "INSERT INTO adoption_queue (organisation_id, role, process_id, product, "
                      "instance, version, hash, saved_at, offered_at, offered_by) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?)") {}

std::optional<WritePath::ProcessRow> WritePath::FindProcess(const std::string& id) {
  // tryReset, not reset, before every use of a kept statement: reset() rethrows the error of
  // the statement's last run, which failed for an earlier command, not this one.
  find_process_.tryReset();
  find_process_.bind(1, id);
  if (!find_process_.executeStep()) return std::nullopt;
  ProcessRow row{find_process_.getColumn(0).getInt64(),
                 find_process_.getColumn(1).getString(),
                 find_process_.getColumn(2).getInt64(),
                 find_process_.getColumn(3).getInt64(),
                 find_process_.getColumn(5).getString(),
                 std::nullopt,
                 std::nullopt};
  if (!find_process_.isColumnNull(4)) row.assignee = find_process_.getColumn(4).getString();
  if (!find_process_.isColumnNull(6)) row.damage = find_process_.getColumn(6).getString();
  // A statement left mid-result keeps its read snapshot open past COMMIT; once another
  // connection (the command line) writes, every later BEGIN IMMEDIATE would fail as busy.
  find_process_.tryReset();
  return row;
}

Result<std::shared_ptr<const ProcessState>> WritePath::LoadState(const std::string& id,
                                                                 const Definition& definition,
                                                                 const ProcessRow& row) {
  auto cached = cache_.State(id);
  if (cached && cached->version == row.version && cached->head_hash == row.head_hash) {
    return cached;
  }
  auto state = LoadProcessState(statements_, id, definition, {row.version, row.head_hash});
  if (!state.ok()) return state.status();
  auto shared = std::make_shared<const ProcessState>(std::move(*state));
  cache_.PutState(shared);
  return shared;
}

namespace {

bool StillAsSeen(const ProcessState& state, const CommandRequest::ExpectedProduct& expected) {
  return ProductTag(state, expected.product, expected.instance) == expected.tag;
}

// kAborted, in Dutch, for a save of a product that changed since the client read it.
Status ProductChanged(const Definition& definition, const ProcessState& state,
                      const CommandRequest::ExpectedProduct& expected) {
  const ProductSpec* spec = definition.Product(expected.product);
  const std::string title = spec != nullptr ? spec->title : expected.product;
  const bool repeating = spec != nullptr && spec->repeating;
  const std::string name = repeating ? title + " " + std::to_string(expected.instance) : title;
  const std::string now = ProductTag(state, expected.product, expected.instance);
  const std::string seen_phase = expected.tag.substr(expected.tag.find('.') + 1);
  const std::string now_phase = now.substr(now.find('.') + 1);
  if (seen_phase != now_phase) {
    return Status(Code::kAborted, "Het proces is intussen naar een andere fase gegaan; " + name +
                                      " is niet opgeslagen.");
  }
  return Status(Code::kAborted,
                name + " is intussen door iemand anders gewijzigd; uw versie is niet opgeslagen.");
}

}  // namespace

std::optional<DecidedCommand> WritePath::DecideAhead(const CommandRequest& request) const noexcept {
  try {
    return DecideOnCachedState(request);
  } catch (const std::exception&) {
    return std::nullopt;  // the writer decides again and reports what went wrong
  }
}

std::optional<DecidedCommand> WritePath::DecideOnCachedState(const CommandRequest& request) const {
  const Definition* definition = nullptr;
  std::shared_ptr<const ProcessState> before;
  if (std::holds_alternative<CreateProcess>(request.command)) {
    definition = catalog_->Latest(request.workflow_key);
    before = std::make_shared<const ProcessState>();
  } else {
    before = cache_.State(request.process_id);
    if (!before) return std::nullopt;
    if (request.expected_version && *request.expected_version != before->version) {
      return std::nullopt;
    }
    if (request.expected_product && !StillAsSeen(*before, *request.expected_product)) {
      return std::nullopt;
    }
    definition = catalog_->Find(before->workflow_key, before->workflow_version);
  }
  if (definition == nullptr) return std::nullopt;
  auto decided = Decide(*definition, std::move(before), request.command, request.actor,
                        request.reach, request.at);
  if (!decided.ok()) return std::nullopt;  // Apply decides again and reports the error
  return std::move(*decided);
}

bool WritePath::StillCurrent(const DecidedCommand& ahead, const Definition& definition,
                             std::int64_t version) const {
  if (ahead.definition != &definition || ahead.before->version != version) return false;
  // A state of the same version could be another one, from a command rolled back since:
  // only the very object the writer holds now will do.
  return version == 0 || cache_.State(ahead.before->id) == ahead.before;
}

CommandResult WritePath::Apply(CommandRequest& request) {
  CommandResult result;
  const Definition* definition = nullptr;
  std::int64_t version = 0;                    // the process's version before the command
  std::optional<std::string> stored_assignee;  // processes.assignee before the command
  std::optional<ProcessRow> found;             // the process's row, unless creating
  const bool creating = std::holds_alternative<CreateProcess>(request.command);
  try {
    if (creating) {
      definition = catalog_->Latest(request.workflow_key);
      if (definition == nullptr) {
        result.status =
            Status(Code::kNotFound, "Onbekende workflow '" + request.workflow_key + "'.");
        return result;
      }
      if (FindProcess(request.process_id)) {
        result.status =
            Status(Code::kFailedPrecondition, "Proces " + request.process_id + " bestaat al.");
        return result;
      }
    } else {
      auto row = FindProcess(request.process_id);
      if (!row || row->organisation_id != request.organisation_id) {
        result.status = Status(Code::kNotFound, "Proces " + request.process_id + " bestaat niet.");
        return result;
      }
      if (request.expected_version && *request.expected_version != row->version) {
        result.status = Status(
            Code::kAborted, "Het proces is intussen gewijzigd (nu versie " +
                                std::to_string(row->version) + ", u zag versie " +
                                std::to_string(*request.expected_version) + "); laad het opnieuw.");
        return result;
      }
      if (row->damage) {
        result.status = Damaged(request.process_id, *row->damage);
        return result;
      }
      definition = catalog_->Find(row->workflow_key, row->workflow_version);
      if (definition == nullptr) {
        result.status = Status(Code::kDataLoss, "Workflow " + row->workflow_key + " versie " +
                                                    std::to_string(row->workflow_version) +
                                                    " ontbreekt in de database.");
        return result;
      }
      version = row->version;
      stored_assignee = row->assignee;
      // The writer trusts the states it wrote itself, but only while the row still names the
      // same head: a row changed behind its back means loading (and checking) anew.
      if (auto cached = cache_.State(request.process_id);
          cached && cached->head_hash != row->head_hash) {
        cache_.Forget(request.process_id);
      }
      found = std::move(row);
    }
    result.definition = definition;

    // The decision stays in the request, so that whoever frees the request frees it: the
    // submitting thread, not the writer (see GroupCommitter::Pending).
    if (!request.ahead || !StillCurrent(*request.ahead, *definition, version)) {
      std::shared_ptr<const ProcessState> before = std::make_shared<const ProcessState>();
      if (!creating) {
        auto loaded = LoadState(request.process_id, *definition, *found);
        if (!loaded.ok()) {
          result.status = loaded.status();
          return result;
        }
        before = *loaded;
      }
      auto fresh = Decide(*definition, std::move(before), std::move(request.command), request.actor,
                          request.reach, request.at);
      if (!fresh.ok()) {
        result.status =
            Status(fresh.status().code(), "opdracht vastleggen: " + fresh.status().message());
        return result;
      }
      request.ahead = std::move(*fresh);
    }
    DecidedCommand& decided = *request.ahead;
    if (request.expected_product && !StillAsSeen(*decided.before, *request.expected_product)) {
      result.status = ProductChanged(*definition, *decided.before, *request.expected_product);
      return result;
    }
    if (decided.refusal) {
      result.refusal = std::move(decided.refusal);
      result.state = decided.before;
      return result;
    }
    if (decided.events.empty()) {  // nothing changed (e.g. the same content saved again)
      result.state = decided.before;
      return result;
    }
    Record(request.organisation_id, decided, creating || stored_assignee != decided.assignee);
    cache_.PutState(decided.after);
    result.events = std::move(decided.events);
    result.state = decided.after;
    return result;
  } catch (const sql::Exception& e) {
    if (e.kind() == sql::ErrorKind::kUnique) {
      // Another node wrote the process (or created one with this id) first.
      result.status = Status(Code::kAborted, "Het proces is intussen gewijzigd; laad het opnieuw.");
    } else {
      result.status = FromSql(e, "opdracht vastleggen");
      result.retry_later = e.kind() == sql::ErrorKind::kRetry;
    }
  } catch (const std::exception& e) {
    result.status = Status(Code::kInternal, std::string("opdracht vastleggen: ") + e.what());
  }
  result.events.clear();
  return result;
}

void WritePath::Record(std::int64_t organisation_id, const DecidedCommand& decided,
                       bool assignee_changed) {
  Write(*decided.definition, organisation_id, decided, assignee_changed);
  WriteFindings(organisation_id, decided);
  outbox_.EnqueueMissed(organisation_id, *decided.definition, decided.events, *decided.after);
  // Write sends its statements without waiting (sql::Statement::send): a failure among them
  // belongs to this command, so it is thrown here, before the cache takes the new state.
  db_.Flush();
}

void WritePath::WriteFindings(std::int64_t organisation_id, const DecidedCommand& decided) {
  const ProcessState& after = *decided.after;
  // The cache keeps the row as one text: statuses hold no newline.
  std::string text = decided.statuses + "\n" + decided.improvement_points;
  std::optional<FindingsRow> before;
  if (auto cached = cache_.Findings(after.id)) {
    if (*cached == text) return;
    const std::size_t split = cached->find('\n');
    before = FindingsRow{cached->substr(0, split), cached->substr(split + 1)};
  } else {
    before = findings_.Stored(organisation_id, after.id);
  }
  const FindingsRow row{decided.statuses, decided.improvement_points};
  if (before != row) {
    findings_.Write(organisation_id, after.id, after.workflow_key, after.version, before, row);
  }
  cache_.PutFindings(after.id, std::move(text));
}

void WritePath::WriteAwaitedAdoptions(const Definition& definition, std::int64_t organisation_id,
                                      const ProcessState& after) {
  clear_awaited_.tryReset();
  clear_awaited_.bind(1, after.id);
  clear_awaited_.send();
  for (const AwaitedAdoption& awaited : AwaitedAdoptions(definition, after)) {
    insert_awaited_.tryReset();
    insert_awaited_.bind(1, organisation_id);
    insert_awaited_.bind(2, awaited.role);
    insert_awaited_.bind(3, after.id);
    insert_awaited_.bind(4, awaited.product);
    insert_awaited_.bind(5, awaited.instance);
    insert_awaited_.bind(6, awaited.version);
    insert_awaited_.bind(7, awaited.hash);
    insert_awaited_.bind(8, FormatTime(awaited.saved_at));
    if (awaited.offered_at) {
      insert_awaited_.bind(9, FormatTime(*awaited.offered_at));
      insert_awaited_.bind(10, awaited.offered_by);
    } else {
      insert_awaited_.bind(9);
      insert_awaited_.bind(10);
    }
    insert_awaited_.send();
  }
}

void WritePath::Write(const Definition& definition, std::int64_t organisation_id,
                      const DecidedCommand& decided, bool assignee_changed) {
  const ProcessState& after = *decided.after;
  bool deadlines_changed = false;
  bool adoptions_changed = false;
  for (std::size_t i = 0; i < decided.events.size(); ++i) {
    const Event& event = decided.events[i];
    insert_event_.tryReset();
    insert_event_.bind(1, event.process_id);
    insert_event_.bind(2, event.seq);
    insert_event_.bind(3, event.type);
    // Not copied: SQLite reads a bound value only in send(), and every use binds anew.
    insert_event_.bindNoCopy(4, decided.lines[i]);
    insert_event_.send();

    const auto& data = event.data;
    if (event.type == "product.saved") {
      insert_product_version_.tryReset();
      insert_product_version_.bind(1, event.process_id);
      insert_product_version_.bind(2, data["product"].get<std::string>());
      insert_product_version_.bind(3, data["instance"].get<std::int64_t>());
      insert_product_version_.bind(4, data["version"].get<std::int64_t>());
      insert_product_version_.bind(5, data["hash"].get<std::string>());
      insert_product_version_.bindNoCopy(6, decided.contents[i]);
      insert_product_version_.bind(7, event.actor.user);
      insert_product_version_.bind(8, FormatTime(event.at));
      insert_product_version_.bind(9, event.seq);
      insert_product_version_.send();
    } else if (event.type == "product.adopted") {
      insert_adoption_.tryReset();
      insert_adoption_.bind(1, event.process_id);
      insert_adoption_.bind(2, data["product"].get<std::string>());
      insert_adoption_.bind(3, data["instance"].get<std::int64_t>());
      insert_adoption_.bind(4, data["version"].get<std::int64_t>());
      insert_adoption_.bind(5, data["hash"].get<std::string>());
      insert_adoption_.bind(6, event.actor.user);
      insert_adoption_.bind(7, event.actor.role);
      insert_adoption_.bind(8, FormatTime(event.at));
      insert_adoption_.bind(9, event.seq);
      insert_adoption_.send();
    } else if (event.type.rfind("deadline.", 0) == 0) {
      deadlines_changed = true;
    }
    // A step into an end state closes the process: nothing waits for adoption any more.
    if (event.type == "product.saved" || event.type == "product.adopted" ||
        event.type == "product.offered" ||
        ((event.type == "transition.taken" || event.type == "process.stopped") &&
         after.closed_at)) {
      adoptions_changed = true;
    }
  }

  std::string closed_at;
  upsert_process_.tryReset();
  upsert_process_.bind(1, after.id);
  upsert_process_.bind(2, organisation_id);
  upsert_process_.bind(3, after.workflow_key);
  upsert_process_.bind(4, after.workflow_version);
  upsert_process_.bind(5, after.title);
  upsert_process_.bind(6, after.state);
  upsert_process_.bind(7, after.version);
  upsert_process_.bind(8, after.head_hash);
  upsert_process_.bind(9, FormatTime(after.created_at));
  upsert_process_.bind(10, FormatTime(after.updated_at));
  BindOptional(upsert_process_, 11, OptionalTime(after.closed_at, closed_at));
  const std::optional<std::string>& assignee = decided.assignee;
  const char* assignee_text = assignee ? assignee->c_str() : nullptr;
  BindOptional(upsert_process_, 12, assignee_text);
  std::string next_due;
  if (const DeadlineState* next = NextOpenDeadline(after)) {
    next_due = FormatDate(next->due);
    upsert_process_.bind(13, next->key);
    upsert_process_.bind(14, next_due);
    upsert_process_.bind(15, MillisSinceEpoch(AmsterdamStartOfDay(AddDays(next->due, 1))));
  } else {
    for (int column : {13, 14, 15}) upsert_process_.bind(column);  // NULL
  }
  upsert_process_.send();
  if (adoptions_changed) WriteAwaitedAdoptions(definition, organisation_id, after);
  if (definition.assignee && assignee_changed) {
    assign_deadlines_.tryReset();
    BindOptional(assign_deadlines_, 1, assignee_text);
    assign_deadlines_.bind(2, after.id);
    assign_deadlines_.send();
  }

  upsert_snapshot_.tryReset();
  upsert_snapshot_.bind(1, after.id);
  upsert_snapshot_.bind(2, after.version);
  upsert_snapshot_.bind(3, after.head_hash);
  upsert_snapshot_.bindNoCopy(4, decided.snapshot);
  upsert_snapshot_.send();

  if (!deadlines_changed) return;
  for (const DeadlineState& deadline : after.deadlines) {
    std::string met, cancelled, missed, reminded;
    upsert_deadline_.tryReset();
    upsert_deadline_.bind(1, after.id);
    upsert_deadline_.bind(2, deadline.key);
    upsert_deadline_.bind(3, deadline.instance);
    upsert_deadline_.bind(4, organisation_id);
    upsert_deadline_.bind(5, FormatDate(deadline.due));
    upsert_deadline_.bind(6, MillisSinceEpoch(AmsterdamStartOfDay(AddDays(deadline.due, 1))));
    upsert_deadline_.bind(7, FormatDate(deadline.started_on));
    upsert_deadline_.bind(8, deadline.open() ? 1 : 0);
    BindOptional(upsert_deadline_, 9, OptionalTime(deadline.met_at, met));
    BindOptional(upsert_deadline_, 10, OptionalTime(deadline.cancelled_at, cancelled));
    BindOptional(upsert_deadline_, 11, OptionalTime(deadline.missed_recorded_at, missed));
    BindOptional(upsert_deadline_, 12, assignee_text);
    upsert_deadline_.bind(13, deadline.reminder_count);
    const std::optional<Reminder>& reminder = deadline.last_reminder;
    BindOptional(upsert_deadline_, 14, reminder ? OptionalTime(reminder->at, reminded) : nullptr);
    BindOptional(upsert_deadline_, 15, reminder ? reminder->by.user.c_str() : nullptr);
    BindOptional(upsert_deadline_, 16,
                 reminder && !reminder->bericht.empty() ? reminder->bericht.c_str() : nullptr);
    upsert_deadline_.send();
  }
}

}  // namespace navolg::storage
