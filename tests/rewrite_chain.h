// The attack of issue 13, item 8, as someone with the database file would carry it out:
// every event of a process read back, the second one's author changed, the whole chain
// re-hashed from there, and the lines written back with the append-only trigger dropped. The
// chain is consistent again; only a checkpoint kept from before can tell.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/audit_chain.h"
#include "tests/storage/raw_database.h"

namespace navolg::testing {

inline void RewriteStoredChain(const std::string& db_path, const std::string& process_id) {
  auto raw = RawWriter(db_path);
  storage::sql::Database& db = *raw;
  const bool postgres = db.dialect() == storage::sql::Dialect::kPostgres;
  if (!postgres) db.exec("PRAGMA busy_timeout = 10000");
  std::vector<std::string> lines;
  {
    storage::sql::Statement read(db, "SELECT line FROM events WHERE process_id = ? ORDER BY seq");
    read.bind(1, process_id);
    while (read.executeStep()) lines.push_back(read.getColumn(0).getString());
  }
  ASSERT_GE(lines.size(), 2u);
  db.exec(postgres ? "ALTER TABLE events DISABLE TRIGGER USER" : "DROP TRIGGER events_no_update");
  std::string prev = GenesisHash();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Result<Event> event = EventFromJson(nlohmann::json::parse(lines[i]));
    ASSERT_TRUE(event.ok()) << event.status().message();
    if (i == 1) event->actor.user = "u-iemand-anders";
    event->prev = prev;
    ASSERT_TRUE(SealEvent(*event).ok());
    prev = event->hash;
    storage::sql::Statement update(db,
                                   "UPDATE events SET line = ? WHERE process_id = ? AND seq = ?");
    update.bind(1, *ExportLine(*event));
    update.bind(2, process_id);
    update.bind(3, static_cast<std::int64_t>(i + 1));
    ASSERT_EQ(update.exec(), 1);
  }
  if (postgres) db.exec("ALTER TABLE events ENABLE TRIGGER USER");
}

}  // namespace navolg::testing
