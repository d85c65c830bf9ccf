// The test run's PostgreSQL cluster, as a test finds it: the address that
// tests/postgres/cluster.sh wrote into the folder named by NAVOLG_TEST_POSTGRES (CTest sets it
// for tests that require the `postgres` fixture). Without it a test skips, except under
// CI=true, where a test that needs PostgreSQL and cannot have it fails.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "storage/sql/postgres.h"

namespace navolg::test_postgres {

inline constexpr const char* kSkipReason =
    "no PostgreSQL cluster for this run (NAVOLG_TEST_POSTGRES; see tests/postgres/cluster.sh)";

inline std::optional<std::string> Address() {
  const char* state = std::getenv("NAVOLG_TEST_POSTGRES");
  std::string address;
  if (state != nullptr) {
    std::ifstream file(std::string(state) + "/address");
    std::getline(file, address);
  }
  if (address.empty()) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true")
      ADD_FAILURE() << kSkipReason << " under CI=true";
    return std::nullopt;
  }
  return address;
}

// A new, empty database of its own on the run's cluster (dropped first if a previous run left
// it), for a test that needs the public schema to itself; its address, or nothing (see
// Address()).
inline std::optional<std::string> FreshDatabase(const std::string& name) {
  const auto address = Address();
  if (!address) return std::nullopt;
  storage::sql::PostgresDatabase admin(*address);
  admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  admin.exec("CREATE DATABASE " + name);
  return address->substr(0, address->rfind('/') + 1) + name;
}

}  // namespace navolg::test_postgres
