// A real SQLite file in a fresh temporary folder with both reference workflows registered,
// an organisation "gemeente-a" (and "gemeente-b"), and a group committer plus read store on it.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/directory.h"
#include "storage/group_committer.h"
#include "storage/read_store.h"
#include "tests/engine/test_support.h"
#include "tests/postgres/test_postgres.h"
#include "tests/storage/process_walks.h"

namespace navolg::testing {

// The scope of a stored organisation, for reading what a test wrote in it.
inline storage::OrganisationScope ScopeOf(std::int64_t organisation_id) {
  return storage::OrganisationScope::Of(organisation_id).value();
}

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("navolg-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = test_postgres::DatabaseForTest((dir_ / "navolg.db").string());
    auto db = storage::OpenConnection({path_});
    ASSERT_TRUE(db.ok()) << db.status().message();
    for (const char* key : {"standaard-participatie", "participatiebeleid"}) {
      ASSERT_TRUE(
          storage::RegisterWorkflow(**db, LoadWorkflow(key), At("2026-01-01T00:00:00.000Z")).ok());
    }
    auto a =
        storage::AddOrganisation(**db, "gemeente-a", "Gemeente A", At("2026-01-01T00:00:00.000Z"));
    auto b =
        storage::AddOrganisation(**db, "gemeente-b", "Gemeente B", At("2026-01-01T00:00:00.000Z"));
    ASSERT_TRUE(a.ok() && b.ok());
    org_a_ = a->id;
    org_b_ = b->id;
    StartStore();
  }

  void TearDown() override {
    reads_.reset();
    committer_.reset();
    std::filesystem::remove_all(dir_);
    test_postgres::DropDatabaseForTest();
  }

  void StartStore(storage::CommitterOptions options = {}) {
    reads_.reset();
    committer_.reset();
    auto committer = storage::GroupCommitter::Start({path_}, options);
    ASSERT_TRUE(committer.ok()) << committer.status().message();
    committer_ = std::move(*committer);
    auto reads = storage::ReadStore::Open(path_, committer_->catalog());
    ASSERT_TRUE(reads.ok()) << reads.status().message();
    reads_ = std::move(*reads);
  }

  // As StartStore, with database options of the test's choosing (the path is the fixture's).
  void StartStoreWith(storage::DatabaseOptions database, storage::CommitterOptions options = {}) {
    reads_.reset();
    committer_.reset();
    database.path = path_;
    auto committer = storage::GroupCommitter::Start(database, options);
    ASSERT_TRUE(committer.ok()) << committer.status().message();
    committer_ = std::move(*committer);
    auto reads = storage::ReadStore::Open(path_, committer_->catalog());
    ASSERT_TRUE(reads.ok()) << reads.status().message();
    reads_ = std::move(*reads);
  }

  storage::CommandResult Submit(const std::string& process_id, Command command, Actor actor,
                                const char* at, std::optional<std::int64_t> expected = {}) {
    storage::CommandRequest request;
    request.organisation_id = org_a_;
    request.process_id = process_id;
    request.workflow_key = "standaard-participatie";
    request.expected_version = expected;
    request.command = std::move(command);
    request.actor = std::move(actor);
    request.at = At(at);
    return committer_->Submit(std::move(request));
  }

  // Submit for any organisation, at any instant.
  storage::CommandResult SubmitAs(std::int64_t organisation_id, const std::string& process_id,
                                  Command command, Actor actor, Time at,
                                  std::optional<std::int64_t> expected = {}) {
    storage::CommandRequest request;
    request.organisation_id = organisation_id;
    request.process_id = process_id;
    request.workflow_key = "standaard-participatie";
    request.expected_version = expected;
    request.command = std::move(command);
    request.actor = std::move(actor);
    request.at = at;
    return committer_->Submit(std::move(request));
  }

  // A standard process of organisation A walked to afgerond, to gestopt or a few steps into
  // kaders (tests/storage/process_walks.h); its id.
  std::string Walk(const char* title, WalkEnd end) {
    const std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
    for (const WalkStep& step : WalkOfProcess(id, title, end)) {
      auto result = SubmitAs(org_a_, id, step.command, step.actor, At(step.at));
      EXPECT_TRUE(result.committed()) << step.at << ": " << result.status.message();
    }
    return id;
  }

  // Creates a standard process in organisation A and returns its id.
  std::string CreateProcess(const std::string& title = "Marktplein") {
    std::string id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
    auto result =
        Submit(id, navolg::CreateProcess{id, title}, Adviseur(), "2026-03-01T09:00:00.000Z");
    EXPECT_TRUE(result.committed()) << result.status.message();
    return id;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::int64_t org_a_ = 0;
  std::int64_t org_b_ = 0;
  std::unique_ptr<storage::GroupCommitter> committer_;
  std::unique_ptr<storage::ReadStore> reads_;
};

// The bytes of a file ("" if it cannot be read).
inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Waits for every future. A thread that does not finish within `limit` hangs; since it cannot
// be joined, the test records the failure and aborts instead of waiting forever.
template <typename T>
std::vector<T> AllWithin(std::vector<std::future<T>>& futures, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::vector<T> results;
  for (auto& future : futures) {
    if (future.wait_until(deadline) != std::future_status::ready) {
      ADD_FAILURE() << "a submitter hangs";
      std::abort();
    }
    results.push_back(future.get());
  }
  return results;
}

}  // namespace navolg::testing
