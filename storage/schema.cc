#include "storage/schema.h"

#include <span>
#include <string>

#include "storage/sql/postgres_ddl.h"
#include "storage/sql/sql.h"

namespace navolg::storage {
namespace {

// Migration i brings the schema from version i to i + 1. Never edit a released migration;
// add a new one.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
    CREATE TABLE organisations (
      id          INTEGER PRIMARY KEY,
      slug        TEXT NOT NULL UNIQUE,
      name        TEXT NOT NULL,
      created_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE users (
      id               TEXT PRIMARY KEY,
      organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
      name             TEXT NOT NULL,
      role             TEXT NOT NULL CHECK (role IN ('bestuur','manager','adviseur','auditor','beheerder')),
      created_at       TEXT NOT NULL,
      UNIQUE (organisation_id, name)
    ) STRICT;

    -- Bearer tokens, stored only as the SHA-256 (hex) of the token.
    CREATE TABLE tokens (
      hash        TEXT PRIMARY KEY,
      user_id     TEXT NOT NULL REFERENCES users(id),
      created_at  TEXT NOT NULL,
      revoked_at  TEXT
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE workflows (
      key         TEXT NOT NULL,
      version     INTEGER NOT NULL,
      hash        TEXT NOT NULL,
      content     TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      PRIMARY KEY (key, version)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE processes (
      id                TEXT PRIMARY KEY,
      organisation_id   INTEGER NOT NULL REFERENCES organisations(id),
      workflow_key      TEXT NOT NULL,
      workflow_version  INTEGER NOT NULL,
      title             TEXT NOT NULL,
      state             TEXT NOT NULL,
      version           INTEGER NOT NULL,
      head_hash         TEXT NOT NULL,
      created_at        TEXT NOT NULL,
      updated_at        TEXT NOT NULL,
      closed_at         TEXT,
      FOREIGN KEY (workflow_key, workflow_version) REFERENCES workflows(key, version)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX processes_by_organisation ON processes (organisation_id, id);
    CREATE INDEX processes_by_state ON processes (organisation_id, state, id);

    -- The audit trail: per event its canonical export line (with hash), exactly as the engine
    -- sealed it. Append-only. Rows of a kilobyte and more are appended in rowid order (a
    -- WITHOUT ROWID table would rewrite several pages per insert); the key is a small index.
    CREATE TABLE events (
      process_id  TEXT NOT NULL,
      seq         INTEGER NOT NULL,
      type        TEXT NOT NULL,
      line        TEXT NOT NULL,
      PRIMARY KEY (process_id, seq)
    ) STRICT;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    -- INSERT OR REPLACE deletes the old row without firing delete triggers.
    CREATE TRIGGER events_no_replace BEFORE INSERT ON events
      WHEN EXISTS (SELECT 1 FROM events WHERE process_id = NEW.process_id AND seq = NEW.seq)
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

    CREATE TABLE product_versions (
      process_id  TEXT NOT NULL,
      product     TEXT NOT NULL,
      instance    INTEGER NOT NULL,
      version     INTEGER NOT NULL,
      hash        TEXT NOT NULL,
      content     TEXT NOT NULL,
      saved_by    TEXT NOT NULL,
      saved_at    TEXT NOT NULL,
      seq         INTEGER NOT NULL,
      PRIMARY KEY (process_id, product, instance, version)
    ) STRICT;

    CREATE TABLE adoptions (
      process_id  TEXT NOT NULL,
      seq         INTEGER NOT NULL,
      product     TEXT NOT NULL,
      instance    INTEGER NOT NULL,
      version     INTEGER NOT NULL,
      hash        TEXT NOT NULL,
      adopted_by  TEXT NOT NULL,
      role        TEXT NOT NULL,
      adopted_at  TEXT NOT NULL,
      PRIMARY KEY (process_id, seq)
    ) STRICT, WITHOUT ROWID;

    -- overdue_from: the instant (ms since the epoch) from which the deadline is overdue:
    -- 00:00 Europe/Amsterdam the day after `due`. "Overdue or due within N days in
    -- organisation X" is a range scan of deadlines_open.
    CREATE TABLE deadlines (
      process_id       TEXT NOT NULL,
      key              TEXT NOT NULL,
      instance         INTEGER NOT NULL,
      organisation_id  INTEGER NOT NULL,
      due              TEXT NOT NULL,
      overdue_from     INTEGER NOT NULL,
      started_on       TEXT NOT NULL,
      is_open          INTEGER NOT NULL,
      met_at           TEXT,
      cancelled_at     TEXT,
      missed_at        TEXT,
      PRIMARY KEY (process_id, key, instance)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX deadlines_open ON deadlines (organisation_id, overdue_from) WHERE is_open = 1;
    )sql",

    // 1 -> 2: follow-up (issue 5): webhooks and their outbox, and the per-process findings
    // of the zorgvuldigheidsrapport that the Borgingshuis view aggregates.
    R"sql(
    ALTER TABLE organisations ADD COLUMN webhook_url TEXT;
    -- The user id the process is assigned to (the definition's "assignee" field), for the
    -- managers' overview; NULL while unassigned.
    ALTER TABLE processes ADD COLUMN assignee TEXT;
    -- The same on each of its deadlines, so the overview counts open deadlines per assignee
    -- from this index alone (is_open is a column of it too: SQLite reads the table for a
    -- column that only the partial index's WHERE names).
    ALTER TABLE deadlines ADD COLUMN assignee TEXT;
    CREATE INDEX deadlines_by_assignee ON deadlines (organisation_id, assignee, overdue_from,
      is_open) WHERE is_open = 1;

    -- Messages for the organisation's webhook, written in the same transaction as what caused
    -- them and delivered at least once by a background sender. dedupe_key makes a second
    -- enqueue of the same message a no-op (INSERT OR IGNORE).
    CREATE TABLE outbox (
      id               INTEGER PRIMARY KEY,
      organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
      kind             TEXT NOT NULL,
      process_id       TEXT NOT NULL,
      dedupe_key       TEXT NOT NULL UNIQUE,
      payload          TEXT NOT NULL,
      created_at       TEXT NOT NULL,
      attempts         INTEGER NOT NULL DEFAULT 0,
      next_attempt_at  INTEGER NOT NULL,
      delivered_at     TEXT,
      last_error       TEXT
    ) STRICT;
    CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
    -- The deadline watcher's work list across organisations: open deadlines without a
    -- deadline.missed yet, by the instant they become overdue. A run with nothing to mark is
    -- one index probe, however many deadlines are open.
    CREATE INDEX deadlines_unmissed ON deadlines (overdue_from) WHERE is_open = 1 AND missed_at IS NULL;

    -- One row per process: the statuses of its zorgvuldigheidsrapport checks (engine/report.h,
    -- EncodeStatuses) as evaluated at its last event, and the improvement points of its
    -- evaluation (a JSON array, NULL when none), kept by the write path so the Borgingshuis
    -- view needs no replay. `version` is the process version whose command last changed them.
    -- Keyed by organisation first: the Borgingshuis reads one organisation's rows as a range.
    CREATE TABLE process_findings (
      organisation_id     INTEGER NOT NULL REFERENCES organisations(id),
      process_id          TEXT NOT NULL,
      workflow_key        TEXT NOT NULL,
      version             INTEGER NOT NULL,
      findings            TEXT NOT NULL,
      improvement_points  TEXT,
      PRIMARY KEY (organisation_id, process_id)
    ) STRICT, WITHOUT ROWID;
    )sql",

    // 2 -> 3: signing in with a password (issue 6). Times of sessions and attempts are ms
    // since the epoch, compared as integers.
    R"sql(
    -- A PHC string (storage/password.h); NULL: the user has no password and signs in only
    -- with a bearer token.
    ALTER TABLE users ADD COLUMN password_hash TEXT;

    -- Browser sessions, stored only as the SHA-256 (hex) of the id the cookie carries. A
    -- session ends at expires_at, when idle since last_seen_at for longer than the idle
    -- timeout (storage/sessions.h), or when deleted (sign-out, password reset, revocation).
    CREATE TABLE sessions (
      hash          TEXT PRIMARY KEY,
      user_id       TEXT NOT NULL REFERENCES users(id),
      created_at    INTEGER NOT NULL,
      last_seen_at  INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sessions_by_user ON sessions (user_id);
    CREATE INDEX sessions_by_expiry ON sessions (expires_at);

    -- Sign-in attempts per organisation and name as typed, whether or not such a user
    -- exists, keyed by the SHA-256 of both (a name field sometimes holds a password typed in
    -- the wrong box). Counted before the password is checked; locked_until 0: not locked.
    CREATE TABLE sign_in_attempts (
      key              TEXT PRIMARY KEY,
      attempts         INTEGER NOT NULL,
      last_attempt_at  INTEGER NOT NULL,
      locked_until     INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sign_in_attempts_by_age ON sign_in_attempts (last_attempt_at);
    )sql",

    // 3 -> 4: a process's state kept with every command, and marks of damaged trails
    // (issue 13). Processes written before have no snapshot and are replayed until their next
    // command writes one.
    R"sql(
    -- The state after the process's last command (engine/state_codec.h), without the texts of
    -- its products (those are in product_versions), checked on every load against the
    -- processes row and the last event (storage/process_loader_sql.h). A rowid table: the
    -- state of a long process is kilobytes.
    CREATE TABLE process_snapshots (
      process_id  TEXT NOT NULL PRIMARY KEY,
      version     INTEGER NOT NULL,
      head_hash   TEXT NOT NULL,
      state       TEXT NOT NULL
    ) STRICT;

    -- Processes whose trail or projection a full check (storage/integrity_check.h) found not
    -- to verify, and why (Dutch). Such a process refuses commands and every read of it says
    -- so; a later check that finds it intact again (restored from a backup) removes the mark.
    CREATE TABLE process_damage (
      process_id       TEXT NOT NULL PRIMARY KEY,
      organisation_id  INTEGER NOT NULL,
      found_at         TEXT NOT NULL,
      reason           TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    )sql",

    // 4 -> 5: every checkpoint navolg has signed (issue 13), once per process, seq and key,
    // so that a chain rewritten since is refused a new one (storage/checkpoint_store.h).
    R"sql(
    -- signed_at: as in the checkpoint ("2026-11-28T17:00:00.000Z"); signature: base64.
    CREATE TABLE checkpoints (
      process_id  TEXT NOT NULL REFERENCES processes(id),
      seq         INTEGER NOT NULL,
      key_id      TEXT NOT NULL,
      head        TEXT NOT NULL,
      signed_at   TEXT NOT NULL,
      signature   TEXT NOT NULL,
      PRIMARY KEY (process_id, seq, key_id)
    ) STRICT, WITHOUT ROWID;
    )sql",

    // 5 -> 6: hardening of accounts (issue 13): sign-in throttling per source address,
    // deactivated users, and the security log. Times in throttle rows are ms since the epoch.
    R"sql(
    -- Replaced by sign_in_buckets and sign_in_locks (storage/sign_in_throttle.h).
    DROP TABLE sign_in_attempts;

    -- NULL: the user may sign in; else when a beheerder (or the command line) deactivated the
    -- user. A deactivated user's row, name and role stay, so every trail still names them.
    ALTER TABLE users ADD COLUMN deactivated_at TEXT;

    -- Token buckets kept as their theoretical arrival time (GCRA): a bucket of `burst`
    -- attempts refilling one per `interval` is full when tat <= now. Keyed by the SHA-256 of
    -- what they limit (an address, or an organisation and name as typed). `reported`: a
    -- refusal since the bucket last admitted an attempt is in the security log already.
    CREATE TABLE sign_in_buckets (
      key       TEXT PRIMARY KEY,
      tat       INTEGER NOT NULL,
      reported  INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sign_in_buckets_by_tat ON sign_in_buckets (tat);

    -- Locks per organisation, name and address (key: SHA-256 of the three; name_key: of
    -- organisation and name, so a new password lifts every lock of the name): failures
    -- counted before the password is checked, forgotten on success. `reported` as above.
    CREATE TABLE sign_in_locks (
      key              TEXT PRIMARY KEY,
      name_key         TEXT NOT NULL,
      failures         INTEGER NOT NULL,
      last_failure_at  INTEGER NOT NULL,
      locked_until     INTEGER NOT NULL,
      reported         INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sign_in_locks_by_age ON sign_in_locks (last_failure_at);
    CREATE INDEX sign_in_locks_by_name ON sign_in_locks (name_key);

    -- Addresses that signed in successfully to an account (SHA-256 of organisation, name
    -- and address): exempt from the account's slowdown for kFamiliarFor after the last one.
    CREATE TABLE sign_in_familiar (
      key             TEXT PRIMARY KEY,
      last_success_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sign_in_familiar_by_age ON sign_in_familiar (last_success_at);

    -- The security log (storage/security_log.h): per organisation, append-only, apart from
    -- the process trails. user_id: the account concerned (NULL: a name nobody has);
    -- actor_id: who acted, when not that user (a beheerder; NULL from the command line);
    -- details: a JSON object.
    CREATE TABLE security_log (
      id               INTEGER PRIMARY KEY,
      organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
      at               TEXT NOT NULL,
      kind             TEXT NOT NULL,
      user_id          TEXT,
      actor_id         TEXT,
      client_address   TEXT,
      details          TEXT NOT NULL
    ) STRICT;
    CREATE INDEX security_log_by_organisation ON security_log (organisation_id, id);
    CREATE TRIGGER security_log_no_update BEFORE UPDATE ON security_log
      BEGIN SELECT RAISE(ABORT, 'the security log is append-only'); END;
    CREATE TRIGGER security_log_no_delete BEFORE DELETE ON security_log
      BEGIN SELECT RAISE(ABORT, 'the security log is append-only'); END;
    CREATE TRIGGER security_log_no_replace BEFORE INSERT ON security_log
      WHEN EXISTS (SELECT 1 FROM security_log WHERE id = NEW.id)
      BEGIN SELECT RAISE(ABORT, 'the security log is append-only'); END;
    )sql",

    // 6 -> 7: reminders of deadlines (issue 14): the adviseur's list and Termijnen show the
    // latest one, from the deadline's row (the write path keeps them, like the assignee).
    R"sql(
    ALTER TABLE deadlines ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;
    -- The latest deadline.reminded: when, by whom (a user id) and its message (NULL: none).
    ALTER TABLE deadlines ADD COLUMN reminded_at TEXT;
    ALTER TABLE deadlines ADD COLUMN reminded_by TEXT;
    ALTER TABLE deadlines ADD COLUMN reminder_bericht TEXT;
    )sql",

    // 7 -> 8: fast pages (issue 14): what the lists of many processes show, kept beside each
    // process by the write path (engine/waiting_work.h), so a page reads its rows and no more.
    R"sql(
    -- The earliest open deadline (key, due date, overdue_from as in deadlines); NULL when
    -- none is open. The process list shows it and filters on it (overdue only).
    ALTER TABLE processes ADD COLUMN next_deadline TEXT;
    ALTER TABLE processes ADD COLUMN next_due TEXT;
    ALTER TABLE processes ADD COLUMN next_overdue_from INTEGER;
    UPDATE processes SET (next_deadline, next_due, next_overdue_from) =
      (SELECT d.key, d.due, d.overdue_from FROM deadlines d
       WHERE d.process_id = processes.id AND d.is_open = 1
       ORDER BY d.overdue_from, d.key, d.instance LIMIT 1);
    -- "Assigned to me" (with the phase in the index, so "mine in this phase" reads no rows it
    -- does not show), "overdue only" and a search in the titles, for the process list.
    CREATE INDEX processes_by_assignee ON processes (organisation_id, assignee, id, state);
    CREATE INDEX processes_by_title ON processes (organisation_id, id, title);
    CREATE INDEX processes_by_next_deadline ON processes (organisation_id, next_overdue_from)
      WHERE next_overdue_from IS NOT NULL;

    -- The Borgingshuis counts processes per distinct workflow and statuses from this index
    -- alone, in its order (no table rows, no sort). Not partial: SQLite reads the table for a
    -- column that only a partial index's WHERE names.
    CREATE INDEX process_findings_by_statuses ON process_findings (organisation_id,
      workflow_key, findings);

    -- Product instances whose current version waits for adoption by `role` (the definition's
    -- adoption role), in open processes: what bestuur's start page lists.
    CREATE TABLE adoption_queue (
      organisation_id  INTEGER NOT NULL,
      role             TEXT NOT NULL,
      process_id       TEXT NOT NULL,
      product          TEXT NOT NULL,
      instance         INTEGER NOT NULL,
      version          INTEGER NOT NULL,
      hash             TEXT NOT NULL,
      saved_at         TEXT NOT NULL,
      -- When and by whom (a user id) this version was offered for adoption; NULL: not offered.
      offered_at       TEXT,
      offered_by       TEXT,
      PRIMARY KEY (process_id, product, instance)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX adoption_queue_by_role ON adoption_queue (organisation_id, role, process_id,
      product, instance);
    -- Filled from the kept projections and the stored definitions: the current version of
    -- each instance of a product with an adoption role, unless its last adoption has its hash.
    INSERT INTO adoption_queue
      SELECT p.organisation_id, json_extract(spec.value, '$.adoption.role'), v.process_id,
             v.product, v.instance, v.version, v.hash, v.saved_at, NULL, NULL
      FROM processes p
      JOIN workflows w ON w.key = p.workflow_key AND w.version = p.workflow_version
      JOIN json_each(w.content, '$.products') spec
      JOIN product_versions v ON v.process_id = p.id
        AND v.product = json_extract(spec.value, '$.key')
      WHERE p.closed_at IS NULL
        AND json_extract(spec.value, '$.adoption.role') IS NOT NULL
        AND v.version = (SELECT max(c.version) FROM product_versions c
                         WHERE c.process_id = v.process_id AND c.product = v.product
                           AND c.instance = v.instance)
        AND v.hash IS NOT (SELECT a.hash FROM adoptions a
                           WHERE a.process_id = v.process_id AND a.product = v.product
                             AND a.instance = v.instance ORDER BY a.seq DESC LIMIT 1);
    )sql",

    // 8 -> 9: a user's optional e-mail address (issue 14), so that reminders can later go
    // by mail too. NULL: none. storage/email_address.h checks the form before it is stored;
    // the CHECK only keeps out what is plainly no address.
    R"sql(
    ALTER TABLE users ADD COLUMN email TEXT
      CHECK (email IS NULL OR (length(email) BETWEEN 3 AND 254 AND instr(email, '@') > 1));
    )sql",

    // 9 -> 10: the Borgingshuis at 100,000 processes (issue 14, items 9 and 10): what it counts,
    // kept beside process_findings by the write path in the command's transaction
    // (storage/findings_writer_sql.h), so the page reads counts and at most 50 points per
    // cell, and the processes behind an indicator are a range of one key. Filled from
    // process_findings exactly as the write path keeps them.
    R"sql(
    -- Each process's status per check of its findings: 'v' voldaan, 'n' niet voldaan, 'x'
    -- niet van toepassing (as in process_findings.findings). The processes with a status of
    -- an indicator are a range of the key, in process order.
    CREATE TABLE check_statuses (
      organisation_id  INTEGER NOT NULL,
      workflow_key     TEXT NOT NULL,
      check_key        TEXT NOT NULL,
      status           TEXT NOT NULL CHECK (status IN ('v', 'n', 'x')),
      process_id       TEXT NOT NULL,
      PRIMARY KEY (organisation_id, workflow_key, check_key, status, process_id)
    ) STRICT, WITHOUT ROWID;
    -- The rows of check_statuses per organisation, workflow, check and status; none at 0.
    CREATE TABLE check_counts (
      organisation_id  INTEGER NOT NULL,
      workflow_key     TEXT NOT NULL,
      check_key        TEXT NOT NULL,
      status           TEXT NOT NULL,
      processes        INTEGER NOT NULL,
      PRIMARY KEY (organisation_id, workflow_key, check_key, status)
    ) STRICT, WITHOUT ROWID;
    -- The organisation's processes with findings (rows of process_findings).
    CREATE TABLE findings_processes (
      organisation_id  INTEGER PRIMARY KEY,
      processes        INTEGER NOT NULL
    ) STRICT;
    -- Each improvement point of process_findings.improvement_points in its cell: `ordinal` is
    -- its line there (from 0) and `point` that line (engine/report.h,
    -- EncodeImprovementPoints) without its newline. Newest processes first in the key, so a
    -- cell's newest points are the start of its range.
    CREATE TABLE improvement_points (
      organisation_id  INTEGER NOT NULL,
      niveau           TEXT NOT NULL,
      rol              TEXT NOT NULL,
      process_id       TEXT NOT NULL,
      ordinal          INTEGER NOT NULL,
      point            TEXT NOT NULL,
      PRIMARY KEY (organisation_id, niveau, rol, process_id DESC, ordinal)
    ) STRICT, WITHOUT ROWID;
    -- The rows of improvement_points per organisation and cell; none at 0.
    CREATE TABLE improvement_point_counts (
      organisation_id  INTEGER NOT NULL,
      niveau           TEXT NOT NULL,
      rol              TEXT NOT NULL,
      points           INTEGER NOT NULL,
      PRIMARY KEY (organisation_id, niveau, rol)
    ) STRICT, WITHOUT ROWID;

    -- "key=v;key=n;..." split into its entries, each read as engine/report.h's DecodeStatuses
    -- reads it.
    INSERT INTO check_statuses
      WITH RECURSIVE entries (organisation_id, workflow_key, process_id, entry, rest) AS (
        SELECT organisation_id, workflow_key, process_id, '', findings || ';'
        FROM process_findings
        UNION ALL
        SELECT organisation_id, workflow_key, process_id, substr(rest, 1, instr(rest, ';') - 1),
               substr(rest, instr(rest, ';') + 1)
        FROM entries WHERE rest <> '')
      SELECT organisation_id, workflow_key, substr(entry, 1, length(entry) - 2),
             substr(entry, -1), process_id
      FROM entries
      WHERE length(entry) >= 3 AND substr(entry, -2, 1) = '='
        AND substr(entry, -1) IN ('v', 'n', 'x');
    INSERT INTO check_counts
      SELECT organisation_id, workflow_key, check_key, status, count(*) FROM check_statuses
      GROUP BY organisation_id, workflow_key, check_key, status;
    INSERT INTO findings_processes
      SELECT organisation_id, count(*) FROM process_findings GROUP BY organisation_id;
    -- One point per line, "niveau TAB rol TAB seq TAB tekst" and a newline.
    INSERT INTO improvement_points
      WITH RECURSIVE lines (organisation_id, process_id, ordinal, line, rest) AS (
        SELECT organisation_id, process_id, -1, '', improvement_points
        FROM process_findings WHERE improvement_points IS NOT NULL
        UNION ALL
        SELECT organisation_id, process_id, ordinal + 1,
               substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1)
        FROM lines WHERE instr(rest, char(10)) > 0),
      fields AS (
        SELECT organisation_id, process_id, ordinal, line,
               substr(line, 1, instr(line, char(9)) - 1) AS niveau,
               substr(line, instr(line, char(9)) + 1) AS after_niveau
        FROM lines WHERE ordinal >= 0)
      SELECT organisation_id, niveau, substr(after_niveau, 1, instr(after_niveau, char(9)) - 1),
             process_id, ordinal, line
      FROM fields;
    INSERT INTO improvement_point_counts
      SELECT organisation_id, niveau, rol, count(*) FROM improvement_points
      GROUP BY organisation_id, niveau, rol;
    )sql",
};

constexpr std::int32_t kMigrationCount =
    static_cast<std::int32_t>(sizeof kMigrations / sizeof kMigrations[0]);
static_assert(kMigrationCount == kSchemaVersion, "one migration per schema version");

std::int32_t PragmaInt(sql::Database& db, const char* pragma) {
  sql::Statement query(db, std::string("PRAGMA ") + pragma);
  query.executeStep();
  return query.getColumn(0).getInt();
}

Status TooNew(const std::string& where, std::int32_t version, std::int32_t known) {
  return Status(Code::kFailedPrecondition,
                where + " is bijgewerkt door een nieuwere navolg (schemaversie " +
                    std::to_string(version) + "; deze navolg kent tot en met versie " +
                    std::to_string(known) + "). Werk navolg bij.");
}

// The version navolg_schema holds; 0 when it holds none.
std::int32_t PostgresVersion(sql::Database& db) {
  sql::Statement row(db, "SELECT version FROM navolg_schema WHERE application_id = " +
                             std::to_string(kApplicationId));
  return row.executeStep() ? row.getColumn(0).getInt() : 0;
}

// PostgreSQL keeps the version in a table of its own, changed under an advisory lock so that
// nodes starting together migrate once. A new database gets the schema of every migration so
// far with their backfills left out (storage/sql/postgres_ddl.h): there is nothing to fill.
// Migrations after kFirstSharedMigration run on both backends as they are, backfills included.
constexpr std::int32_t kFirstSharedMigration = 10;

Status MigratePostgres(sql::Database& db, std::span<const char* const> migrations) {
  const auto target = static_cast<std::int32_t>(migrations.size());
  const std::string where = "database " + db.name();
  sql::Transaction transaction(db);
  db.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kApplicationId) + ")");
  db.exec(
      "CREATE TABLE IF NOT EXISTS navolg_schema (application_id BIGINT NOT NULL, "
      "version BIGINT NOT NULL)");
  std::int32_t version = 0;
  {
    sql::Statement row(db, "SELECT application_id, version FROM navolg_schema");
    if (row.executeStep()) {
      if (row.getColumn(0).getInt64() != kApplicationId) {
        return Status(Code::kFailedPrecondition,
                      where + " is van een ander programma; navolg laat hem ongemoeid.");
      }
      version = row.getColumn(1).getInt();
    } else {
      sql::Statement tables(db,
                            "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                            "current_schema() AND table_name <> 'navolg_schema'");
      tables.executeStep();
      if (tables.getColumn(0).getInt64() != 0) {
        return Status(Code::kFailedPrecondition,
                      where +
                          " bevat al tabellen van een ander programma; navolg laat hem "
                          "ongemoeid. Geef navolg een eigen, lege database.");
      }
    }
  }
  if (version > target + 1) return TooNew(where, version, target);
  if (version >= target) return Status::Ok();  // the next version: a rolling update
  if (version != 0 && version < kFirstSharedMigration) {
    return Status(Code::kFailedPrecondition, where + " heeft schemaversie " +
                                                 std::to_string(version) +
                                                 ", die navolg op PostgreSQL nooit schreef.");
  }
  for (std::int32_t v = version; v < target; ++v) {
    db.exec(sql::PostgresDdl(migrations[static_cast<std::size_t>(v)],
                             /*schema_only=*/v < kFirstSharedMigration));
  }
  db.exec("DELETE FROM navolg_schema");
  db.exec("INSERT INTO navolg_schema (application_id, version) VALUES (" +
          std::to_string(kApplicationId) + ", " + std::to_string(target) + ")");
  transaction.commit();
  return Status::Ok();
}

}  // namespace

Status Migrate(sql::Database& db) {
  if (db.dialect() == sql::Dialect::kPostgres) {
    try {
      return MigratePostgres(db, kMigrations);
    } catch (const sql::Exception& e) {
      return Status(Code::kInternal, "schema bijwerken in " + db.name() + ": " + e.what());
    }
  }
  const std::string file = db.name();
  // Reading the header first: a file that is not SQLite fails here, before anything is written.
  const std::int32_t application_id = PragmaInt(db, "application_id");
  const std::int32_t version = PragmaInt(db, "user_version");
  // Finalised at once: a statement still open would lock the schema against a migration
  // that drops a table (SQLITE_LOCKED).
  const bool empty = [&] {
    sql::Statement tables(db, "SELECT count(*) FROM sqlite_schema");
    tables.executeStep();
    return tables.getColumn(0).getInt() == 0;
  }();
  // An empty file is ours to migrate, unless another program has already marked it.
  if (application_id != kApplicationId && (!empty || application_id != 0)) {
    return Status(Code::kFailedPrecondition,
                  "'" + file +
                      "' is een SQLite-database van een ander programma, geen "
                      "navolg-database; navolg laat het bestand ongemoeid.");
  }
  if (version > kSchemaVersion) {
    return Status(Code::kFailedPrecondition,
                  "'" + file + "' is geschreven door een nieuwere navolg (schemaversie " +
                      std::to_string(version) + "; deze navolg kent tot en met versie " +
                      std::to_string(kSchemaVersion) +
                      "). Werk navolg bij; het bestand is niet gewijzigd.");
  }
  if (version == kSchemaVersion) return Status::Ok();

  sql::Transaction transaction(db, sql::TransactionBehavior::IMMEDIATE);
  for (std::int32_t v = version; v < kSchemaVersion; ++v) db.exec(kMigrations[v]);
  db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  transaction.commit();
  return Status::Ok();
}

Status CheckSchema(sql::Database& db) {
  const std::string where = "database " + db.name();
  try {
    if (db.dialect() == sql::Dialect::kPostgres) {
      const std::int32_t version = [&] {
        sql::Statement exists(db, "SELECT to_regclass('navolg_schema') IS NOT NULL");
        exists.executeStep();
        return exists.getColumn(0).getInt64() == 1 ? PostgresVersion(db) : 0;
      }();
      if (version > kSchemaVersion + 1) return TooNew(where, version, kSchemaVersion);
      if (version >= kSchemaVersion) return Status::Ok();
    } else if (PragmaInt(db, "user_version") == kSchemaVersion) {
      return Status::Ok();
    }
  } catch (const sql::Exception& e) {
    return Status(Code::kFailedPrecondition, where + " is niet te lezen: " + e.what());
  }
  return Status(Code::kFailedPrecondition, where + " heeft niet de schemaversie van deze navolg.");
}

Status MigratePostgresWith(sql::Database& db, std::span<const char* const> migrations) {
  try {
    return MigratePostgres(db, migrations);
  } catch (const sql::Exception& e) {
    return Status(Code::kInternal, "schema bijwerken in " + db.name() + ": " + e.what());
  }
}

std::span<const char* const> Migrations() { return kMigrations; }

}  // namespace navolg::storage
