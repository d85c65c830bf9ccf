// Item 6 and 7 of issue 13: reads load the kept state instead of replaying the trail, check it
// cheaply against the trail's end, and a full check (CheckIntegrity) compares every chain and
// projection with a replay, marking what does not verify. The database is edited behind
// navolg's back with plain SQL, as someone with access to the file would.
#include "engine/state_codec.h"
#include "storage/integrity_check.h"
#include "storage/sql/sqlite.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"
#include "tests/storage/tamper.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class IntegrityTest : public StoreFixture {
 protected:
  // A process with `saves` versions of the kadernotitie: 1 + saves events.
  std::string ProcessWithSaves(int saves) {
    const std::string id = CreateProcess();
    for (int i = 1; i <= saves; ++i) {
      nlohmann::json text = CompleteKadernotitie();
      text["doel"] = "Versie " + std::to_string(i);
      auto result =
          Submit(id, SaveProduct{"kadernotitie", 0, text}, Adviseur(), "2026-03-02T09:00:00.000Z");
      EXPECT_TRUE(result.committed()) << result.status.message();
    }
    return id;
  }

  void Tamper(const std::string& sql) { TamperWithDatabase(path_, sql); }

  std::string Line(const std::string& id, int seq) {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement query(db, "SELECT line FROM events WHERE process_id = ? AND seq = ?");
    query.bind(1, id);
    query.bind(2, seq);
    EXPECT_TRUE(query.executeStep());
    return query.getColumn(0).getString();
  }

  void SetLine(const std::string& id, int seq, const std::string& line) {
    std::string quoted;  // an SQL string literal
    for (char c : line) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    Tamper("UPDATE events SET line = '" + quoted + "' WHERE process_id = '" + id +
           "' AND seq = " + std::to_string(seq));
  }

  storage::IntegrityReport Check(const std::string& only = "") {
    auto db = storage::OpenConnection({path_});
    EXPECT_TRUE(db.ok());
    storage::IntegrityOptions options;
    options.process_id = only;
    options.now = At("2026-03-03T09:00:00.000Z");
    auto report = storage::CheckIntegrity(**db, options);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : storage::IntegrityReport{};
  }

  // The doel of the kadernotitie as a read gives it.
  std::string DoelRead(const std::string& id) {
    auto record = reads_->GetProcess(ScopeOf(org_a_), id);
    EXPECT_TRUE(record.ok()) << record.status().message();
    if (!record.ok()) return "";
    return record->state.Instances("kadernotitie").at(0).current.content["doel"];
  }
};

TEST_F(IntegrityTest, AReadGivesWhatAReplayOfTheTrailGives) {
  const std::string id = ProcessWithSaves(5);
  auto record = reads_->GetProcess(ScopeOf(org_a_), id);
  ASSERT_TRUE(record.ok()) << record.status().message();
  auto trail = reads_->GetTrail(ScopeOf(org_a_), id);
  ASSERT_TRUE(trail.ok());
  EXPECT_FALSE(trail->damage);
  auto replayed = Replay(*trail->definition, trail->events);
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(EncodeState(record->state), EncodeState(*replayed));
  for (const auto& [product, instances] : replayed->products) {
    ASSERT_EQ(record->state.Instances(product).size(), instances.size());
    for (std::size_t i = 0; i < instances.size(); ++i) {
      EXPECT_EQ(record->state.Instances(product)[i].current.content, instances[i].current.content)
          << product << " " << i + 1;
    }
  }
  EXPECT_EQ(DoelRead(id), "Versie 5");
}

