#include "storage/integrity_check.h"

#include <algorithm>

#include "engine/sha256.h"
#include "engine/state_codec.h"
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/process_loader_sql.h"
#include "storage/sql/sql.h"

namespace navolg::storage {
namespace {

struct Candidate {
  std::string id;
  std::string organisation;
  std::string title;
  std::string workflow_key;
  std::int64_t workflow_version = 0;
  std::string state;
  std::int64_t version = 0;
  std::string head_hash;
  std::optional<std::string> closed_at;
};

std::vector<Candidate> Candidates(sql::Database& db, const std::string& only) {
  sql::Statement query(db,
                       "SELECT p.id, o.slug, p.title, p.workflow_key, p.workflow_version, "
                       "p.state, p.version, p.head_hash, p.closed_at FROM processes p "
                       "JOIN organisations o ON o.id = p.organisation_id "
                       "WHERE ?1 = '' OR p.id = ?1 ORDER BY p.id DESC");
  query.bind(1, only);
  std::vector<Candidate> candidates;
  while (query.executeStep()) {
    Candidate c;
    c.id = query.getColumn(0).getString();
    c.organisation = query.getColumn(1).getString();
    c.title = query.getColumn(2).getString();
    c.workflow_key = query.getColumn(3).getString();
    c.workflow_version = query.getColumn(4).getInt64();
    c.state = query.getColumn(5).getString();
    c.version = query.getColumn(6).getInt64();
    c.head_hash = query.getColumn(7).getString();
    if (!query.getColumn(8).isNull()) c.closed_at = query.getColumn(8).getString();
    candidates.push_back(std::move(c));
  }
  return candidates;
}

// The row against the replayed state; empty when they agree.
std::string RowDifference(const Candidate& row, const ProcessState& replayed) {
  if (row.version != replayed.version || row.head_hash != replayed.head_hash) {
    return "de opgeslagen stand (versie " + std::to_string(row.version) +
           ") is niet waar het trail eindigt (versie " + std::to_string(replayed.version) + ")";
  }
  if (row.state != replayed.state) {
    return "de opgeslagen fase '" + row.state + "' is niet die van het trail ('" + replayed.state +
           "')";
  }
  if (row.title != replayed.title) return "de opgeslagen titel is niet die van het trail";
  const std::optional<std::string> closed =
      replayed.closed_at ? std::optional(FormatTime(*replayed.closed_at)) : std::nullopt;
  if (row.closed_at != closed) return "de opgeslagen einddatum is niet die van het trail";
  return "";
}

// The snapshot against the replayed state; empty when it agrees or there is none yet.
std::string SnapshotDifference(StatementCache& statements, const std::string& id,
                               const ProcessState& replayed) {
  Query query(statements, "SELECT state FROM process_snapshots WHERE process_id = ?");
  query->bind(1, id);
  if (!query->executeStep()) return "";
  auto stored = nlohmann::json::parse(query->getColumn(0).getText(), nullptr, false);
  if (stored != EncodeState(replayed)) {
    return "de opgeslagen toestand is niet wat het trail oplevert";
  }
  return "";
}

class Checker {
 public:
  Checker(sql::Database& db, const WorkflowCatalog& catalog, Time now)
      : db_(db), statements_(db), catalog_(catalog), now_(now) {}

  // The cheap check: the row's head against the snapshot's and the last event's.
  std::optional<std::string> Head(const Candidate& c) {
    Status head = CheckHead(statements_, c.id, {c.version, c.head_hash});
    if (head.ok()) return std::nullopt;
    return Reason(c.id, head.message());
  }

  // The whole chain and every projection against its replay.
  ProcessVerdict Full(const Candidate& c) {
    ProcessVerdict verdict{c.id, c.organisation, c.title, 0, true, std::nullopt};
    const Definition* definition = catalog_.Find(c.workflow_key, c.workflow_version);
    if (definition == nullptr) {
      verdict.damage = "de workflow van het proces ontbreekt";
      return verdict;
    }
    StoredTrail trail = ReadStoredEvents(statements_, c.id, /*verify=*/true);
    verdict.events = static_cast<std::int64_t>(trail.events.size());
    if (trail.damage) {
      verdict.damage = trail.damage;
      return verdict;
    }
    ProcessState replayed;
    for (const Event& event : trail.events) {
      if (Status applied = Evolve(*definition, replayed, event); !applied.ok()) {
        verdict.damage = applied.message();
        return verdict;
      }
    }
    std::string difference = RowDifference(c, replayed);
    if (difference.empty()) difference = VersionsDifference(c.id, trail.events);
    if (difference.empty()) difference = SnapshotDifference(statements_, c.id, replayed);
    if (difference.empty()) {
      // The current texts against their hashes, as every read loads them.
      auto loaded = LoadVerifiedState(statements_, c.id, *definition, {c.version, c.head_hash});
      if (!loaded.ok()) difference = Reason(c.id, loaded.status().message());
    }
    if (!difference.empty()) verdict.damage = difference;
    return verdict;
  }

