// storage/schema.cc's migrations, written once in SQLite's dialect, as PostgreSQL reads them.
// The rules, each chosen on purpose:
// - STRICT and WITHOUT ROWID are SQLite's storage choices; PostgreSQL's columns are always
//   typed and its tables are heaps with a primary key index. Both are dropped.
// - PRIMARY KEY (a, b DESC): the order is dropped; PostgreSQL's indexes scan both ways.
// - INTEGER is BIGINT (SQLite's integers are 64-bit); a single-column INTEGER PRIMARY KEY
//   (SQLite's rowid, given by the database when left out) is an identity column.
// - instr(text, part) is strpos(text, part).
// - An append-only trigger (`BEFORE UPDATE|DELETE ON t BEGIN SELECT RAISE(ABORT, 'm'); END`)
//   becomes a trigger function that raises 'm', and the table refuses TRUNCATE too. A
//   `..._no_replace` trigger guards against SQLite's INSERT OR REPLACE, which PostgreSQL
//   does not have; it is left out (the primary key refuses a second row).
// - Statements that only move data (INSERT, UPDATE, DELETE) are left out when `schema_only`:
//   a new PostgreSQL database has nothing to backfill, and the backfills of the early
//   migrations use SQLite's JSON functions.
#pragma once

#include <string>
#include <string_view>

namespace navolg::storage::sql {

std::string PostgresDdl(std::string_view sqlite_ddl, bool schema_only);

}  // namespace navolg::storage::sql
