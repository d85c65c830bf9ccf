// Checks on a navolg database with plain SQL, on a connection of their own: that the
// projections of a process (processes row with its assignee, product_versions, adoptions,
// deadlines, findings) equal a replay of its stored events, and a dump of every table to compare
// "nothing changed".
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/assignee.h"
#include "engine/audit_chain.h"
#include "engine/canonical_json.h"
#include "engine/process_state.h"
#include "engine/report.h"
#include "engine/sha256.h"
#include "engine/state_codec.h"
#include "tests/storage/raw_database.h"

namespace navolg::testing {

inline std::int64_t Millis(Time t) { return t.time_since_epoch().count(); }

// Every row of every table (and the schema), as text: equal dumps mean equal contents.
inline std::string DumpDatabase(const std::string& path) {
  auto db_owned = RawReader(path);
  storage::sql::Database& db = *db_owned;
  std::ostringstream dump;
  std::vector<std::string> tables = TableNames(db);
  if (db.dialect() == storage::sql::Dialect::kSqlite) {
    storage::sql::Statement schema(db,
                                   "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name");
    while (schema.executeStep()) {
      const std::string sql = schema.getColumn(2).isNull() ? "" : schema.getColumn(2).getString();
      dump << schema.getColumn(0).getString() << " " << schema.getColumn(1).getString() << " "
           << Sha256Hex(sql).value() << "\n";
    }
  }
  for (const std::string& table : tables) {
    dump << "== " << table << "\n";
    storage::sql::Statement rows(db, "SELECT * FROM \"" + table + "\"");
    while (rows.executeStep()) {
      for (int i = 0; i < rows.getColumnCount(); ++i) {
        std::string value =
            rows.getColumn(i).isNull() ? std::string("NULL") : rows.getColumn(i).getString();
        // Long values (workflow definitions) by hash, so a failure's diff stays readable.
        if (value.size() > 120) {
          value = value.substr(0, 40) + "...(" + std::to_string(value.size()) + " bytes, sha256 " +
                  Sha256Hex(value).value() + ")";
        }
        dump << value << "|";
      }
      dump << "\n";
    }
  }
  return dump.str();
}

// The lines only in `before` (-) or only in `after` (+): a readable failure message.
inline std::string DumpDiff(const std::string& before, const std::string& after) {
  auto lines = [](const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
  };
  const auto a = lines(before), b = lines(after);
  std::string diff;
  for (const auto& line : a) {
    if (std::find(b.begin(), b.end(), line) == b.end()) diff += "- " + line + "\n";
  }
  for (const auto& line : b) {
    if (std::find(a.begin(), a.end(), line) == a.end()) diff += "+ " + line + "\n";
  }
  return diff;
}

// Expects the database at `path` to hold exactly what DumpDatabase gave as `before`.
#define EXPECT_DATABASE_UNCHANGED(path, before)                                                 \
  do {                                                                                          \
    const std::string dump_after_ = ::navolg::testing::DumpDatabase(path);                      \
    EXPECT_TRUE(dump_after_ == (before)) << "the database changed:\n"                           \
                                         << ::navolg::testing::DumpDiff((before), dump_after_); \
  } while (false)

inline std::int64_t CountRows(storage::sql::Database& db, const std::string& table) {
  storage::sql::Statement query(db, "SELECT count(*) FROM " + table);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

// The process's events as stored, each read strictly; also checks that the stored line is the
// event's canonical export line and that the seq and type columns agree with it.
inline void ReadStoredEvents(storage::sql::Database& db, const std::string& process_id,
                             std::vector<Event>& events) {
  events.clear();
  storage::sql::Statement query(
      db, "SELECT seq, type, line FROM events WHERE process_id = ? ORDER BY seq");
  query.bind(1, process_id);
  while (query.executeStep()) {
    const std::string line = query.getColumn(2).getString();
    auto event = EventFromJson(nlohmann::json::parse(line));
    ASSERT_TRUE(event.ok()) << event.status().message();
    EXPECT_EQ(query.getColumn(0).getInt64(), event->seq);
    EXPECT_EQ(query.getColumn(1).getString(), event->type);
    auto canonical = ExportLine(*event);
    ASSERT_TRUE(canonical.ok());
    EXPECT_EQ(*canonical, line) << "stored line is not canonical";
    events.push_back(std::move(*event));
  }
}

inline std::string OptionalText(storage::sql::Statement& row, int column) {
  return row.getColumn(column).isNull() ? "NULL" : row.getColumn(column).getString();
}
inline std::string OptionalText(const std::optional<Time>& t) {
  return t ? FormatTime(*t) : "NULL";
}

// Asserts that every projection of `process_id` equals what a replay of its stored events
// gives. `replayed` receives the replayed state for further checks.
inline void ExpectProjectionsMatchTrail(const std::string& path, const Definition& definition,
                                        std::int64_t organisation_id, const std::string& process_id,
                                        ProcessState* replayed = nullptr) {
  SCOPED_TRACE("process " + process_id);
  auto db_owned = RawReader(path);
  storage::sql::Database& db = *db_owned;
  // One read transaction: the projections and the trail of the same commit.
  storage::sql::BeginReadSnapshot(db);
  std::vector<Event> events;
  ASSERT_NO_FATAL_FAILURE(ReadStoredEvents(db, process_id, events));
  ASSERT_FALSE(events.empty());
  auto state = Replay(definition, events);
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_EQ(state->version, static_cast<std::int64_t>(events.size()));
  EXPECT_EQ(state->head_hash, events.back().hash);

  storage::sql::Statement process(
      db,
      "SELECT organisation_id, workflow_key, workflow_version, title, state, "
      "version, head_hash, created_at, updated_at, closed_at, assignee "
      "FROM processes WHERE id = ?");
  process.bind(1, process_id);
  ASSERT_TRUE(process.executeStep()) << "no processes row";
  EXPECT_EQ(process.getColumn(0).getInt64(), organisation_id);
  EXPECT_EQ(process.getColumn(1).getString(), state->workflow_key);
  EXPECT_EQ(process.getColumn(2).getInt64(), state->workflow_version);
  EXPECT_EQ(process.getColumn(3).getString(), state->title);
  EXPECT_EQ(process.getColumn(4).getString(), state->state);
  EXPECT_EQ(process.getColumn(5).getInt64(), state->version);
  EXPECT_EQ(process.getColumn(6).getString(), state->head_hash);
  EXPECT_EQ(process.getColumn(7).getString(), FormatTime(state->created_at));
  EXPECT_EQ(process.getColumn(8).getString(), FormatTime(state->updated_at));
  EXPECT_EQ(OptionalText(process, 9), OptionalText(state->closed_at));
  EXPECT_EQ(OptionalText(process, 10), CurrentAssignee(definition, *state).value_or("NULL"));

  // The snapshot a read loads instead of replaying: the replayed state, without the texts.
  storage::sql::Statement snapshot(
      db, "SELECT version, head_hash, state FROM process_snapshots WHERE process_id = ?");
  snapshot.bind(1, process_id);
  ASSERT_TRUE(snapshot.executeStep()) << "no process_snapshots row";
  EXPECT_EQ(snapshot.getColumn(0).getInt64(), state->version);
  EXPECT_EQ(snapshot.getColumn(1).getString(), state->head_hash);
  EXPECT_EQ(nlohmann::json::parse(snapshot.getColumn(2).getString()), EncodeState(*state));

  // One product_versions row per product.saved event, in seq order.
  storage::sql::Statement versions(db,
                                   "SELECT product, instance, version, hash, content, saved_by, "
                                   "saved_at, seq FROM product_versions WHERE process_id = ? "
                                   "ORDER BY seq");
  versions.bind(1, process_id);
  std::size_t saved = 0;
  for (const Event& event : events) {
    if (event.type != "product.saved") continue;
    ++saved;
    SCOPED_TRACE("product.saved seq " + std::to_string(event.seq));
    ASSERT_TRUE(versions.executeStep()) << "missing product_versions row";
    EXPECT_EQ(versions.getColumn(0).getString(), event.data["product"]);
    EXPECT_EQ(versions.getColumn(1).getInt64(), event.data["instance"]);
    EXPECT_EQ(versions.getColumn(2).getInt64(), event.data["version"]);
    EXPECT_EQ(versions.getColumn(3).getString(), event.data["hash"]);
    const std::string content = versions.getColumn(4).getString();
    EXPECT_EQ(nlohmann::json::parse(content), event.data["content"]);
    EXPECT_EQ(content, Canonicalize(event.data["content"]).value());
    EXPECT_EQ(Sha256Hex(content).value(), event.data["hash"])
        << "stored content is not what was hashed";
    EXPECT_EQ(versions.getColumn(5).getString(), event.actor.user);
    EXPECT_EQ(versions.getColumn(6).getString(), FormatTime(event.at));
    EXPECT_EQ(versions.getColumn(7).getInt64(), event.seq);
  }
  EXPECT_FALSE(versions.executeStep()) << "a product_versions row without a product.saved event";
  storage::sql::Statement version_count(
      db, "SELECT count(*) FROM product_versions WHERE process_id = ?");
  version_count.bind(1, process_id);
  version_count.executeStep();
  EXPECT_EQ(version_count.getColumn(0).getInt64(), static_cast<std::int64_t>(saved));

  // One adoptions row per product.adopted event.
  storage::sql::Statement adoptions(
      db,
      "SELECT product, instance, version, hash, adopted_by, role, "
      "adopted_at, seq FROM adoptions WHERE process_id = ? ORDER BY seq");
  adoptions.bind(1, process_id);
  for (const Event& event : events) {
    if (event.type != "product.adopted") continue;
    SCOPED_TRACE("product.adopted seq " + std::to_string(event.seq));
    ASSERT_TRUE(adoptions.executeStep()) << "missing adoptions row";
    EXPECT_EQ(adoptions.getColumn(0).getString(), event.data["product"]);
    EXPECT_EQ(adoptions.getColumn(1).getInt64(), event.data["instance"]);
    EXPECT_EQ(adoptions.getColumn(2).getInt64(), event.data["version"]);
    EXPECT_EQ(adoptions.getColumn(3).getString(), event.data["hash"]);
    EXPECT_EQ(adoptions.getColumn(4).getString(), event.actor.user);
    EXPECT_EQ(adoptions.getColumn(5).getString(), event.actor.role);
    EXPECT_EQ(adoptions.getColumn(6).getString(), FormatTime(event.at));
    EXPECT_EQ(adoptions.getColumn(7).getInt64(), event.seq);
  }
  EXPECT_FALSE(adoptions.executeStep()) << "an adoptions row without a product.adopted event";

  // Deadlines: exactly the replayed state's, keyed by (key, instance).
  std::vector<const DeadlineState*> expected;
  for (const DeadlineState& deadline : state->deadlines) expected.push_back(&deadline);
  std::sort(expected.begin(), expected.end(), [](const DeadlineState* a, const DeadlineState* b) {
    return std::tie(a->key, a->instance) < std::tie(b->key, b->instance);
  });
  storage::sql::Statement deadlines(
      db,
      "SELECT key, instance, organisation_id, due, overdue_from, "
      "started_on, is_open, met_at, cancelled_at, missed_at, assignee "
      "FROM deadlines WHERE process_id = ? ORDER BY key, instance");
  deadlines.bind(1, process_id);
  for (const DeadlineState* deadline : expected) {
    SCOPED_TRACE("deadline " + deadline->key + "#" + std::to_string(deadline->instance));
    ASSERT_TRUE(deadlines.executeStep()) << "missing deadlines row";
    EXPECT_EQ(deadlines.getColumn(0).getString(), deadline->key);
    EXPECT_EQ(deadlines.getColumn(1).getInt64(), deadline->instance);
    EXPECT_EQ(deadlines.getColumn(2).getInt64(), organisation_id);
    EXPECT_EQ(deadlines.getColumn(3).getString(), FormatDate(deadline->due));
    EXPECT_EQ(deadlines.getColumn(4).getInt64(),
              Millis(AmsterdamStartOfDay(AddDays(deadline->due, 1))));
    EXPECT_EQ(deadlines.getColumn(5).getString(), FormatDate(deadline->started_on));
    EXPECT_EQ(deadlines.getColumn(6).getInt64(), deadline->open() ? 1 : 0);
    EXPECT_EQ(OptionalText(deadlines, 7), OptionalText(deadline->met_at));
    EXPECT_EQ(OptionalText(deadlines, 8), OptionalText(deadline->cancelled_at));
    EXPECT_EQ(OptionalText(deadlines, 9), OptionalText(deadline->missed_recorded_at));
    EXPECT_EQ(OptionalText(deadlines, 10), CurrentAssignee(definition, *state).value_or("NULL"));
  }
  EXPECT_FALSE(deadlines.executeStep()) << "a deadlines row the replay does not have";

  // Findings: the checks evaluated on the replayed state at its last event.
  storage::sql::Statement findings(
      db,
      "SELECT organisation_id, workflow_key, findings, improvement_points "
      "FROM process_findings WHERE process_id = ?");
  findings.bind(1, process_id);
  ASSERT_TRUE(findings.executeStep()) << "no process_findings row";
  EXPECT_EQ(findings.getColumn(0).getInt64(), organisation_id);
  EXPECT_EQ(findings.getColumn(1).getString(), state->workflow_key);
  EXPECT_EQ(findings.getColumn(2).getString(),
            EncodeStatuses(EvaluateChecks(definition, *state, state->updated_at)));
  const std::string points = EncodeImprovementPoints(ImprovementPoints(definition, *state));
  if (points.empty()) {
    EXPECT_TRUE(findings.getColumn(3).isNull());
  } else {
    EXPECT_EQ(findings.getColumn(3).getString(), points);
  }
  db.exec("COMMIT");
  if (replayed != nullptr) *replayed = std::move(*state);
}

}  // namespace navolg::testing