  std::optional<std::string> StoredMark(const Candidate& c) {
    return DamageMark(statements_, c.id);
  }

  // Every stored product version against the hash its product.saved event names.
  std::string VersionsDifference(const std::string& id, const std::vector<Event>& events) {
    for (const Event& event : events) {
      if (event.type != "product.saved") continue;
      const std::string product = event.data.value("product", "");
      const std::int64_t instance = event.data.value("instance", std::int64_t{0});
      const std::int64_t version = event.data.value("version", std::int64_t{0});
      Query query(statements_,
                  "SELECT content FROM product_versions WHERE process_id = ? AND product = ? "
                  "AND instance = ? AND version = ?");
      query->bind(1, id);
      query->bind(2, product);
      query->bind(3, instance);
      query->bind(4, version);
      const std::string where =
          product + " " + std::to_string(instance) + " versie " + std::to_string(version);
      if (!query->executeStep()) return "de tekst van " + where + " ontbreekt";
      auto hash = Sha256Hex(query->getColumn(0).getString());
      if (!hash.ok() || *hash != event.data.value("hash", "")) {
        return "de tekst van " + where + " is gewijzigd";
      }
    }
    return "";
  }

  void Mark(const Candidate& c, const std::optional<std::string>& damage) {
    if (damage) {
      sql::Statement mark(db_,
                          "INSERT INTO process_damage (process_id, organisation_id, found_at, "
                          "reason) SELECT id, organisation_id, ?, ? FROM processes WHERE id = ? "
                          "ON CONFLICT (process_id) DO UPDATE SET reason = excluded.reason");
      mark.bind(1, FormatTime(now_));
      mark.bind(2, *damage);
      mark.bind(3, c.id);
      mark.exec();
    } else {
      sql::Statement clear(db_, "DELETE FROM process_damage WHERE process_id = ?");
      clear.bind(1, c.id);
      clear.exec();
    }
  }

 private:
  // The loader's message without its "proces ID: " prefix.
  static std::string Reason(const std::string& id, const std::string& message) {
    const std::string prefix = "proces " + id + ": ";
    return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
  }

  sql::Database& db_;
  StatementCache statements_;
  const WorkflowCatalog& catalog_;
  Time now_;
};

}  // namespace

Result<IntegrityReport> CheckIntegrity(Connection& connection, const IntegrityOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto catalog = WorkflowCatalog::Load(connection);
  if (!catalog.ok()) return catalog.status();
  sql::Database& db = connection.db();
  try {
    // Every row, snapshot and trail read in one snapshot: another node (PostgreSQL) or the
    // running server (SQLite) may commit meanwhile, and a head read before a trail that grew
    // since must not look like damage. The marks are written after it.
    sql::BeginReadSnapshot(db);
    struct EndRead {
      sql::Database& db;
      bool open = true;
      void Commit() {
        if (open) db.exec("COMMIT");
        open = false;
      }
      ~EndRead() {
        if (open) (void)db.tryExec("ROLLBACK");
      }
    } read{db};
    std::vector<Candidate> candidates = Candidates(db, options.process_id);
    if (!options.process_id.empty() && candidates.empty()) {
      return Status(Code::kNotFound, "Proces " + options.process_id + " bestaat niet.");
    }
    Checker checker(db, **catalog, options.now);
    IntegrityReport report;
    std::vector<ProcessVerdict> verdicts;
    verdicts.reserve(candidates.size());
    // First every head (cheap), then whole chains newest first while the budget lasts.
    for (const Candidate& c : candidates) {
      verdicts.push_back(
          ProcessVerdict{c.id, c.organisation, c.title, c.version, false, checker.Head(c)});
      ++report.heads_checked;
    }
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (options.budget && std::chrono::steady_clock::now() - started > *options.budget) break;
      verdicts[i] = checker.Full(candidates[i]);
      ++report.fully_checked;
    }
    read.Commit();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      // A head-only pass never clears a mark a full check made; such a process is reported
      // with its mark.
      if (verdicts[i].damage || verdicts[i].full) {
        checker.Mark(candidates[i], verdicts[i].damage);
      } else {
        verdicts[i].damage = checker.StoredMark(candidates[i]);
      }
      if (verdicts[i].damage) ++report.damaged;
    }
    std::stable_sort(verdicts.begin(), verdicts.end(),
                     [](const ProcessVerdict& a, const ProcessVerdict& b) {
                       return a.damage.has_value() > b.damage.has_value();
                     });
    report.processes = std::move(verdicts);
    return report;
  } catch (const sql::Exception& e) {
    return FromSql(e, "integriteit controleren");
  } catch (const std::exception& e) {
    return Status(Code::kInternal, std::string("integriteit controleren: ") + e.what());
  }
}

}  // namespace navolg::storage
