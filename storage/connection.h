// A connection to navolg's database, as the code outside storage/ holds one: the command line,
// `navolg serve`'s start-up and tests open one and hand it to the directory, session and
// webhook functions (storage/directory.h, sessions.h, outbox.h). What it is underneath (SQLite
// today) is storage's own business (storage/connection_sql.h), so no caller depends on it.
//
// Functions take `Connection&` when they change the database and `const Connection&` when
// they only read it. Not thread-safe: one thread at a time per connection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "engine/status.h"

namespace navolg::storage {

// How hard a commit waits for the disk. kFull (SQLite synchronous=FULL, the default) makes
// every acknowledged commit survive a power loss; kNormal (WAL + synchronous=NORMAL) may lose
// the last commits on power loss, never on a crash of navolg itself.
enum class Durability { kFull, kNormal };

struct DatabaseOptions {
  std::string path;  // a file, ":memory:" for tests, or a postgresql:// address
  Durability durability = Durability::kFull;
  std::int64_t max_pages = 0;  // 0: unlimited; else a size quota (SQLITE_FULL past it)
};

class Connection;  // defined in storage/connection_sql.h, for storage alone

struct CloseConnection {
  void operator()(Connection* connection) const;
};
using ConnectionHandle = std::unique_ptr<Connection, CloseConnection>;

// Opens (creating if absent) and migrates the database for writing. Refuses, without
// modifying it, a file that is not SQLite, is damaged, belongs to another program or was
// written by a newer navolg.
Result<ConnectionHandle> OpenConnection(const DatabaseOptions& options);

// Runs `setup` (the first start's registrations) while no other navolg node sharing the
// database runs its own: PostgreSQL holds an advisory lock for it, so that nodes starting
// together set up an empty database once. SQLite has one node and runs `setup` as it is.
Status WithSetupLock(Connection& connection, const std::function<Status()>& setup);

}  // namespace navolg::storage
