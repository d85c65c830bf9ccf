// Bad ground under the store: files that are not databases, a damaged database, a full one,
// a read-only one, and a queue that is full. Each is refused or reported in Dutch an operator
// can act on, never crashes, and never leaves half a command behind.
#include <fcntl.h>
#include <linux/fs.h>
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <random>
#include <sstream>

#include "engine/audit_chain.h"
#include "tests/storage/projection_check.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string RandomBytes(std::size_t size, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xff);
  return bytes;
}

enum class Immutable { kOn, kOff };

// Sets or clears FS_IMMUTABLE_FL (chattr +i); false where the file system or the process's
// capabilities do not allow it.
bool SetImmutable(const std::string& path, Immutable immutable) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return false;
  int flags = 0;
  bool done = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  if (done) {
    flags = immutable == Immutable::kOn ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    done = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  }
  ::close(fd);
  return done;
}

class BadInputTest : public StoreFixture {
 protected:
  void CloseStore() {
    reads_.reset();
    committer_.reset();
  }

  // Expects OpenForWriting and GroupCommitter::Start to refuse `path` as "not a SQLite
  // database" and to leave it, and the folder, exactly as they were.
  void ExpectRefusedAsNotSqlite(const std::string& path) {
    const std::string bytes = ReadBytes(path);
    const auto files_before = std::distance(std::filesystem::directory_iterator(dir_),
                                            std::filesystem::directory_iterator());
    auto opened = storage::OpenForWriting({path});
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(
        opened.status().message(),
        "database '" + path + "': het bestand is geen SQLite-database; navolg laat het ongemoeid.");
    auto started = storage::GroupCommitter::Start({path}, {});
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(started.status().message(), opened.status().message());
    auto reading = storage::ReadStore::Open(path, nullptr);
    ASSERT_FALSE(reading.ok());
    EXPECT_EQ(reading.status().code(), Code::kFailedPrecondition);
    EXPECT_EQ(ReadBytes(path), bytes) << "the file was modified";
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                            std::filesystem::directory_iterator()),
              files_before)
        << "files were created beside it";
  }

  // Every process in the database: its chain verifies and its row is at its last event.
  void ExpectEveryTrailIntact() {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement processes(db,
                                      "SELECT p.id, p.version, (SELECT max(seq) FROM events e "
                                      "WHERE e.process_id = p.id) FROM processes p");
    while (processes.executeStep()) {
      const std::string id = processes.getColumn(0).getString();
      SCOPED_TRACE(id);
      EXPECT_EQ(processes.getColumn(1).getInt64(), processes.getColumn(2).getInt64());
      std::stringstream exported;
      ASSERT_TRUE(reads_->ExportTrailOfAnyOrganisation(id, exported).ok());
      VerifyReport report = VerifyExport(exported);
      EXPECT_TRUE(report.intact) << report.reason;
      EXPECT_EQ(report.events, processes.getColumn(1).getInt64());
    }
    storage::sql::Statement orphans(db,
                                    "SELECT count(*) FROM events WHERE process_id NOT IN "
                                    "(SELECT id FROM processes)");
    orphans.executeStep();
    EXPECT_EQ(orphans.getColumn(0).getInt64(), 0);
    storage::sql::Statement check(db, "PRAGMA integrity_check");
    std::vector<std::string> problems;
    while (check.executeStep()) {
      const std::string line = check.getColumn(0).getString();
      if (line != "ok") problems.push_back(line);
    }
    EXPECT_TRUE(problems.empty()) << problems.front();
  }
};

TEST_F(BadInputTest, RandomBytesAreRefusedAsNotADatabase) {
  const std::string path = (dir_ / "willekeurig.db").string();
  WriteBytes(path, RandomBytes(3 * 4096 + 17, 20261129));
  ASSERT_NO_FATAL_FAILURE(ExpectRefusedAsNotSqlite(path));
}

TEST_F(BadInputTest, TextFileIsRefusedAsNotADatabase) {
  for (const char* text :
       {"Notulen van de raadsvergadering.\n",
        "Dit is geen database, maar een lange tekst over participatie in de gemeente.\n"
        "Regel twee van de tekst, met nog meer woorden om over de honderd bytes te komen.\n"}) {
    const std::string path = (dir_ / "notulen.txt").string();
    WriteBytes(path, text);
    SCOPED_TRACE(text);
    ASSERT_NO_FATAL_FAILURE(ExpectRefusedAsNotSqlite(path));
  }
}

