// Opening navolg's SQLite database: one place that sets the pragmas every connection needs
// and translates SQLite's failures into Dutch messages an operator can act on.
//
// storage's own: code outside storage/ opens a Connection (storage/connection.h) instead and
// never sees SQLite; only tests that look inside the database file include this.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <memory>
#include <string>

#include "engine/status.h"
#include "storage/connection.h"
#include "storage/sqlite_connection.h"

namespace navolg::storage {

// Opens (creating if absent) and migrates the database for writing. Refuses, without
// modifying it, a file that is not SQLite, is damaged, belongs to another program or was
// written by a newer navolg.
Result<std::unique_ptr<SQLite::Database>> OpenForWriting(const DatabaseOptions& options);

// Opens an existing, migrated database for reading only.
Result<std::unique_ptr<SQLite::Database>> OpenForReading(const std::string& path);

// The one translation of SQLite's exceptions into a Status with a Dutch message.
Status FromSqlite(const SQLite::Exception& e, const std::string& what);

}  // namespace navolg::storage
