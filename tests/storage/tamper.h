// Editing a navolg database behind navolg's back, as someone with write access to the file
// would: plain SQL on a connection of its own, with the append-only triggers of the events
// table out of the way for the edit (and back afterwards). For tests of what navolg notices.
#pragma once

#include <string>

#include "tests/storage/raw_database.h"

namespace navolg::testing {

inline void TamperWithDatabase(const std::string& path, const std::string& sql) {
  auto db = RawWriter(path);
  if (db->dialect() == storage::sql::Dialect::kPostgres) {
    db->exec("ALTER TABLE events DISABLE TRIGGER USER");
    db->exec(sql);
    db->exec("ALTER TABLE events ENABLE TRIGGER USER");
    return;
  }
  db->exec("DROP TRIGGER events_no_update");
  db->exec(sql);
  db->exec(
      "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
      "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END");
}

}  // namespace navolg::testing
