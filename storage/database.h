// Opening navolg's SQLite database: one place that sets the pragmas every connection needs
// and translates SQLite's failures into Dutch messages an operator can act on.
#pragma once

#include <memory>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include "engine/status.h"

namespace navolg::storage {

// How hard a commit waits for the disk. kFull (SQLite synchronous=FULL, the default) makes
// every acknowledged commit survive a power loss; kNormal (WAL + synchronous=NORMAL) may lose
// the last commits on power loss, never on a crash of navolg itself.
enum class Durability { kFull, kNormal };

struct DatabaseOptions {
  std::string path;                   // a file, or ":memory:" for tests
  Durability durability = Durability::kFull;
  std::int64_t max_pages = 0;         // 0: unlimited; else a size quota (SQLITE_FULL past it)
};

// Opens (creating if absent) and migrates the database for writing. Refuses, without
// modifying it, a file that is not SQLite, is damaged, belongs to another program or was
// written by a newer navolg.
Result<std::unique_ptr<SQLite::Database>> OpenForWriting(const DatabaseOptions& options);

// Opens an existing, migrated database for reading only.
Result<std::unique_ptr<SQLite::Database>> OpenForReading(const std::string& path);

// The one translation of SQLite's exceptions into a Status with a Dutch message.
Status FromSqlite(const SQLite::Exception& e, const std::string& what);

}  // namespace navolg::storage
