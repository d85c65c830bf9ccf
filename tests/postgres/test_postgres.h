// The test run's PostgreSQL cluster, as a test finds it: the address that
// tests/postgres/cluster.sh wrote into the folder named by NAVOLG_TEST_POSTGRES (CTest sets it
// for tests that require the `postgres` fixture). Without it a test skips, except under
// CI=true, where a test that needs PostgreSQL and cannot have it fails.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "storage/sql/postgres.h"

namespace navolg::test_postgres {

inline constexpr const char* kSkipReason =
    "no PostgreSQL cluster for this run (NAVOLG_TEST_POSTGRES; see tests/postgres/cluster.sh)";

// Whether this run tests the PostgreSQL backend: the storage and HTTP suites run once on
// SQLite files and once more with NAVOLG_TEST_BACKEND=postgres (tests/CMakeLists.txt).
inline bool PostgresUnderTest() {
  const char* backend = std::getenv("NAVOLG_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

inline std::optional<std::string> Address() {
  const char* state = std::getenv("NAVOLG_TEST_POSTGRES");
#ifdef NAVOLG_TEST_POSTGRES_DIR
  if (state == nullptr && PostgresUnderTest()) state = NAVOLG_TEST_POSTGRES_DIR;
#endif
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

// A lower-case name PostgreSQL takes unquoted, unique per `text`: its letters and digits (at
// most 40) and a hash of the whole.
inline std::string NameFor(const std::string& text) {
  std::string name = "t_";
  for (char c : text) {
    if (name.size() >= 42) break;
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", hash);
  return name + "_" + hex;
}

// A new, empty schema of the cluster's database (dropped first if a previous run left it) and
// the address that makes it a connection's only schema and names the connection after it: a
// database of its own for a test, made in milliseconds. Nothing when there is no cluster (see
// Address()).
inline std::optional<std::string> FreshSchema(const std::string& name) {
  const auto address = Address();
  if (!address) return std::nullopt;
  storage::sql::PostgresDatabase admin(*address);
  admin.exec("DROP SCHEMA IF EXISTS " + name + " CASCADE");
  admin.exec("CREATE SCHEMA " + name);
  // The application name marks the test's connections, so that a test that drops them
  // (tests/http/two_nodes_test.cc) drops no other test's.
  return *address + "?options=-csearch_path%3D" + name + "&application_name=" + name;
}

// Drops what FreshSchema made; quietly, for a test's TearDown.
inline void DropSchema(const std::string& name) {
  const auto address = Address();
  if (!address) return;
  try {
    storage::sql::PostgresDatabase admin(*address);
    admin.exec("SET lock_timeout = '5s'");  // a connection the test left open: give up
    admin.exec("DROP SCHEMA IF EXISTS " + name + " CASCADE");
  } catch (const storage::sql::Exception&) {
  }
}

// The database the running storage or HTTP test uses: `sqlite_path`, or under
// PostgresUnderTest() a fresh schema named after the test (a failure when there is no cluster:
// the run asked for PostgreSQL).
inline std::string DatabaseForTest(const std::string& sqlite_path) {
  if (!PostgresUnderTest()) return sqlite_path;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto address =
      FreshSchema(NameFor(std::string(info->test_suite_name()) + "." + info->name()));
  if (!address) {
    ADD_FAILURE() << "NAVOLG_TEST_BACKEND=postgres, but " << kSkipReason;
    return sqlite_path;
  }
  return *address;
}

// Drops the running test's schema when DatabaseForTest made one.
inline void DropDatabaseForTest() {
  if (!PostgresUnderTest()) return;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  DropSchema(NameFor(std::string(info->test_suite_name()) + "." + info->name()));
}

}  // namespace navolg::test_postgres
