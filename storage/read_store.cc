#include "storage/read_store.h"

#include <algorithm>

#include "engine/audit_chain.h"
#include "engine/deadlines.h"
#include "storage/borgingshuis_queries_sql.h"
#include "storage/checkpoint_store.h"
#include "storage/database.h"
#include "storage/deadline_overview.h"
#include "storage/page_queries_sql.h"
#include "storage/process_loader_sql.h"
#include "storage/sql/sql.h"
#include "storage/statement_cache.h"

namespace navolg::storage {
namespace {

// As many as the server has handler threads by default, so that under load a request finds an
// open connection (with its prepared statements) instead of opening one.
constexpr std::size_t kMaxIdleConnections = 64;

ProcessSummary SummaryFrom(sql::Statement& row, int first) {
  ProcessSummary s;
  s.id = row.getColumn(first).getString();
  s.title = row.getColumn(first + 1).getString();
  s.workflow_key = row.getColumn(first + 2).getString();
  s.workflow_version = row.getColumn(first + 3).getInt64();
  s.state = row.getColumn(first + 4).getString();
  s.version = row.getColumn(first + 5).getInt64();
  s.created_at = row.getColumn(first + 6).getString();
  s.updated_at = row.getColumn(first + 7).getString();
  if (!row.getColumn(first + 8).isNull()) s.closed_at = row.getColumn(first + 8).getString();
  return s;
}

constexpr const char* kSummaryColumns =
    "id, title, workflow_key, workflow_version, state, version, created_at, updated_at, "
    "closed_at";

Result<Event> EventFromLine(const char* line) {
  auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status(Code::kDataLoss, "geen JSON");
  return EventFromJson(parsed);
}

Status NotFound(const std::string& id) {
  return Status(Code::kNotFound, "Proces " + id + " bestaat niet.");
}

// The process's summary and head, within the organisation (kNotFound otherwise).
Result<ProcessSummary> ReadSummary(StatementCache& statements,
                                   const OrganisationScope& organisation, const std::string& id,
                                   ProcessHead& head) {
  Query query(statements, std::string("SELECT ") + kSummaryColumns +
                              ", head_hash FROM processes WHERE id = ? AND organisation_id = ?");
  query->bind(1, id);
  query->bind(2, organisation.id());
  if (!query->executeStep()) return NotFound(id);
  ProcessSummary summary = SummaryFrom(*query, 0);
  head = ProcessHead{summary.version, query->getColumn(9).getString()};
  return summary;
}

// Whether the process exists in the organisation.
bool Visible(StatementCache& statements, const OrganisationScope& organisation,
             const std::string& id) {
  Query query(statements, "SELECT organisation_id FROM processes WHERE id = ?");
  query->bind(1, id);
  if (!query->executeStep()) return false;
  return query->getColumn(0).getInt64() == organisation.id();
}

// Whether the process exists in any organisation.
bool Exists(StatementCache& statements, const std::string& id) {
  Query query(statements, "SELECT 1 FROM processes WHERE id = ?");
  query->bind(1, id);
  return query->executeStep();
}

// Writes the stored lines of a process's trail (whose visibility is settled) to `out`.
Status WriteExport(StatementCache& statements, const std::string& id, std::ostream& out) {
  Query query(statements, "SELECT line FROM events WHERE process_id = ? ORDER BY seq");
  query->bind(1, id);
  while (query->executeStep()) {
    out << query->getColumn(0).getText() << '\n';
  }
  if (!out) return Status(Code::kUnavailable, "De export kon niet worden geschreven.");
  return Status::Ok();
}

}  // namespace

// The cache belongs to the connection: its statements are finalised before the connection
// closes, and a query uses them only when handed `statements`.
class ReadStore::PooledConnection {
 public:
  explicit PooledConnection(std::unique_ptr<sql::Database> db)
      : db_(std::move(db)), statements_(*db_) {}
  sql::Database& db() { return *db_; }
  StatementCache& statements() { return statements_; }

 private:
  std::unique_ptr<sql::Database> db_;
  StatementCache statements_;  // declared after db_, so destroyed before it
};

// Returns its connection to the pool when it goes out of scope.
class ReadStore::Lease {
 public:
  Lease(ReadStore& store, std::unique_ptr<PooledConnection> connection)
      : store_(store), connection_(std::move(connection)) {}
  ~Lease() { store_.Release(std::move(connection_)); }
  PooledConnection& connection() { return *connection_; }

