// Rule 8 of storage/group_committer.h on PostgreSQL (registered for the PostgreSQL run only):
// a command that needs a process row another node holds, and is not its batch's first, is
// put back for the next batch instead of failing; its batch commits the rest.
#include <future>

#include "tests/storage/raw_database.h"
#include "tests/storage/store_fixture.h"

namespace navolg {
namespace {

using namespace navolg::testing;

using PostgresLockTest = StoreFixture;

TEST_F(PostgresLockTest, ACommandOnARowAnotherNodeHoldsWaitsForTheNextBatch) {
  const std::string held = CreateProcess("Vastgehouden");
  // "Another node": a connection of its own holding the process's row in an open transaction.
  auto other = RawWriter(path_);
  other->exec("BEGIN");
  other->exec("SELECT id FROM processes WHERE id = '" + held + "' FOR UPDATE");

  // The batch's first item is a task that holds the batch open until the command is queued,
  // so that the command joins this batch as its second.
  std::promise<void> running, queued;
  std::future<void> is_queued = queued.get_future();
  std::future<Status> task = std::async(std::launch::async, [&] {
    return committer_->RunTask([&](storage::WriteConnection&) {
      running.set_value();
      is_queued.wait();
    });
  });
  running.get_future().wait();
  storage::CommandRequest request;
  request.organisation_id = org_a_;
  request.process_id = held;
  request.workflow_key = "standaard-participatie";
  request.command = SaveProduct{"kadernotitie", 0, CompleteKadernotitie()};
  request.actor = Adviseur();
  request.at = At("2026-03-02T09:00:00.000Z");
  std::future<storage::CommandResult> command = committer_->SubmitAsync(std::move(request));
  queued.set_value();

  EXPECT_TRUE(task.get().ok());  // the batch committed without the held command
  ASSERT_EQ(command.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "answered while the row was held";
  EXPECT_GE(committer_->stats().deferred, 1u);
  other->exec("COMMIT");  // the other node lets go
  const storage::CommandResult result = command.get();
  EXPECT_TRUE(result.committed()) << result.status.message();
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events[0].seq, 2);
}

}  // namespace
}  // namespace navolg
