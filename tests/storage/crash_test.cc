// Crash safety: a child process submits commands through the group committer and reports
// each acknowledged one; it is killed with SIGKILL at random moments. After every kill the
// database must hold every acknowledged command, no half-written one, pass SQLite's
// integrity check, and every process's chain must verify.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>
#include <sstream>

#include <SQLiteCpp/Statement.h>

#include "engine/audit_chain.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

struct Ack {
  std::string process_id;
  std::int64_t seq;
  std::string marker;
};

// Runs the child for `run_ms`, kills it with SIGKILL and returns what it acknowledged.
std::vector<Ack> RunAndKill(const std::string& db, std::int64_t organisation, int run,
                            int run_ms) {
  int out[2];
  if (pipe(out) != 0) ADD_FAILURE() << "pipe";
  pid_t child = fork();
  if (child == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    const std::string org = std::to_string(organisation), run_text = std::to_string(run);
    execl(NAVOLG_CRASH_CHILD, NAVOLG_CRASH_CHILD, db.c_str(), org.c_str(), run_text.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  usleep(static_cast<useconds_t>(run_ms) * 1000);
  kill(child, SIGKILL);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  close(out[0]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child ended by itself (status " << status << ")";
  std::vector<Ack> acks;
  std::istringstream lines(text);
  for (std::string word; lines >> word;) {
    Ack ack;
    if (word != "ACK" || !(lines >> ack.process_id >> ack.seq >> ack.marker)) break;
    acks.push_back(ack);
  }
  return acks;
}

class CrashTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    // The child is the only writer.
    reads_.reset();
    committer_.reset();
  }
};

TEST_F(CrashTest, NoAcknowledgedCommandIsLostAcrossSigkills) {
  constexpr int kKills = 24;
  std::mt19937 random(20261129);
  std::vector<Ack> all_acks;
  for (int run = 0; run < kKills; ++run) {
    const int run_ms = std::uniform_int_distribution<int>(100, 400)(random);
    auto acks = RunAndKill(path_, org_a_, run, run_ms);
    all_acks.insert(all_acks.end(), acks.begin(), acks.end());

    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    SQLite::Statement integrity(db, "PRAGMA integrity_check");
    ASSERT_TRUE(integrity.executeStep());
    ASSERT_EQ(integrity.getColumn(0).getString(), "ok") << "after kill " << run;

    // Every acknowledged command is there (markers are unique per command).
    for (const Ack& ack : all_acks) {
      SQLite::Statement event(db, "SELECT line FROM events WHERE process_id = ? AND seq = ?");
      event.bind(1, ack.process_id);
      event.bind(2, ack.seq);
      ASSERT_TRUE(event.executeStep()) << "lost: " << ack.process_id << " seq " << ack.seq;
      if (ack.marker != "created") {
        EXPECT_NE(event.getColumn(0).getString().find(ack.marker), std::string::npos)
            << ack.process_id << " seq " << ack.seq << " does not hold " << ack.marker;
      }
    }
    // No half-written command: each process row agrees with its trail, each product.saved
    // event has its product version, and each trail verifies.
    SQLite::Statement processes(
        db, "SELECT p.id, p.version, p.head_hash, (SELECT max(seq) FROM events e "
            "WHERE e.process_id = p.id) FROM processes p");
    auto reads = storage::ReadStore::Open(path_, nullptr);
    ASSERT_TRUE(reads.ok()) << reads.status().message();
    while (processes.executeStep()) {
      const std::string id = processes.getColumn(0).getString();
      EXPECT_EQ(processes.getColumn(1).getInt64(), processes.getColumn(3).getInt64()) << id;
      std::stringstream trail;
      ASSERT_TRUE((*reads)->ExportTrailOfAnyOrganisation(id, trail).ok());
      VerifyReport report = VerifyExport(trail);
      EXPECT_TRUE(report.intact) << id << ": " << report.reason;
      EXPECT_EQ(report.head_hash, processes.getColumn(2).getString()) << id;
    }
    SQLite::Statement orphans(
        db, "SELECT (SELECT count(*) FROM events WHERE type = 'product.saved') - "
            "(SELECT count(*) FROM product_versions)");
    ASSERT_TRUE(orphans.executeStep());
    EXPECT_EQ(orphans.getColumn(0).getInt64(), 0) << "after kill " << run;
  }
  std::set<std::string> processes;
  for (const Ack& ack : all_acks) processes.insert(ack.process_id);
  std::printf("crash test: %d kills, %zu acknowledged commands on %zu processes, 0 lost\n",
              kKills, all_acks.size(), processes.size());
  EXPECT_GT(all_acks.size(), static_cast<std::size_t>(kKills) * 10)
      << "the child acknowledged too little to test anything";
}

}  // namespace
}  // namespace navolg
