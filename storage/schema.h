// The database schema and its migrations, in one place.
//
// The schema version is SQLite's user_version (application_id marks the file as navolg's), on
// PostgreSQL the table navolg_schema. Migrate brings a database up to kSchemaVersion in one
// transaction, and refuses one that belongs to another application or was written by a newer
// navolg, without altering it.
//
// Rolling updates (PostgreSQL): nodes sharing a database are updated one at a time, so a node
// also works with a database that the next navolg, one schema version newer, has migrated.
// Every migration must therefore keep the previous version working: add tables, and columns
// that are nullable or have a default; never rename, drop or tighten in the same version.
// SQLite has one node and refuses any newer version.
#pragma once

#include <cstdint>
#include <span>

#include "engine/status.h"
#include "storage/sql/sql.h"

namespace navolg::storage {

inline constexpr std::int32_t kSchemaVersion = 10;
inline constexpr std::int32_t kApplicationId = 0x6E766C67;  // "nvlg"

// Checks that the file is a navolg database (or empty) at a version this build knows, then
// applies the missing migrations. Fails with a Dutch message naming the file otherwise.
Status Migrate(sql::Database& db);

// For a connection that only reads: ok when the database is navolg's at a version this build
// works with (kSchemaVersion; on PostgreSQL also the next one), without changing anything.
Status CheckSchema(sql::Database& db);

// This build's migrations, one per schema version.
std::span<const char* const> Migrations();

// Migrates a PostgreSQL database with `migrations` instead of this build's: what a navolg
// whose migrations these are would do at its start. For the test of a rolling update, where
// it plays the next navolg beside nodes of this one (tests/http/two_nodes_test.cc).
Status MigratePostgresWith(sql::Database& db, std::span<const char* const> migrations);

}  // namespace navolg::storage
