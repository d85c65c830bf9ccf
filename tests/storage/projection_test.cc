// The projections (processes, product_versions, adoptions, deadlines) always equal a replay
// of the stored events, checked with plain SQL on a connection of its own after every
// command; and commands that record nothing write nothing.
#include <sstream>

#include "engine/audit_chain.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

using Step = WalkStep;

class ProjectionTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    definition_ = LoadWorkflow("standaard-participatie");
  }

  // Submits with the version the process is at, as a client would, and checks that the
  // stored trail is exactly the acknowledged events and the projections match it.
  void Run(std::int64_t organisation_id, const std::string& id, const Step& step) {
    SCOPED_TRACE(std::string("step at ") + step.at);
    std::optional<std::int64_t> expected;
    if (!std::holds_alternative<navolg::CreateProcess>(step.command)) {
      expected = static_cast<std::int64_t>(acked_.size());
    }
    auto result = SubmitAs(organisation_id, id, step.command, step.actor, At(step.at), expected);
    ASSERT_TRUE(result.committed())
        << result.status.message() << (result.refusal ? result.refusal->detail : "");
    ASSERT_FALSE(result.events.empty());
    acked_.insert(acked_.end(), result.events.begin(), result.events.end());
    EXPECT_EQ(result.state->version, static_cast<std::int64_t>(acked_.size()));
    CheckStored(organisation_id, id);
  }

  void CheckStored(std::int64_t organisation_id, const std::string& id) {
    ProcessState replayed;
    ASSERT_NO_FATAL_FAILURE(
        ExpectProjectionsMatchTrail(path_, definition_, organisation_id, id, &replayed));
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    std::vector<Event> stored;
    ASSERT_NO_FATAL_FAILURE(ReadStoredEvents(db, id, stored));
    EXPECT_EQ(stored, acked_);
  }

  Definition definition_;
  std::vector<Event> acked_;
};

std::vector<Step> WholeStandardProcess(const std::string& id) {
  nlohmann::json first_draft = CompleteKadernotitie();
  first_draft["doel"] = "Eerste versie";
  std::vector<Step> steps = {
      {navolg::CreateProcess{id, "Marktplein"}, Adviseur(), "2026-03-01T09:00:00.000Z"},
      {SaveProduct{"kadernotitie", 0, first_draft}, Adviseur(), "2026-03-02T08:00:00.000Z"},
      {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
       "2026-03-02T09:00:00.000Z"},
      {AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z"},
      {SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), "2026-03-03T10:00:00.000Z"},
  };
  std::vector<Step> rest = StandardWalkFromGesprek();
  steps.insert(steps.end(), rest.begin(), rest.end());
  return steps;
}