 private:
  ReadStore& store_;
  std::unique_ptr<PooledConnection> connection_;
};

template <typename Read>
auto ReadStore::WithConnection(const char* what, Read read)
    -> decltype(read(std::declval<PooledConnection&>())) {
  auto connection = Acquire();
  if (!connection.ok()) return connection.status();
  Lease lease(*this, std::move(*connection));
  try {
    return read(lease.connection());
  } catch (const sql::Exception& e) {
    return FromSql(e, what);
  }
}

ReadStore::ReadStore(std::string path, std::shared_ptr<const WorkflowCatalog> catalog)
    : path_(std::move(path)), catalog_(std::move(catalog)) {}

ReadStore::~ReadStore() = default;

Result<std::unique_ptr<ReadStore>> ReadStore::Open(const std::string& path,
                                                   std::shared_ptr<const WorkflowCatalog> catalog) {
  std::unique_ptr<ReadStore> store(new ReadStore(path, std::move(catalog)));
  auto first = store->Acquire();  // fail now, not on the first request
  if (!first.ok()) return first.status();
  store->Release(std::move(*first));
  return store;
}

Result<std::unique_ptr<ReadStore::PooledConnection>> ReadStore::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<PooledConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  auto db = OpenForReading(path_);
  if (!db.ok()) return db.status();
  return std::make_unique<PooledConnection>(std::move(*db));
}

void ReadStore::Release(std::unique_ptr<PooledConnection> connection) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(connection));
}

// Ends the read transaction a read began, on every way out.
struct EndRead {
  sql::Database& db;
  ~EndRead() { db.tryExec("COMMIT"); }
};

Result<ProcessTrail> ReadStore::GetTrail(const OrganisationScope& organisation,
                                         const std::string& id) {
  return WithConnection("proces lezen", [&](PooledConnection& connection) -> Result<ProcessTrail> {
    // One read transaction, so the row and the trail are of the same commit.
    connection.db().exec("BEGIN");
    EndRead end_read{connection.db()};
    ProcessHead head;
    ProcessTrail trail;
    auto summary = ReadSummary(connection.statements(), organisation, id, head);
    if (!summary.ok()) return summary.status();
    trail.summary = std::move(*summary);
    trail.definition = catalog_->Find(trail.summary.workflow_key, trail.summary.workflow_version);
    if (trail.definition == nullptr) {
      return Status(Code::kDataLoss, "workflow van proces " + id + " ontbreekt");
    }
    StoredTrail stored = ReadStoredEvents(connection.statements(), id, /*verify=*/true);
    trail.events = std::move(stored.events);
    trail.damage = DamageMark(connection.statements(), id);
    if (!trail.damage) trail.damage = std::move(stored.damage);
    if (!trail.damage && (trail.events.empty() || trail.events.back().seq != head.version ||
                          trail.events.back().hash != head.head_hash)) {
      trail.damage = "het trail eindigt niet waar de opgeslagen stand eindigt";
    }
    return trail;
  });
}

Result<ProcessRecord> ReadStore::GetProcess(const OrganisationScope& organisation,
                                            const std::string& id) {
  return WithConnection("proces lezen", [&](PooledConnection& connection) -> Result<ProcessRecord> {
    connection.db().exec("BEGIN");
    EndRead end_read{connection.db()};
    ProcessHead head;
    auto summary = ReadSummary(connection.statements(), organisation, id, head);
    if (!summary.ok()) return summary.status();
    const Definition* definition = catalog_->Find(summary->workflow_key, summary->workflow_version);
    if (definition == nullptr) {
      return Status(Code::kDataLoss, "workflow van proces " + id + " ontbreekt");
    }
    auto state = LoadProcessState(connection.statements(), id, *definition, head);
    if (!state.ok()) return state.status();
    return ProcessRecord{std::move(*summary), definition, std::move(*state)};
  });
}

