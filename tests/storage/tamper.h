// Editing a navolg database behind navolg's back, as someone with write access to the file
// would: plain SQL on a connection of its own, with the append-only triggers of the events
// table out of the way for the edit (and back afterwards). For tests of what navolg notices.
#pragma once

#include <string>

#include "storage/sql/sqlite.h"

namespace navolg::testing {

inline void TamperWithDatabase(const std::string& path, const std::string& sql) {
  storage::sql::SqliteDatabase db(path, SQLite::OPEN_READWRITE);
  db.exec("DROP TRIGGER events_no_update");
  db.exec(sql);
  db.exec(
      "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
      "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END");
}

}  // namespace navolg::testing