// Pages 2.. of a valid database overwritten with garbage (page 1, with the header and the
// start of the schema, intact). What happens, as documented here: GroupCommitter::Start
// refuses with kDataLoss, because reading the schema already hits the damage; the file stays
// as it was. ReadStore::Open only reads the header, so it opens, but every read reports
// kDataLoss. Nothing crashes (this runs under ASan and UBSan).
TEST_F(BadInputTest, DamagedDatabaseIsRefusedAsDamaged) {
  for (int i = 0; i < 3; ++i) {
    const std::string id = CreateProcess("Proces " + std::to_string(i));
    ASSERT_TRUE(Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                       "2026-03-02T09:00:00.000Z", 1)
                    .committed());
  }
  CloseStore();
  std::int64_t page_size = 0;
  {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement query(db, "PRAGMA page_size");
    query.executeStep();
    page_size = query.getColumn(0).getInt64();
  }
  const std::string intact = ReadBytes(path_);
  ASSERT_GT(intact.size(), static_cast<std::size_t>(page_size) * 4);
  const std::string damaged =
      intact.substr(0, page_size) + RandomBytes(intact.size() - page_size, 7);
  WriteBytes(path_, damaged);

  const std::string expected =
      "database '" + path_ + "': de database is beschadigd (database disk image is malformed).";
  auto started = storage::GroupCommitter::Start({path_}, {});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), Code::kDataLoss);
  EXPECT_EQ(started.status().message(), expected);
  auto opened = storage::OpenForWriting({path_});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Code::kDataLoss);
  EXPECT_EQ(opened.status().message(), expected);
  EXPECT_TRUE(ReadBytes(path_) == damaged) << "the damaged file was modified";

  auto reads = storage::ReadStore::Open(path_, nullptr);
  ASSERT_TRUE(reads.ok()) << reads.status().message();
  auto listed = (*reads)->ListProcesses(ScopeOf(org_a_), storage::ProcessListQuery{});
  EXPECT_EQ(listed.status().code(), Code::kDataLoss);
  EXPECT_NE(listed.status().message().find("de database is beschadigd"), std::string::npos)
      << listed.status().message();
  auto record = (*reads)->GetProcess(ScopeOf(org_a_), "p-1");
  EXPECT_EQ(record.status().code(), Code::kDataLoss);
  std::stringstream exported;
  EXPECT_EQ((*reads)->ExportTrailOfAnyOrganisation("p-1", exported).code(), Code::kDataLoss);
  auto deadlines = (*reads)->Deadlines(ScopeOf(org_a_), storage::DeadlineFilter::kOpen,
                                       At("2026-03-02T09:00:00.000Z"), 0, 10);
  EXPECT_EQ(deadlines.status().code(), Code::kDataLoss);
  reads->reset();
  EXPECT_TRUE(ReadBytes(path_) == damaged) << "the damaged file was modified";
}