Result<EventPage> ReadStore::Events(const OrganisationScope& organisation, const std::string& id,
                                    std::int64_t after, std::int64_t limit) {
  limit = std::clamp<std::int64_t>(limit, 1, 1000);
  after = std::max<std::int64_t>(after, 0);
  return WithConnection("trail lezen", [&](PooledConnection& connection) -> Result<EventPage> {
    connection.db().exec("BEGIN");
    EndRead end_read{connection.db()};
    ProcessHead head;
    auto summary = ReadSummary(connection.statements(), organisation, id, head);
    if (!summary.ok()) return summary.status();
    EventPage page;
    page.definition = catalog_->Find(summary->workflow_key, summary->workflow_version);
    if (page.definition == nullptr) {
      return Status(Code::kDataLoss, "workflow van proces " + id + " ontbreekt");
    }
    if (auto mark = DamageMark(connection.statements(), id)) return Damaged(id, *mark);
    // The event at `after` too, for the hash the page's first event must link to.
    Query query(connection.statements(),
                "SELECT seq, line FROM events WHERE process_id = ? AND seq >= ? "
                "ORDER BY seq LIMIT ?");
    query->bind(1, id);
    query->bind(2, after);
    query->bind(3, limit + 2);
    std::string prev = after == 0 ? GenesisHash() : "";
    std::int64_t expected = after == 0 ? 1 : after;
    while (query->executeStep()) {
      const std::int64_t seq = query->getColumn(0).getInt64();
      auto event = EventFromLine(query->getColumn(1).getText());
      if (!event.ok() || seq != expected || event->seq != seq || event->process_id != id) {
        return Damaged(id,
                       "gebeurtenis " + std::to_string(expected) + " is onleesbaar of ontbreekt");
      }
      ++expected;
      if (Status sealed = VerifySeal(*event); !sealed.ok()) return Damaged(id, sealed.message());
      if (seq == after) {  // only the link to the page
        prev = event->hash;
        continue;
      }
      if (event->prev != prev) {
        return Damaged(
            id, "gebeurtenis " + std::to_string(seq) + " verwijst niet naar de hash van de vorige");
      }
      prev = event->hash;
      if (static_cast<std::int64_t>(page.events.size()) == limit) {
        page.next = page.events.back().seq;
        break;
      }
      page.events.push_back(std::move(*event));
    }
    return page;
  });
}

Result<BorgingshuisFindings> ReadStore::OrganisationFindings(
    const OrganisationScope& organisation) {
  return WithConnection("bevindingen lezen", [&](PooledConnection& connection) {
    // One read transaction, so the counts and the points are of the same commit.
    connection.db().exec("BEGIN");
    EndRead end_read{connection.db()};
    return QueryBorgingshuis(connection.statements(), organisation.id());
  });
}

Result<IndicatorPage> ReadStore::IndicatorProcesses(const OrganisationScope& organisation,
                                                    const IndicatorQuery& query) {
  return WithConnection("processen bij een indicator lezen", [&](PooledConnection& connection) {
    connection.db().exec("BEGIN");
    EndRead end_read{connection.db()};
    return QueryIndicatorProcesses(connection.statements(), organisation.id(), query);
  });
}

Result<ProcessPage> ReadStore::ListProcesses(const OrganisationScope& organisation,
                                             const ProcessListQuery& query) {
  return WithConnection("processen lezen", [&](PooledConnection& connection) {
    // One read transaction, so the page and its total are of the same commit.
    connection.db().exec("BEGIN");
    EndRead end_read{connection.db()};
    return QueryProcessList(connection.statements(), organisation.id(), query);
  });
}

Result<AdoptionQueuePage> ReadStore::AwaitedAdoptions(const OrganisationScope& organisation,
                                                      const std::string& role, std::int64_t limit,
                                                      const std::string& after) {
  return WithConnection("vaststellingen lezen", [&](PooledConnection& connection) {
    connection.db().exec("BEGIN");
    EndRead end_read{connection.db()};
    return QueryAdoptionQueue(connection.statements(), organisation.id(), role, limit, after);
  });
}