TEST_F(ProjectionTest, WholeStandardProcessProjectionsEqualReplayAfterEveryCommand) {
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  for (const Step& step : WholeStandardProcess(id)) {
    ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, step));
  }

  EXPECT_EQ(EventTypes(acked_),
            (std::vector<std::string>{
                "process.created",  "product.saved",    "product.saved",    "product.adopted",
                "product.saved",    "transition.taken", "product.saved",    "product.saved",
                "transition.taken", "deadline.started", "product.saved",    "transition.taken",
                "product.saved",    "transition.taken", "deadline.met",     "product.saved",
                "deadline.started", "product.saved",    "transition.taken", "deadline.met",
                "product.saved",    "transition.taken"}));

  // The projections hold these exact values (not only "equal to the replay").
  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  storage::sql::Statement process(db,
                                  "SELECT state, version, head_hash, closed_at FROM processes "
                                  "WHERE id = ?");
  process.bind(1, id);
  ASSERT_TRUE(process.executeStep());
  EXPECT_EQ(process.getColumn(0).getString(), "afgerond");
  EXPECT_EQ(process.getColumn(1).getInt64(), 22);
  EXPECT_EQ(process.getColumn(2).getString(), acked_.back().hash);
  EXPECT_EQ(process.getColumn(3).getString(), "2026-05-02T09:00:00.000Z");

  // Both kadernotitie versions are kept; the adoption names the second.
  storage::sql::Statement kadernotitie(
      db,
      "SELECT version, hash, seq FROM product_versions WHERE "
      "process_id = ? AND product = 'kadernotitie' ORDER BY version");
  kadernotitie.bind(1, id);
  ASSERT_TRUE(kadernotitie.executeStep());
  EXPECT_EQ(kadernotitie.getColumn(0).getInt64(), 1);
  EXPECT_EQ(kadernotitie.getColumn(1).getString(), acked_[1].data["hash"]);
  EXPECT_EQ(kadernotitie.getColumn(2).getInt64(), 2);
  ASSERT_TRUE(kadernotitie.executeStep());
  EXPECT_EQ(kadernotitie.getColumn(0).getInt64(), 2);
  EXPECT_EQ(kadernotitie.getColumn(1).getString(), acked_[2].data["hash"]);
  EXPECT_EQ(kadernotitie.getColumn(2).getInt64(), 3);
  EXPECT_FALSE(kadernotitie.executeStep());
  EXPECT_NE(acked_[1].data["hash"], acked_[2].data["hash"]);
  storage::sql::Statement counts(
      db,
      "SELECT (SELECT count(*) FROM product_versions WHERE process_id = ?1), "
      "(SELECT count(*) FROM adoptions WHERE process_id = ?1), "
      "(SELECT version || ' ' || hash FROM adoptions WHERE process_id = ?1)");
  counts.bind(1, id);
  ASSERT_TRUE(counts.executeStep());
  EXPECT_EQ(counts.getColumn(0).getInt64(), 10);
  EXPECT_EQ(counts.getColumn(1).getInt64(), 1);
  EXPECT_EQ(counts.getColumn(2).getString(), "2 " + acked_[2].data["hash"].get<std::string>());

  // Deadlines: overdue from 00:00 Europe/Amsterdam (CEST, UTC+2) the day after the due date.
  storage::sql::Statement deadlines(db,
                                    "SELECT key, instance, due, overdue_from, started_on, is_open, "
                                    "met_at, cancelled_at, missed_at FROM deadlines WHERE "
                                    "process_id = ? ORDER BY key");
  deadlines.bind(1, id);
  ASSERT_TRUE(deadlines.executeStep());
  EXPECT_EQ(deadlines.getColumn(0).getString(), "besluitterugkoppeling");
  EXPECT_EQ(deadlines.getColumn(1).getInt64(), 1);
  EXPECT_EQ(deadlines.getColumn(2).getString(), "2026-04-29");
  EXPECT_EQ(deadlines.getColumn(3).getInt64(), Millis(At("2026-04-29T22:00:00.000Z")));
  EXPECT_EQ(deadlines.getColumn(4).getString(), "2026-04-15");
  EXPECT_EQ(deadlines.getColumn(5).getInt64(), 0);
  EXPECT_EQ(deadlines.getColumn(6).getString(), "2026-04-21T09:00:00.000Z");
  EXPECT_TRUE(deadlines.getColumn(7).isNull());
  EXPECT_TRUE(deadlines.getColumn(8).isNull());
  ASSERT_TRUE(deadlines.executeStep());
  EXPECT_EQ(deadlines.getColumn(0).getString(), "terugkoppeling");
  EXPECT_EQ(deadlines.getColumn(2).getString(), "2026-04-09");
  EXPECT_EQ(deadlines.getColumn(3).getInt64(), Millis(At("2026-04-09T22:00:00.000Z")));
  EXPECT_EQ(deadlines.getColumn(4).getString(), "2026-03-12");
  EXPECT_EQ(deadlines.getColumn(5).getInt64(), 0);
  EXPECT_EQ(deadlines.getColumn(6).getString(), "2026-03-26T09:00:00.000Z");
  EXPECT_FALSE(deadlines.executeStep());

  // And the export verifies.
  std::stringstream exported;
  ASSERT_TRUE(reads_->ExportTrail(ScopeOf(org_a_), id, exported).ok());
  VerifyReport report = VerifyExport(exported);
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_EQ(report.events, 22);
  EXPECT_EQ(report.head_hash, acked_.back().hash);
}

