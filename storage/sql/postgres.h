// The PostgreSQL backend of storage/sql/sql.h, over libpq: for installations where several
// `navolg serve` nodes share one database. Statements are prepared on the server once per
// connection; their `?` and `:name` parameters are numbered ($1, $2, ...) on the way
// (TranslateParameters), so storage's SQL stays one text for both backends.
//
// Statements sent with Statement::send go out in libpq's pipeline mode without waiting for
// their answers; Flush(), or the next statement that waits for an answer, sends a sync and
// reads them all. A command's writes thus cost one round trip instead of one each: with one
// writer connection per node, round trips are what limit its commit rate.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/sql/sql.h"

struct pg_conn;

namespace navolg::storage::sql {

// `sql` with its `?` and `:name` parameters numbered as PostgreSQL's $1, $2, ... (a name used
// twice keeps its number); `names` gets each name's number. Quoted text, quoted identifiers
// and `::` casts are left alone. "BEGIN IMMEDIATE" becomes "BEGIN".
std::string TranslateParameters(std::string_view sql,
                                std::unordered_map<std::string, int>* names = nullptr);

// The address with its password left out, for messages and logs:
// postgresql://navolg:geheim@db/navolg -> postgresql://navolg@db/navolg.
std::string WithoutPassword(std::string_view address);

class PostgresDatabase final : public Database {
 public:
  // Connects to a postgresql:// address and runs `session_settings` (SET statements), again
  // after every reconnection; throws sql::Exception (kUnavailable, kNoAccess).
  explicit PostgresDatabase(const std::string& address,
                            std::vector<std::string> session_settings = {});
  ~PostgresDatabase() override;
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string name() const override { return name_; }
  int exec(std::string_view sql) override;
  std::unique_ptr<StatementBackend> Prepare(std::string_view sql) override;
  int getChanges() const override { return changes_; }
  bool InTransaction() const override;
  void Flush() override;

  // A connection the server dropped (a restart, a failover, a killed backend) is opened anew
  // before the next statement, and its statements are prepared again when next used. Lost
  // inside a transaction, every statement but ROLLBACK fails (kUnavailable) until the caller
  // rolls back, so that nothing meant for the lost transaction runs outside it. True when
  // `sql` is that ROLLBACK: the server has rolled back already, nothing is left to run.
  bool Reconnect(std::string_view sql);
  // Counts reconnections: a statement prepared in an earlier one is prepared again.
  std::uint64_t generation() const { return generation_; }
  // Records whether the connection is inside a transaction, after each statement.
  void NoteTransactionState();

  pg_conn* handle() const { return conn_; }
  void set_changes(int changes) { changes_ = changes; }

  struct Prepared {
    std::string name;  // the server's name for it
    int parameters = 0;
    std::unordered_map<std::string, int> names;
  };
  // The server-side prepared statement for `sql` on this connection, prepared when new.
  const Prepared& PreparedFor(std::string_view sql);
  // Sends the prepared statement `name` without waiting for its answer (pipeline mode).
  void SendPrepared(const std::string& name, const std::vector<const char*>& values);
  // Before a statement that waits for its answer: the answers of those sent are read, and
  // the first failure among them thrown, unless `sql` is a ROLLBACK (which undoes them).
  void Drain(std::string_view sql);

 private:
  void ApplySessionSettings();

  pg_conn* conn_ = nullptr;
  std::string name_;
  std::vector<std::string> session_settings_;
  int changes_ = 0;
  std::uint64_t generation_ = 0;
  bool in_transaction_ = false;  // as of the last statement that reached the server
  int sent_ = 0;                 // statements sent whose answers are not read yet
  // Server-side prepared statements of this connection, by their text.
  std::unordered_map<std::string, Prepared> prepared_;
  int prepared_count_ = 0;  // names them: s1, s2, ...
};

}  // namespace navolg::storage::sql
