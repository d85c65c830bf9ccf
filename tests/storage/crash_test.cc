// Crash safety: a child process submits commands through the group committer and reports
// each acknowledged one; it is killed with SIGKILL at random moments. After every kill the
// database must hold every acknowledged command, no half-written one, pass SQLite's
// integrity check, and every process's chain must verify.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <sstream>

#include "engine/audit_chain.h"
#include "storage/sql/sqlite.h"
#include "tests/storage/raw_database.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

struct Ack {
  std::string process_id;
  std::int64_t seq;
  std::string marker;
};

// How long a child may take to acknowledge what a run waits for, however slow the machine.
constexpr std::chrono::seconds kPatience{60};

// Reads the child's output from `fd` into `text` until it holds `lines` whole lines; false
// when the child closed its output first (it ended) or `limit` passed.
bool ReadLines(int fd, std::size_t lines, std::chrono::milliseconds limit, std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) < lines) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd ready{fd, POLLIN, 0};
    if (poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return false;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

// Runs the child until it has acknowledged `acks_before_kill` commands, kills it with
// SIGKILL `jitter_us` later and returns everything it acknowledged.
std::vector<Ack> RunAndKill(const std::string& db, std::int64_t organisation, int run,
                            std::size_t acks_before_kill, int jitter_us) {
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
  std::string text;
  EXPECT_TRUE(ReadLines(out[0], acks_before_kill, kPatience, text))
      << "run " << run << ": the child acknowledged " << std::count(text.begin(), text.end(), '\n')
      << " of " << acks_before_kill << " commands, then ended or stalled";
  // Not waiting for anything: the kill then lands anywhere in the writer's cycle, not only
  // right after an acknowledgement.
  usleep(static_cast<useconds_t>(jitter_us));
  kill(child, SIGKILL);
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
    const auto acks_before_kill = std::uniform_int_distribution<std::size_t>(10, 60)(random);
    const int jitter_us = std::uniform_int_distribution<int>(0, 20'000)(random);
    auto acks = RunAndKill(path_, org_a_, run, acks_before_kill, jitter_us);
    all_acks.insert(all_acks.end(), acks.begin(), acks.end());

    auto db_owned = RawWriter(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement integrity(db, "PRAGMA integrity_check");
    ASSERT_TRUE(integrity.executeStep());
    ASSERT_EQ(integrity.getColumn(0).getString(), "ok") << "after kill " << run;

    // Every acknowledged command is there (markers are unique per command).
    for (const Ack& ack : all_acks) {
      storage::sql::Statement event(db, "SELECT line FROM events WHERE process_id = ? AND seq = ?");
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
    storage::sql::Statement processes(
        db,
        "SELECT p.id, p.version, p.head_hash, (SELECT max(seq) FROM events e "
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
    storage::sql::Statement orphans(
        db,
        "SELECT (SELECT count(*) FROM events WHERE type = 'product.saved') - "
        "(SELECT count(*) FROM product_versions)");
    ASSERT_TRUE(orphans.executeStep());
    EXPECT_EQ(orphans.getColumn(0).getInt64(), 0) << "after kill " << run;
  }
  std::set<std::string> processes;
  for (const Ack& ack : all_acks) processes.insert(ack.process_id);
  std::printf("crash test: %d kills, %zu acknowledged commands on %zu processes, 0 lost\n", kKills,
              all_acks.size(), processes.size());
}

}  // namespace
}  // namespace navolg