TEST_F(IntegrityTest, AReadDoesNotReplayTheTrail) {
  // An edit in the middle of the trail that only a replay would meet: the read still answers
  // from the kept state, while the report's read of the whole trail sees the damage.
  const std::string id = ProcessWithSaves(4);
  std::string line = Line(id, 3);
  const std::size_t at = line.find("Versie 2");
  ASSERT_NE(at, std::string::npos);
  line.replace(at, 8, "Versie X");
  SetLine(id, 3, line);
  EXPECT_EQ(DoelRead(id), "Versie 4");
  auto trail = reads_->GetTrail(ScopeOf(org_a_), id);
  ASSERT_TRUE(trail.ok());
  ASSERT_TRUE(trail->damage);
  EXPECT_NE(trail->damage->find("gebeurtenis 3: de hash klopt niet"), std::string::npos)
      << *trail->damage;
  EXPECT_EQ(trail->events.size(), 2u) << "the report is built on the events that verify";
}

TEST_F(IntegrityTest, TheFullCheckMarksAnEditedMiddleEventAndTheProcessRefusesCommands) {
  const std::string id = ProcessWithSaves(4);
  const std::string intact = ProcessWithSaves(1);
  std::string line = Line(id, 3);
  line.replace(line.find("Versie 2"), 8, "Versie X");
  SetLine(id, 3, line);

  storage::IntegrityReport report = Check();
  EXPECT_EQ(report.fully_checked, 2);
  EXPECT_EQ(report.damaged, 1);
  ASSERT_EQ(report.processes.size(), 2u);
  EXPECT_EQ(report.processes[0].process_id, id) << "damaged processes come first";
  ASSERT_TRUE(report.processes[0].damage);
  EXPECT_NE(report.processes[0].damage->find("gebeurtenis 3"), std::string::npos);
  EXPECT_EQ(report.processes[0].events, 2);
  EXPECT_FALSE(report.processes[1].damage);
  EXPECT_EQ(report.processes[1].events, 2);

  auto read = reads_->GetProcess(ScopeOf(org_a_), id);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kDamaged);
  EXPECT_NE(read.status().message().find("gebeurtenis 3"), std::string::npos);
  const std::string before = DumpDatabase(path_);
  auto command = Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                        "2026-03-04T09:00:00.000Z");
  EXPECT_FALSE(command.committed());
  EXPECT_EQ(command.status.code(), Code::kDamaged);
  EXPECT_DATABASE_UNCHANGED(path_, before);
  // The other process goes on.
  EXPECT_TRUE(Submit(intact, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                     "2026-03-04T09:00:00.000Z")
                  .committed());
}

TEST_F(IntegrityTest, ARestoredProcessLosesItsMark) {
  const std::string id = ProcessWithSaves(3);
  const std::string original = Line(id, 2);
  std::string line = original;
  line.replace(line.find("Versie 1"), 8, "Versie X");
  SetLine(id, 2, line);
  EXPECT_EQ(Check().damaged, 1);
  SetLine(id, 2, original);  // restored from a backup
  storage::IntegrityReport again = Check(id);
  EXPECT_EQ(again.damaged, 0);
  EXPECT_EQ(DoelRead(id), "Versie 3");
  EXPECT_TRUE(Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                     "2026-03-04T09:00:00.000Z")
                  .committed());
}

TEST_F(IntegrityTest, AnEditedLastEventIsDamagedOnTheNextRead) {
  const std::string id = ProcessWithSaves(2);
  std::string line = Line(id, 3);
  line.replace(line.find("Versie 2"), 8, "Versie X");
  // Re-hashed, so that its own seal holds: only the kept head tells.
  auto event = EventFromJson(nlohmann::json::parse(line));
  ASSERT_TRUE(event.ok());
  ASSERT_TRUE(SealEvent(*event).ok());
  SetLine(id, 3, ExportLine(*event).value());

  auto read = reads_->GetProcess(ScopeOf(org_a_), id);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kDamaged);
  EXPECT_NE(read.status().message().find("de hash van gebeurtenis 3"), std::string::npos)
      << read.status().message();
  // A restarted writer, which has nothing cached, refuses the process's next command too.
  StartStore();
  auto command = Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                        "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(command.status.code(), Code::kDamaged) << command.status.message();
}

