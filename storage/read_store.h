// Reads: processes, lists, deadlines and trails, on read-only connections separate from the
// writer's, so dashboards never wait for commits (WAL readers see the last commit).
//
// Every read of an organisation's data takes the OrganisationScope it happens in and sees
// that organisation only; another organisation's process is kNotFound, as if it did not
// exist. The operator's command line alone reads across organisations, through the one
// function named for it (ExportTrailOfAnyOrganisation).
//
// Thread-safe: each call borrows a connection from a small pool.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/borgingshuis.h"
#include "engine/checkpoint.h"
#include "engine/definition.h"
#include "engine/event.h"
#include "engine/process_state.h"
#include "storage/colleagues.h"
#include "storage/directory.h"
#include "storage/organisation_scope.h"
#include "storage/sessions.h"

namespace navolg::storage {

struct ProcessSummary {
  std::string id;
  std::string title;
  std::string workflow_key;
  std::int64_t workflow_version = 0;
  std::string state;
  std::int64_t version = 0;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> closed_at;
};

// A page of the process list (GET /api/v1/processes): the filters and the cursor.
struct ProcessListQuery {
  std::string state;                    // empty: every state
  std::optional<std::string> assignee;  // set: only processes assigned to this user id
  bool overdue_only = false;            // only processes with an open deadline overdue at `now`
  std::string title_contains;           // empty: any title; else a part of it (ASCII letters
                                        // match either case)
  Time now{};                           // what overdue means
  std::int64_t limit = 50;              // clamped to 1..200
  std::string after;                    // the previous page's `next`; empty: the first page
};

// The earliest open deadline of a listed process.
struct NextDeadline {
  std::string key;
  std::string due;  // YYYY-MM-DD, Europe/Amsterdam
  bool overdue = false;
};

struct ListedProcess {
  ProcessSummary summary;
  std::optional<std::string> assignee;       // the user id; nullopt: not assigned
  std::optional<std::string> assignee_name;  // nullopt also for an id that names no user of
                                             // the organisation
  std::optional<NextDeadline> next_deadline;
};

struct ProcessPage {
  std::vector<ListedProcess> items;  // in id order (ids are time-ordered: oldest first)
  std::optional<std::string> next;   // the cursor for the following page, if any
  std::int64_t total = 0;            // every process the filters match, not only this page
};

// A product instance that waits for adoption, with its process (GET /api/v1/adoptions).
struct AwaitedAdoptionRow {
  std::string process_id;
  std::string process_title;
  std::string workflow_key;
  std::int64_t workflow_version = 0;
  std::string product;
  std::int64_t instance = 1;
  std::int64_t version = 0;
  std::string hash;
  std::string saved_at;                   // RFC 3339 UTC
  std::optional<std::string> offered_at;  // RFC 3339 UTC; set when offered for adoption
  std::string offered_by;                 // a user id; empty when not offered
  std::string offered_by_name;            // that user's name; empty when unknown
};

struct AdoptionQueuePage {
  std::vector<AwaitedAdoptionRow> items;  // by process id, product, instance
  std::optional<std::string> next;        // the cursor for the following page, if any
  std::int64_t total = 0;                 // every waiting instance for the role
};

// A page of the processes behind an indicator of the Borgingshuis.
struct IndicatorQuery {
  std::string workflow_key;
  std::string check_key;
  CheckStatus status = CheckStatus::kNietVoldaan;
  std::int64_t limit = 50;  // clamped to 1..200
  std::string after;        // the previous page's `next`; empty: the first page
};

struct IndicatorPage {
  // The processes with the status (their assignee too; no next deadline); `total`: all of them.
  ProcessPage processes;
  // The organisation's processes per status of the check.
  std::int64_t voldaan = 0;
  std::int64_t niet_voldaan = 0;
  std::int64_t niet_van_toepassing = 0;
};

// A process as the engine sees it: its definition and the state its trail replays to.
struct ProcessRecord {
  ProcessSummary summary;
  const Definition* definition = nullptr;
  ProcessState state;
};

// A process's row, definition and stored trail (not replayed), as far as it verifies.
struct ProcessTrail {
  ProcessSummary summary;
  const Definition* definition = nullptr;
  std::vector<Event> events;  // in seq order, up to the first event that does not verify
  // Why the trail does not verify (Dutch: which event, which hashes), from this read or from
  // the mark a full check left; none when intact.
  std::optional<std::string> damage;
};

// One page of a process's trail in seq order; `next` is the `after` of the following page.
struct EventPage {
  const Definition* definition = nullptr;  // the process's workflow
  std::vector<Event> events;
  std::optional<std::int64_t> next;
};

enum class DeadlineFilter { kOverdue, kDueSoon, kOpen };
struct OverviewQuery;     // storage/deadline_overview.h
struct DeadlineOverview;  // storage/deadline_overview.h

struct DeadlineRow {
  std::string process_id;
  std::string process_title;
  std::string key;
  std::int64_t instance = 0;
  std::string due;  // YYYY-MM-DD, Europe/Amsterdam
  bool overdue = false;
};

class ReadStore {
 public:
  static Result<std::unique_ptr<ReadStore>> Open(const std::string& path,
                                                 std::shared_ptr<const WorkflowCatalog> catalog);
  ~ReadStore();
  ReadStore(const ReadStore&) = delete;
  ReadStore& operator=(const ReadStore&) = delete;