Result<std::vector<DeadlineRow>> ReadStore::Deadlines(const OrganisationScope& organisation,
                                                      DeadlineFilter filter, Time now,
                                                      std::int64_t days, std::int64_t limit) {
  limit = std::clamp<std::int64_t>(limit, 1, 10'000);
  const std::int64_t now_ms = now.time_since_epoch().count();
  // Due within `days` days means overdue from (the start of) day today + days + 1 at the latest.
  const std::int64_t horizon_ms =
      AmsterdamStartOfDay(AddDays(AmsterdamDate(now), days + 1)).time_since_epoch().count();
  std::string range;
  switch (filter) {
    case DeadlineFilter::kOverdue:
      range = " AND d.overdue_from <= :now";
      break;
    case DeadlineFilter::kDueSoon:
      range = " AND d.overdue_from > :now AND d.overdue_from <= :horizon";
      break;
    case DeadlineFilter::kOpen:
      break;
  }
  return WithConnection(
      "termijnen lezen", [&](PooledConnection& connection) -> Result<std::vector<DeadlineRow>> {
        Query query(connection.statements(),
                    "SELECT d.process_id, p.title, d.key, d.instance, d.due, d.overdue_from "
                    "FROM deadlines d JOIN processes p ON p.id = d.process_id "
                    "WHERE d.organisation_id = :org AND d.is_open = 1" +
                        range + " ORDER BY d.overdue_from LIMIT :limit");
        query->bind(":org", organisation.id());
        if (filter != DeadlineFilter::kOpen) query->bind(":now", now_ms);
        if (filter == DeadlineFilter::kDueSoon) query->bind(":horizon", horizon_ms);
        query->bind(":limit", limit);
        std::vector<DeadlineRow> rows;
        while (query->executeStep()) {
          DeadlineRow row;
          row.process_id = query->getColumn(0).getString();
          row.process_title = query->getColumn(1).getString();
          row.key = query->getColumn(2).getString();
          row.instance = query->getColumn(3).getInt64();
          row.due = query->getColumn(4).getString();
          row.overdue = query->getColumn(5).getInt64() <= now_ms;
          rows.push_back(std::move(row));
        }
        return rows;
      });
}

Result<DeadlineOverview> ReadStore::Overview(const OrganisationScope& organisation,
                                             const OverviewQuery& query) {
  return WithConnection("termijnoverzicht lezen", [&](PooledConnection& connection) {
    return QueryDeadlineOverview(connection.db(), organisation.id(), query);
  });
}

Result<std::vector<Event>> ReadStore::Trail(const OrganisationScope& organisation,
                                            const std::string& id) {
  return WithConnection(
      "trail lezen", [&](PooledConnection& connection) -> Result<std::vector<Event>> {
        if (!Visible(connection.statements(), organisation, id)) return NotFound(id);
        StoredTrail stored = ReadStoredEvents(connection.statements(), id, /*verify=*/true);
        if (stored.damage) return Damaged(id, *stored.damage);
        return std::move(stored.events);
      });
}

Status ReadStore::ExportTrail(const OrganisationScope& organisation, const std::string& id,
                              std::ostream& out) {
  return WithConnection("trail exporteren", [&](PooledConnection& connection) -> Status {
    if (!Visible(connection.statements(), organisation, id)) return NotFound(id);
    return WriteExport(connection.statements(), id, out);
  });
}

Result<std::vector<Checkpoint>> ReadStore::Checkpoints(const OrganisationScope& organisation,
                                                       const std::string& id) {
  return WithConnection("checkpoints lezen",
                        [&](PooledConnection& connection) -> Result<std::vector<Checkpoint>> {
                          if (!Visible(connection.statements(), organisation, id))
                            return NotFound(id);
                          return KeptCheckpoints(connection.statements(), id);
                        });
}

Status ReadStore::ExportTrailOfAnyOrganisation(const std::string& id, std::ostream& out) {
  return WithConnection("trail exporteren", [&](PooledConnection& connection) -> Status {
    if (!Exists(connection.statements(), id)) return NotFound(id);
    return WriteExport(connection.statements(), id, out);
  });
}

Result<User> ReadStore::FindUser(const std::string& token) {
  return WithConnection("token controleren", [&](PooledConnection& connection) {
    return FindUserByToken(connection.statements(), token);
  });
}

Result<std::vector<Colleague>> ReadStore::Colleagues(const OrganisationScope& organisation) {
  return WithConnection("collega's lezen", [&](PooledConnection& connection) {
    return ListColleagues(connection.statements(), organisation);
  });
}

Result<Session> ReadStore::FindSession(const std::string& session_id, Time now) {
  return WithConnection("sessie controleren", [&](PooledConnection& connection) {
    return storage::FindSession(connection.statements(), session_id, now);
  });
}

Result<ReadStore::DeadlineCounts> ReadStore::CountDeadlines(Time now) {
  return WithConnection(
      "termijnen tellen", [&](PooledConnection& connection) -> Result<ReadStore::DeadlineCounts> {
        Query query(connection.statements(),
                    "SELECT count(*), count(CASE WHEN overdue_from <= ? THEN 1 END) FROM deadlines "
                    "WHERE is_open = 1");
        query->bind(1, static_cast<std::int64_t>(now.time_since_epoch().count()));
        query->executeStep();
        return DeadlineCounts{query->getColumn(0).getInt64(), query->getColumn(1).getInt64()};
      });
}

Result<ReadStore::OutboxBacklog> ReadStore::CountOutbox() {
  return WithConnection("uitgaande berichten tellen",
                        [&](PooledConnection& connection) -> Result<ReadStore::OutboxBacklog> {
                          Query query(connection.statements(),
                                      "SELECT count(*), min(created_at) FROM outbox "
                                      "WHERE delivered_at IS NULL");
                          query->executeStep();
                          OutboxBacklog backlog;
                          backlog.pending = query->getColumn(0).getInt64();
                          if (!query->getColumn(1).isNull()) {
                            backlog.oldest_created_at = ParseTime(query->getColumn(1).getString());
                          }
                          return backlog;
                        });
}

}  // namespace navolg::storage