TEST_F(IntegrityTest, AnEditedProductTextIsDamagedOnTheNextRead) {
  const std::string id = ProcessWithSaves(2);
  Tamper(
      "UPDATE product_versions SET content = replace(content, 'Versie 2', 'Versie X') "
      "WHERE process_id = '" +
      id + "'");
  auto read = reads_->GetProcess(ScopeOf(org_a_), id);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kDamaged);
  EXPECT_NE(read.status().message().find("de tekst van kadernotitie 1 versie 2 is gewijzigd"),
            std::string::npos)
      << read.status().message();
  EXPECT_EQ(Check().damaged, 1);
}

TEST_F(IntegrityTest, AnEditedRowIsFoundByTheFullCheck) {
  const std::string id = ProcessWithSaves(1);
  Tamper("UPDATE processes SET state = 'besluit' WHERE id = '" + id + "'");
  storage::IntegrityReport report = Check();
  ASSERT_EQ(report.damaged, 1);
  EXPECT_NE(report.processes[0].damage->find("opgeslagen fase 'besluit'"), std::string::npos)
      << *report.processes[0].damage;
}

TEST_F(IntegrityTest, ARewrittenRowHeadMakesTheWriterLoadAndRefuse) {
  // The row names another head than the state the writer cached: it loads, checks, refuses.
  const std::string id = ProcessWithSaves(2);
  Tamper("UPDATE processes SET head_hash = '" + std::string(64, 'a') + "' WHERE id = '" + id + "'");
  auto command = Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                        "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(command.status.code(), Code::kDamaged) << command.status.message();
}

TEST_F(IntegrityTest, AProcessWithoutASnapshotIsReplayedAndGetsOneWithItsNextCommand) {
  // As a database written before snapshots existed.
  const std::string id = ProcessWithSaves(2);
  Tamper("DELETE FROM process_snapshots");
  StartStore();
  EXPECT_EQ(DoelRead(id), "Versie 2");
  EXPECT_EQ(Check().damaged, 0);
  nlohmann::json text = CompleteKadernotitie();
  text["doel"] = "Versie 3";
  ASSERT_TRUE(
      Submit(id, SaveProduct{"kadernotitie", 0, text}, Adviseur(), "2026-03-04T09:00:00.000Z")
          .committed());
  ExpectProjectionsMatchTrail(path_, LoadWorkflow("standaard-participatie"), org_a_, id);
  EXPECT_EQ(DoelRead(id), "Versie 3");
}

TEST_F(IntegrityTest, EventsComeInPagesByKeyset) {
  const std::string id = ProcessWithSaves(24);  // 25 events
  auto first = reads_->Events(ScopeOf(org_a_), id, 0, 10);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->events.size(), 10u);
  EXPECT_EQ(first->events.front().seq, 1);
  EXPECT_EQ(first->next, 10);
  auto last = reads_->Events(ScopeOf(org_a_), id, 20, 10);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->events.size(), 5u);
  EXPECT_EQ(last->events.front().seq, 21);
  EXPECT_FALSE(last->next);
  auto exact = reads_->Events(ScopeOf(org_a_), id, 15, 10);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->events.size(), 10u);
  EXPECT_FALSE(exact->next) << "no empty page after the last event";
  auto beyond = reads_->Events(ScopeOf(org_a_), id, 99, 10);
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->events.empty());
  EXPECT_EQ(reads_->Events(ScopeOf(org_b_), id, 0, 10).status().code(), Code::kNotFound);

  // An edited event in a page is found there.
  std::string line = Line(id, 12);
  line.replace(line.find("Versie"), 6, "versie");
  SetLine(id, 12, line);
  EXPECT_TRUE(reads_->Events(ScopeOf(org_a_), id, 0, 10).ok());
  EXPECT_EQ(reads_->Events(ScopeOf(org_a_), id, 10, 10).status().code(), Code::kDamaged);
}

}  // namespace
}  // namespace navolg