TEST_F(ProjectionTest, MissedAndCancelledDeadlinesAreProjected) {
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  std::vector<Step> steps = WholeStandardProcess(id);
  steps.resize(9);  // up to and including naar_duiden: terugkoppeling is open, due 2026-04-09
  for (const Step& step : steps) ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, step));

  // One millisecond before 00:00 Amsterdam on 2026-04-10 nothing is overdue: a no-op.
  const std::string before = DumpDatabase(path_);
  auto early = SubmitAs(org_a_, id, RecordMissedDeadlines{}, Actor::System(),
                        At("2026-04-09T21:59:59.999Z"));
  ASSERT_TRUE(early.committed()) << early.status.message();
  EXPECT_TRUE(early.events.empty());
  EXPECT_DATABASE_UNCHANGED(path_, before);

  ASSERT_NO_FATAL_FAILURE(
      Run(org_a_, id, {RecordMissedDeadlines{}, Actor::System(), "2026-04-09T22:00:00.000Z"}));
  EXPECT_EQ(acked_.back().type, "deadline.missed");
  {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement row(db,
                                "SELECT is_open, missed_at, overdue_from FROM deadlines "
                                "WHERE process_id = ? AND key = 'terugkoppeling'");
    row.bind(1, id);
    ASSERT_TRUE(row.executeStep());
    EXPECT_EQ(row.getColumn(0).getInt64(), 1);  // missed, but still open
    EXPECT_EQ(row.getColumn(1).getString(), "2026-04-09T22:00:00.000Z");
    EXPECT_EQ(row.getColumn(2).getInt64(), Millis(At("2026-04-09T22:00:00.000Z")));
  }
  auto overdue = reads_->Deadlines(ScopeOf(org_a_), storage::DeadlineFilter::kOverdue,
                                   At("2026-04-09T22:00:00.000Z"), 0, 100);
  ASSERT_TRUE(overdue.ok());
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].process_id, id);
  EXPECT_EQ((*overdue)[0].due, "2026-04-09");

  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id,
                              {SaveProduct{"stopbericht", 0, CompleteStopbericht()}, Manager(),
                               "2026-04-11T09:00:00.000Z"}));
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, {StopProcess{}, Bestuur(), "2026-04-11T10:00:00.000Z"}));
  EXPECT_EQ(EventTypes(std::vector<Event>(acked_.end() - 2, acked_.end())),
            (std::vector<std::string>{"process.stopped", "deadline.cancelled"}));
  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  storage::sql::Statement row(db,
                              "SELECT is_open, cancelled_at, missed_at, met_at FROM deadlines "
                              "WHERE process_id = ?");
  row.bind(1, id);
  ASSERT_TRUE(row.executeStep());
  EXPECT_EQ(row.getColumn(0).getInt64(), 0);
  EXPECT_EQ(row.getColumn(1).getString(), "2026-04-11T10:00:00.000Z");
  EXPECT_EQ(row.getColumn(2).getString(), "2026-04-09T22:00:00.000Z");
  EXPECT_TRUE(row.getColumn(3).isNull());
  EXPECT_FALSE(row.executeStep());
  auto open = reads_->Deadlines(ScopeOf(org_a_), storage::DeadlineFilter::kOpen,
                                At("2026-04-11T10:00:00.000Z"), 0, 100);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
}

