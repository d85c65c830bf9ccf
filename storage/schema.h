// The database schema and its migrations, in one place.
//
// The schema version is SQLite's user_version; application_id marks the file as navolg's.
// Migrate brings a database up to kSchemaVersion in one transaction, and refuses a file that
// belongs to another application or was written by a newer navolg, without altering it.
#pragma once

#include <cstdint>

#include "engine/status.h"
#include "storage/sql/sql.h"

namespace navolg::storage {

inline constexpr std::int32_t kSchemaVersion = 10;
inline constexpr std::int32_t kApplicationId = 0x6E766C67;  // "nvlg"

// Checks that the file is a navolg database (or empty) at a version this build knows, then
// applies the missing migrations. Fails with a Dutch message naming the file otherwise.
Status Migrate(sql::Database& db);

}  // namespace navolg::storage