  // kNotFound for an unknown process or one of another organisation; kDamaged when its
  // projection or the end of its trail does not verify, or a full check marked it
  // (storage/process_loader_sql.h). Costs the same whatever the length of the trail.
  Result<ProcessRecord> GetProcess(const OrganisationScope& organisation, const std::string& id);

  // One page of the organisation's processes that match `query`, by keyset in id order, with
  // each one's assignee and earliest open deadline as the write path keeps them on the row,
  // and the number of matches. Reads the page's rows and an index count, never every process
  // (storage/process_list.cc).
  Result<ProcessPage> ListProcesses(const OrganisationScope& organisation,
                                    const ProcessListQuery& query);

  // The product instances of the organisation's open processes whose current version waits
  // for adoption by `role`, from the adoption_queue the write path keeps; `after` is the
  // previous page's `next`, limit clamped to 1..200 (storage/adoption_queue.cc).
  Result<AdoptionQueuePage> AwaitedAdoptions(const OrganisationScope& organisation,
                                             const std::string& role, std::int64_t limit,
                                             const std::string& after);

  // Open deadlines of the organisation, earliest due first. kOverdue: overdue at `now`;
  // kDueSoon: not overdue, due within `days` days (Europe/Amsterdam); kOpen: all open.
  Result<std::vector<DeadlineRow>> Deadlines(const OrganisationScope& organisation,
                                             DeadlineFilter filter, Time now, std::int64_t days,
                                             std::int64_t limit);

  // The row and the whole trail, every event's seal and link verified, for reports computed
  // from the trail (an auditor's independent view). A trail that does not verify is no error:
  // `damage` says why, and the events stop before the first bad one.
  Result<ProcessTrail> GetTrail(const OrganisationScope& organisation, const std::string& id);

  // The events with seq > `after`, at most `limit` (clamped to 1..1000), by keyset on seq: the
  // cost of a page does not grow with the trail. Each event's seal and its link to the one
  // before are verified; kDamaged when one does not, or the process is marked damaged.
  Result<EventPage> Events(const OrganisationScope& organisation, const std::string& id,
                           std::int64_t after, std::int64_t limit);

  // What the organisation's Borgingshuis shows, as the write path keeps it beside
  // process_findings: the counts per check and status, and per cell the number of improvement
  // points and the newest kMaxPointsPerCell with their process's title. Reads a few dozen
  // rows whatever the number of processes (storage/borgingshuis_queries.cc).
  Result<BorgingshuisFindings> OrganisationFindings(const OrganisationScope& organisation);

  // A page of the processes whose check `query.check_key` of workflow `query.workflow_key` has
  // `query.status`, by keyset in id order, with the numbers of processes in every status of
  // that check. Reads the page's rows, never every process (storage/borgingshuis_queries.cc).
  Result<IndicatorPage> IndicatorProcesses(const OrganisationScope& organisation,
                                           const IndicatorQuery& query);
  // The managers' overview of the organisation's open deadlines: a page and the counts per
  // assignee, as QueryDeadlineOverview (storage/deadline_overview.h) describes.
  Result<DeadlineOverview> Overview(const OrganisationScope& organisation,
                                    const OverviewQuery& query);

  // The trail of a process, in seq order (kNotFound as GetProcess).
  Result<std::vector<Event>> Trail(const OrganisationScope& organisation, const std::string& id);

  // The user a bearer token belongs to (kNotFound for an unknown or revoked token).
  Result<User> FindUser(const std::string& token);

  // The organisation's users by name (storage/colleagues.h).
  Result<std::vector<Colleague>> Colleagues(const OrganisationScope& organisation);

  // The live session a session cookie names (kNotFound for an unknown or ended one).
  Result<Session> FindSession(const std::string& session_id, Time now);

  // Open deadlines, and how many of them are overdue at `now`, over all organisations.
  struct DeadlineCounts {
    std::int64_t open = 0;
    std::int64_t overdue = 0;
  };
  Result<DeadlineCounts> CountDeadlines(Time now);

  // Webhook messages not yet delivered (all organisations), and when the oldest was written.
  struct OutboxBacklog {
    std::int64_t pending = 0;
    std::optional<Time> oldest_created_at;
  };
  Result<OutboxBacklog> CountOutbox();

  // The checkpoints navolg has signed for the process, by seq (storage/checkpoint_store.h;
  // kNotFound as GetProcess).
  Result<std::vector<Checkpoint>> Checkpoints(const OrganisationScope& organisation,
                                              const std::string& id);

  // Writes the JSON Lines export (architecture.md) to `out` (kNotFound as GetProcess).
  Status ExportTrail(const OrganisationScope& organisation, const std::string& id,
                     std::ostream& out);
  // The same for a process of any organisation: for the operator's command line only, never
  // on behalf of a request.
  Status ExportTrailOfAnyOrganisation(const std::string& id, std::ostream& out);

 private:
  class Lease;
  // A read connection of the pool and the statements it keeps (read_store.cc).
  class PooledConnection;
  ReadStore(std::string path, std::shared_ptr<const WorkflowCatalog> catalog);
  Result<std::unique_ptr<PooledConnection>> Acquire();
  void Release(std::unique_ptr<PooledConnection> connection);
  // Runs `read` on a pooled connection; a SQLite exception becomes a Status about `what`.
  template <typename Read>
  auto WithConnection(const char* what, Read read)
      -> decltype(read(std::declval<PooledConnection&>()));

  std::string path_;
  std::shared_ptr<const WorkflowCatalog> catalog_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PooledConnection>> idle_;
};

}  // namespace navolg::storage