TEST_F(ProjectionTest, RefusedCommandWritesNothing) {
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, WholeStandardProcess(id)[0]));
  const std::string before = DumpDatabase(path_);

  auto refused = Submit(id, TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(),
                        "2026-03-02T09:00:00.000Z", 1);
  EXPECT_TRUE(refused.status.ok()) << refused.status.message();
  ASSERT_TRUE(refused.refusal.has_value());
  EXPECT_FALSE(refused.committed());
  EXPECT_TRUE(refused.events.empty());
  EXPECT_EQ(refused.state->version, 1);
  EXPECT_DATABASE_UNCHANGED(path_, before);

  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  EXPECT_EQ(CountRows(db, "events"), 1);
  EXPECT_EQ(CountRows(db, "product_versions"), 0);
  EXPECT_EQ(CountRows(db, "deadlines"), 0);
  storage::sql::Statement version(db, "SELECT version, state FROM processes WHERE id = ?");
  version.bind(1, id);
  ASSERT_TRUE(version.executeStep());
  EXPECT_EQ(version.getColumn(0).getInt64(), 1);
  EXPECT_EQ(version.getColumn(1).getString(), "kaders");

  // The process goes on normally after the refusal.
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, WholeStandardProcess(id)[1]));
}

TEST_F(ProjectionTest, SavingIdenticalContentWritesNothing) {
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, WholeStandardProcess(id)[0]));
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, WholeStandardProcess(id)[2]));
  const std::string before = DumpDatabase(path_);

  auto again = Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                      "2026-03-02T10:00:00.000Z", 2);
  EXPECT_TRUE(again.committed()) << again.status.message()
                                 << (again.refusal ? again.refusal->detail : "");
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(again.state->version, 2);
  EXPECT_DATABASE_UNCHANGED(path_, before);
  ASSERT_NO_FATAL_FAILURE(CheckStored(org_a_, id));
}

TEST_F(ProjectionTest, StaleVersionIsRefusedWithAbortedAndWritesNothing) {
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, WholeStandardProcess(id)[0]));
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, WholeStandardProcess(id)[1]));
  const std::string before = DumpDatabase(path_);

  for (std::int64_t stale : {0, 1, 3}) {
    auto result = Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                         "2026-03-02T10:00:00.000Z", stale);
    EXPECT_EQ(result.status.code(), Code::kAborted) << "expected_version " << stale;
    EXPECT_NE(result.status.message().find("nu versie 2"), std::string::npos)
        << result.status.message();
    EXPECT_TRUE(result.events.empty());
    EXPECT_DATABASE_UNCHANGED(path_, before);
  }
  ASSERT_NO_FATAL_FAILURE(CheckStored(org_a_, id));
  // With the right version the same command is accepted.
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, WholeStandardProcess(id)[2]));
}

TEST_F(ProjectionTest, AnotherOrganisationsProcessIsNotFound) {
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  ASSERT_NO_FATAL_FAILURE(Run(org_b_, id, WholeStandardProcess(id)[0]));
  ASSERT_NO_FATAL_FAILURE(Run(org_b_, id, WholeStandardProcess(id)[1]));
  const std::string before = DumpDatabase(path_);

  const std::vector<Command> commands = {
      SaveProduct{"kadernotitie", 0, CompleteKadernotitie()},
      AdoptProduct{"kadernotitie", 0, ""},
      TakeTransition{"naar_gesprek", std::nullopt},
      StopProcess{},
  };
  for (const Command& command : commands) {
    // Right version, a stale one and none: never kAborted, which would reveal the version.
    for (std::optional<std::int64_t> expected :
         {std::optional<std::int64_t>(2), std::optional<std::int64_t>(1),
          std::optional<std::int64_t>()}) {
      auto result =
          SubmitAs(org_a_, id, command, Bestuur(), At("2026-03-03T09:00:00.000Z"), expected);
      EXPECT_EQ(result.status.code(), Code::kNotFound) << result.status.message();
      EXPECT_EQ(result.status.message(), "Proces " + id + " bestaat niet.");
      EXPECT_TRUE(result.events.empty());
    }
  }
  auto system = SubmitAs(org_a_, id, RecordMissedDeadlines{}, Actor::System(),
                         At("2026-12-01T00:00:00.000Z"));
  EXPECT_EQ(system.status.code(), Code::kNotFound);
  EXPECT_DATABASE_UNCHANGED(path_, before);

  EXPECT_EQ(reads_->GetProcess(ScopeOf(org_a_), id).status().code(), Code::kNotFound);
  EXPECT_EQ(reads_->Trail(ScopeOf(org_a_), id).status().code(), Code::kNotFound);
  std::stringstream exported;
  EXPECT_EQ(reads_->ExportTrail(ScopeOf(org_a_), id, exported).code(), Code::kNotFound);
  EXPECT_EQ(exported.str(), "");
  auto listed = reads_->ListProcesses(ScopeOf(org_a_), storage::ProcessListQuery{});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty());

  // Organisation B itself goes on.
  ASSERT_NO_FATAL_FAILURE(Run(org_b_, id, WholeStandardProcess(id)[2]));
}

