// What every command of the command line (and `navolg serve`) shares: where the database
// is, opening it, reading a file, and reporting usage errors and failures the same way.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/status.h"
#include "storage/connection.h"
#include "storage/database_address.h"
#include "storage/integrity_check.h"

namespace navolg::cli {

// --help or -h.
bool IsHelp(const std::string& arg);

// Prints "navolg: <error>" (when given) and then `usage` on stderr; returns 2.
int Usage(const char* usage, const std::optional<std::string>& error = std::nullopt);

// Prints "navolg: <message>" on stderr; returns 1.
int Fail(const Status& status);

// The database address from --db (`option`), else $NAVOLG_DB, else ./data/navolg.db.
std::string DatabasePath(const std::string& option);

// The address as this build can open it (storage/database_address.h): the one check of every
// --db and $NAVOLG_DB, made before anything touches the file system. Refuses, in Dutch, an
// address of another scheme (mysql://...).
Result<storage::DatabaseAddress> UsableDatabaseAddress(const std::string& address);

// Opens the database for writing (bringing an older schema up to date), creating it and its
// folder when needed; refuses an address UsableDatabaseAddress refuses.
Result<storage::ConnectionHandle> OpenDatabase(const std::string& path);

// As OpenDatabase, but kNotFound when there is no database at `path`: commands that change
// or read what exists never create one (a mistyped --db would leave an empty one behind).
Result<storage::ConnectionHandle> OpenExistingDatabase(const std::string& path);

// A line per process of an integrity check (damaged ones first, marked BESCHADIGD) and one
// with the totals, on stdout (`navolg audit check`, `navolg backup verify`).
void PrintVerdicts(const storage::IntegrityReport& report);

// The whole file; nullopt when it cannot be read or is a folder (opening a folder succeeds
// on Linux and reads as empty, which would pass for an empty file).
std::optional<std::string> ReadTextFile(const std::string& path);

}  // namespace navolg::cli