// A size quota (DatabaseOptions::max_pages) a few pages above the current size; commands
// until one is refused for lack of room. Run for several quotas, so that the limit is hit by
// different statements of a command (its event, its product version, the process row): the
// refused command must leave nothing behind whichever it was.
TEST_F(BadInputTest, FullDatabaseRefusesCommandsWithoutWritingHalfOfOne) {
  CloseStore();
  const std::string empty_database = ReadBytes(path_);
  std::int64_t pages = 0;
  {
    auto db_owned = RawReader(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement query(db, "PRAGMA page_count");
    query.executeStep();
    pages = query.getColumn(0).getInt64();
  }
  const Definition definition = LoadWorkflow("standaard-participatie");
  std::string failed_id;
  std::int64_t failed_version = 0;
  for (std::int64_t extra = 3; extra <= 12; ++extra) {
    SCOPED_TRACE("quota: " + std::to_string(extra) + " pages more");
    WriteBytes(path_, empty_database);
    ASSERT_NO_FATAL_FAILURE(StartStoreWith({"", storage::Durability::kFull, pages + extra}));

    // Processes with a long kadernotitie each, until the quota is reached.
    std::map<std::string, std::vector<Event>> acked;
    std::optional<storage::CommandResult> full;
    failed_version = 0;
    for (int i = 0; i < 500 && !full; ++i) {
      const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
      nlohmann::json content = CompleteKadernotitie();
      content["doel"] = std::string(3000, static_cast<char>('a' + i % 26)) + std::to_string(i);
      const std::vector<Command> commands = {
          navolg::CreateProcess{id, "Proces " + std::to_string(i)},
          SaveProduct{"kadernotitie", 0, content},
          AdoptProduct{"kadernotitie", 0, ""},
      };
      const std::vector<Actor> actors = {Adviseur(), Adviseur(), Bestuur()};
      for (std::size_t c = 0; c < commands.size(); ++c) {
        auto result = Submit(id, commands[c], actors[c], "2026-03-02T09:00:00.000Z",
                             c == 0 ? std::nullopt : std::optional<std::int64_t>(c));
        if (!result.committed()) {
          full = std::move(result);
          failed_id = id;
          failed_version = static_cast<std::int64_t>(c);
          break;
        }
        for (const Event& event : result.events) acked[event.process_id].push_back(event);
      }
    }
    ASSERT_TRUE(full.has_value()) << "the quota was never reached";
    EXPECT_EQ(full->status.code(), Code::kUnavailable) << full->status.message();
    EXPECT_EQ(full->status.message(),
              "opdracht vastleggen: de schijf of de toegestane databasegrootte is vol; er is "
              "niets vastgelegd.");
    EXPECT_TRUE(full->events.empty());
    EXPECT_EQ(committer_->stats().failed, 1u);

    // Nothing half: the stored trails are exactly the acknowledged events, every chain
    // verifies and every projection matches its trail.
    {
      auto db_owned = RawReader(path_);
      storage::sql::Database& db = *db_owned;
      EXPECT_EQ(CountRows(db, "processes"), static_cast<std::int64_t>(acked.size()));
      for (const auto& [id, events] : acked) {
        std::vector<Event> stored;
        ASSERT_NO_FATAL_FAILURE(ReadStoredEvents(db, id, stored));
        EXPECT_EQ(stored, events) << id;
        ASSERT_NO_FATAL_FAILURE(ExpectProjectionsMatchTrail(path_, definition, org_a_, id));
      }
      storage::sql::Statement version(db,
                                      "SELECT count(*), max(version) FROM processes WHERE id = ?");
      version.bind(1, failed_id);
      ASSERT_TRUE(version.executeStep());
      EXPECT_EQ(version.getColumn(0).getInt64(), failed_version == 0 ? 0 : 1);
      if (failed_version > 0) {
        EXPECT_EQ(version.getColumn(1).getInt64(), failed_version);
      }
    }
    ASSERT_NO_FATAL_FAILURE(ExpectEveryTrailIntact());
    CloseStore();
  }

  // Without the quota the refused command goes through.
  ASSERT_NO_FATAL_FAILURE(StartStore());
  if (failed_version == 0) {
    auto created = Submit(failed_id, navolg::CreateProcess{failed_id, "Na de schoonmaak"},
                          Adviseur(), "2026-03-01T09:00:00.000Z");
    ASSERT_TRUE(created.committed()) << created.status.message();
    failed_version = 1;
  }
  auto saved = Submit(failed_id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                      "2026-03-02T09:00:00.000Z", failed_version);
  ASSERT_TRUE(saved.committed()) << saved.status.message();
  EXPECT_EQ(saved.state->version, failed_version + 1);
  ASSERT_NO_FATAL_FAILURE(ExpectEveryTrailIntact());
}

// As root, permission bits do not stop writes, so the file is made immutable (chattr +i).
// What happens, as documented here: GroupCommitter::Start succeeds (SQLite falls back to a
// read-only connection, and reading works; the command line's export relies on that), and
// every command is answered kFailedPrecondition with a Dutch message about the database.
TEST_F(BadInputTest, ReadOnlyDatabaseRefusesCommandsClearlyAndWritesNothing) {
  const std::string id = CreateProcess();
  CloseStore();
  const std::string bytes = ReadBytes(path_);
  const std::string dump = DumpDatabase(path_);
  struct Restore {
    std::string path;
    bool immutable = false;
    ~Restore() {
      if (immutable) SetImmutable(path, Immutable::kOff);
      ::chmod(path.c_str(), 0644);
    }
  } restore{path_};
  if (::geteuid() != 0) {
    ASSERT_EQ(::chmod(path_.c_str(), 0444), 0);
  } else if (SetImmutable(path_, Immutable::kOn)) {
    restore.immutable = true;
  } else {
    GTEST_SKIP() << "running as root on a file system without chattr +i: cannot make the "
                    "database read-only";
  }

  ASSERT_NO_FATAL_FAILURE(StartStore());
  auto saved = Submit(id, SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
                      "2026-03-02T09:00:00.000Z", 1);
  EXPECT_FALSE(saved.committed());
  EXPECT_EQ(saved.status.code(), Code::kFailedPrecondition);
  EXPECT_EQ(saved.status.message(),
            "opdracht vastleggen: de database kan niet worden geopend of beschreven (attempt to "
            "write a readonly database); controleer pad en rechten.");
  auto created = Submit("p-nieuw", navolg::CreateProcess{"p-nieuw", "Nieuw"}, Adviseur(),
                        "2026-03-02T09:00:00.000Z");
  EXPECT_EQ(created.status.code(), Code::kFailedPrecondition);
  // Reading still works.
  auto process = reads_->GetProcess(ScopeOf(org_a_), id);
  ASSERT_TRUE(process.ok()) << process.status().message();
  EXPECT_EQ(process->summary.version, 1);
  CloseStore();

  EXPECT_TRUE(ReadBytes(path_) == bytes) << "the database file was modified";
  if (restore.immutable) {
    SetImmutable(path_, Immutable::kOff);
    restore.immutable = false;
  }
  ::chmod(path_.c_str(), 0644);
  EXPECT_DATABASE_UNCHANGED(path_, dump);
}

// With room for one queued command and many submitters at once, some are turned away at once
// with kUnavailable ("druk"); nobody waits forever, and whatever was accepted is recorded.
TEST_F(BadInputTest, FullQueueAnswersBusyAtOnceAndLosesNothing) {
  constexpr int kThreads = 16;
  constexpr int kCommandsPerThread = 6;
  storage::CommitterOptions options;
  options.queue_capacity = 1;
  ASSERT_NO_FATAL_FAILURE(StartStore(options));
  std::vector<std::string> ids;
  for (int t = 0; t < kThreads; ++t) ids.push_back(CreateProcess("Proces " + std::to_string(t)));

  struct Outcome {
    std::vector<Event> acked;
    int busy = 0;
    std::vector<std::string> other;  // anything else: a failure of the test
  };
  std::vector<std::future<Outcome>> futures;
  for (int t = 0; t < kThreads; ++t) {
    futures.push_back(std::async(std::launch::async, [this, t, &ids] {
      Outcome outcome;
      for (int i = 0; i < kCommandsPerThread; ++i) {
        nlohmann::json content = CompleteKadernotitie();
        content["doel"] = "Poging " + std::to_string(i);
        auto result = Submit(ids[t], SaveProduct{"kadernotitie", 0, content}, Adviseur(),
                             "2026-03-02T09:00:00.000Z");
        if (result.committed()) {
          outcome.acked.insert(outcome.acked.end(), result.events.begin(), result.events.end());
        } else if (result.status.code() == Code::kUnavailable &&
                   result.status.message().find("druk") != std::string::npos) {
          ++outcome.busy;
        } else {
          outcome.other.push_back(result.status.message());
        }
      }
      return outcome;
    }));
  }
  std::vector<Outcome> outcomes = AllWithin(futures, std::chrono::seconds(120));

  int busy = 0;
  std::size_t accepted = 0;
  auto db_owned = RawReader(path_);
  storage::sql::Database& db = *db_owned;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(outcomes[t].other.empty()) << outcomes[t].other.front();
    busy += outcomes[t].busy;
    accepted += outcomes[t].acked.size();
    // The trail is the creation plus exactly the accepted saves, in order.
    std::vector<Event> stored;
    ASSERT_NO_FATAL_FAILURE(ReadStoredEvents(db, ids[t], stored));
    ASSERT_EQ(stored.size(), outcomes[t].acked.size() + 1);
    EXPECT_EQ(std::vector<Event>(stored.begin() + 1, stored.end()), outcomes[t].acked);
  }
  EXPECT_GE(busy, 1) << "no submitter was turned away";
  EXPECT_EQ(busy + static_cast<int>(accepted), kThreads * kCommandsPerThread);
  EXPECT_EQ(committer_->stats().rejected_busy, static_cast<std::uint64_t>(busy));
  ASSERT_NO_FATAL_FAILURE(ExpectEveryTrailIntact());
}

}  // namespace
}  // namespace navolg