// processes.assignee holds the current value of the definition's assignee field
// (capaciteit.adviseur), follows every reassignment, and is NULL while nobody is assigned.
TEST_F(ProjectionTest, AssigneeFollowsTheDefinitionsAssigneeField) {
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  auto assignee = [&] {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement row(db, "SELECT assignee FROM processes WHERE id = ?");
    row.bind(1, id);
    EXPECT_TRUE(row.executeStep());
    return OptionalText(row, 0);
  };
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, WholeStandardProcess(id)[0]));
  EXPECT_EQ(assignee(), "NULL");

  nlohmann::json capaciteit = CompleteCapaciteit();
  capaciteit.erase("adviseur");
  ASSERT_NO_FATAL_FAILURE(
      Run(org_a_, id,
          {SaveProduct{"capaciteit", 0, capaciteit}, Manager(), "2026-03-02T09:00:00.000Z"}));
  EXPECT_EQ(assignee(), "NULL");  // a draft without an adviseur assigns nobody

  capaciteit["adviseur"] = "u-eerste";
  ASSERT_NO_FATAL_FAILURE(
      Run(org_a_, id,
          {SaveProduct{"capaciteit", 0, capaciteit}, Manager(), "2026-03-02T10:00:00.000Z"}));
  EXPECT_EQ(assignee(), "u-eerste");

  // Commands on other products keep it.
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id,
                              {SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                               "2026-03-02T11:00:00.000Z"}));
  EXPECT_EQ(assignee(), "u-eerste");

  capaciteit["adviseur"] = "u-tweede";
  ASSERT_NO_FATAL_FAILURE(
      Run(org_a_, id,
          {SaveProduct{"capaciteit", 0, capaciteit}, Manager(), "2026-03-02T12:00:00.000Z"}));
  EXPECT_EQ(assignee(), "u-tweede");

  capaciteit.erase("adviseur");
  ASSERT_NO_FATAL_FAILURE(
      Run(org_a_, id,
          {SaveProduct{"capaciteit", 0, capaciteit}, Manager(), "2026-03-02T13:00:00.000Z"}));
  EXPECT_EQ(assignee(), "NULL");
}

