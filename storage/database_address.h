// Where navolg's database is: the address that --db or NAVOLG_DB gives, read by this one
// function for every command that opens a database (the command line and `navolg serve`),
// before anything touches the file system.
//
// Two kinds of address: the path of the embedded SQLite database (`./data/navolg.db`,
// `/var/lib/navolg/navolg.db`; anything without a scheme), and a PostgreSQL connection URI
// (`postgresql://USER@HOST:PORT/DATABASE` or `postgres://...`), kept for libpq as given. Any
// other `scheme://` (`mysql://`, `http://`, `file://`) is refused, so that a foreign or
// mistyped address never becomes a folder named after it.
//
// Pure functions: safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace navolg::storage {

enum class DatabaseKind { kSqlite, kPostgres };

struct DatabaseAddress {
  DatabaseKind kind = DatabaseKind::kSqlite;
  // kSqlite: the file's path. kPostgres: the URI as given, only its scheme in lower case
  // (libpq recognises `postgresql://` and `postgres://` in lower case only).
  std::string text;
};

// kInvalidArgument, in Dutch and naming the forms navolg accepts, for an empty address,
// ":memory:" (a database that is gone when navolg stops) and a scheme other than postgresql://
// or postgres://. A message names only the scheme, never the rest: a URI may hold a password.
Result<DatabaseAddress> ParseDatabaseAddress(std::string_view text);

// The address as navolg shows it (in its start-up lines and messages): a PostgreSQL URI
// without its password, a path as it is.
std::string AddressForDisplay(std::string_view text);

}  // namespace navolg::storage
