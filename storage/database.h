// Opening navolg's SQLite database: one place that sets the pragmas every connection needs
// and translates SQLite's failures into Dutch messages an operator can act on.
//
// storage's own: code outside storage/ opens a Connection (storage/connection.h) instead and
// never sees SQLite; only tests that look inside the database file include this.
#pragma once

#include <memory>
#include <string>

#include "engine/status.h"
#include "storage/connection.h"
#include "storage/connection_sql.h"
#include "storage/sql/sql.h"

namespace navolg::storage {

// Opens (creating if absent) and migrates the database for writing. Refuses, without
// modifying it, a file that is not SQLite, is damaged, belongs to another program or was
// written by a newer navolg.
Result<std::unique_ptr<sql::Database>> OpenForWriting(const DatabaseOptions& options);

// Opens an existing, migrated database for reading only.
Result<std::unique_ptr<sql::Database>> OpenForReading(const std::string& path);

// The one translation of a database error (sql::Exception) into a Status with a Dutch message.
Status FromSql(const sql::Exception& e, const std::string& what);

}  // namespace navolg::storage