// A definition in which the assignee can change while a deadline is open: the deadline
// follows the process to its new assignee (the overview counts from deadlines.assignee).
TEST_F(ProjectionTest, OpenDeadlinesFollowAReassignment) {
  nlohmann::json document =
      nlohmann::json::parse(ReadRepoFile("workflows/standaard-participatie.json"));
  document["key"] = "herverdeelbaar";
  document["products"][1]["editable_in"] = "*";  // capaciteit, in every open state
  ParsedDefinition parsed = ParseDefinition(document);
  ASSERT_TRUE(parsed.definition.has_value());
  {
    auto db = storage::OpenConnection({path_});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        storage::RegisterWorkflow(**db, *parsed.definition, At("2026-01-01T00:00:00.000Z")).ok());
  }
  ASSERT_NO_FATAL_FAILURE(StartStore());
  const Definition& definition = *parsed.definition;
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  std::vector<Step> steps = WholeStandardProcess(id);
  steps.resize(9);  // up to and including naar_duiden: terugkoppeling is open
  nlohmann::json reassigned = CompleteCapaciteit();
  reassigned["adviseur"] = "u-opvolger";
  steps.push_back(
      {SaveProduct{"capaciteit", 0, reassigned}, Manager(), "2026-03-13T09:00:00.000Z"});
  for (const Step& step : steps) {
    storage::CommandRequest request;
    request.organisation_id = org_a_;
    request.process_id = id;
    request.workflow_key = "herverdeelbaar";
    request.command = step.command;
    request.actor = step.actor;
    request.at = At(step.at);
    auto result = committer_->Submit(std::move(request));
    ASSERT_TRUE(result.committed())
        << result.status.message() << (result.refusal ? result.refusal->detail : "");
    ASSERT_NO_FATAL_FAILURE(ExpectProjectionsMatchTrail(path_, definition, org_a_, id));
  }
  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  storage::sql::Statement row(db, "SELECT assignee, is_open FROM deadlines WHERE process_id = ?");
  row.bind(1, id);
  ASSERT_TRUE(row.executeStep());
  EXPECT_EQ(row.getColumn(0).getString(), "u-opvolger");
  EXPECT_EQ(row.getColumn(1).getInt(), 1);
}

// A database from before the assignee columns (schema 1) has NULL in them. The writer skips
// re-assigning deadlines only when the stored process row already names the new assignee, so
// such a process's next command brings it and its deadlines up to date, even a command that
// does not change who it is assigned to.
TEST_F(ProjectionTest, ACommandBringsAssigneesFromBeforeTheColumnUpToDate) {
  const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
  std::vector<Step> steps = WholeStandardProcess(id);
  steps.resize(10);  // naar_duiden, then the opbrengstendocument: no deadline changes
  for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
    ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, steps[i]));
  }
  committer_.reset();  // as after an upgrade: a new writer with nothing cached
  {
    auto db_owned = RawWriter(path_);
    storage::sql::Database& db = *db_owned;
    db.exec("UPDATE processes SET assignee = NULL; UPDATE deadlines SET assignee = NULL");
  }
  ASSERT_NO_FATAL_FAILURE(StartStore());
  ASSERT_NO_FATAL_FAILURE(Run(org_a_, id, steps.back()));  // neither assignee nor deadlines change

  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  storage::sql::Statement rows(
      db, "SELECT count(*), count(assignee) FROM deadlines WHERE process_id = ?");
  rows.bind(1, id);
  ASSERT_TRUE(rows.executeStep());
  EXPECT_GT(rows.getColumn(0).getInt(), 0);
  EXPECT_EQ(rows.getColumn(1).getInt(), rows.getColumn(0).getInt());  // none left NULL
}

TEST_F(ProjectionTest, ProcessOfADefinitionWithoutAssigneeHasNone) {
  const std::string id = storage::NewProcessId(At("2026-01-05T09:00:00.000Z")).value();
  const std::vector<Step> steps = {
      {navolg::CreateProcess{id, "Participatiebeleid"}, Manager(), "2026-01-05T09:00:00.000Z"},
      {SaveProduct{"beleid", 0, CompleteBeleid(24)}, Adviseur(), "2026-01-06T09:00:00.000Z"},
  };
  for (const Step& step : steps) {
    storage::CommandRequest request;
    request.organisation_id = org_a_;
    request.process_id = id;
    request.workflow_key = "participatiebeleid";
    request.command = step.command;
    request.actor = step.actor;
    request.at = At(step.at);
    auto result = committer_->Submit(std::move(request));
    ASSERT_TRUE(result.committed()) << result.status.message();
  }
  ASSERT_NO_FATAL_FAILURE(ExpectProjectionsMatchTrail(path_, Beleid(), org_a_, id));
  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  storage::sql::Statement row(db, "SELECT assignee IS NULL FROM processes WHERE id = ?");
  row.bind(1, id);
  ASSERT_TRUE(row.executeStep());
  EXPECT_EQ(row.getColumn(0).getInt(), 1);
}

}  // namespace
}  // namespace navolg
