// The single writer's side of the database (SQLite or PostgreSQL): the connection the group
// committer's writer thread owns (Writer), and the two scopes every write runs in, each rolling
// back unless told otherwise: the batch's transaction (BatchTransaction) and one command's
// savepoint inside it (CommandSavepoint). Whatever they roll back, the writer cache forgets, so the
// cache never holds a state that is not on disk or in the open transaction.
//
// Private to storage's sources and tests; no public header includes it (a private header of
// storage ends in _sql.h or is this one). SQLiteCpp's own sql::Savepoint is not used: it prepares
// and runs new SQL for every savepoint (quoting its name, then SAVEPOINT, RELEASE), on the writer's
// path of every command; these run statements prepared once per connection, answer a Status, and
// make the cache forget.
//
// Not thread-safe: the writer thread only. (Its cache and write path's DecideAhead are the
// exceptions the group committer relies on; see storage/group_committer.h.)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "engine/status.h"
#include "storage/database.h"
#include "storage/directory.h"
#include "storage/sql/sql.h"
#include "storage/write_path_sql.h"
#include "storage/writer_cache.h"

namespace navolg::storage {

// What a GroupCommitter::WriteTask writes through: the writer's connection, inside the open
// batch transaction and the task's own savepoint. A task may throw sql::Exception.
class WriteConnection {
 public:
  explicit WriteConnection(sql::Database& db) : db_(db) {}
  sql::Database& db() const { return db_; }

 private:
  sql::Database& db_;
};

class Writer {
 public:
  // Opens the database for writing (OpenForWriting), loads its workflows and prepares the
  // statements the writer keeps.
  static Result<std::unique_ptr<Writer>> Open(const DatabaseOptions& options);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  sql::Database& db() { return *db_; }
  const std::shared_ptr<const WorkflowCatalog>& catalog() const { return catalog_; }
  WriterCache& cache() { return cache_; }
  WritePath& write_path() { return write_path_; }
  const WritePath& write_path() const { return write_path_; }

 private:
  friend class BatchTransaction;
  friend class CommandSavepoint;
  Writer(std::unique_ptr<sql::Database> db, std::shared_ptr<const WorkflowCatalog> catalog);

  // Runs a kept statement; an error as a Status about `what`.
  Status Run(sql::Statement& statement, const char* what);
  // Sends a kept statement (sql::Statement::send: its failure may come with a later one).
  Status Send(sql::Statement& statement, const char* what);
  // Runs a kept statement on the way out of a scope, without throwing; whether it succeeded.
  static bool RunQuietly(sql::Statement& statement);
  // Whether a transaction is open: SQLite ends it itself on SQLITE_FULL or an I/O error.
  bool InTransaction() const;

  std::unique_ptr<sql::Database> db_;
  std::shared_ptr<const WorkflowCatalog> catalog_;
  WriterCache cache_;
  WritePath write_path_;
  sql::Statement begin_, commit_, rollback_, savepoint_, release_, rollback_to_;
  std::optional<sql::Statement> stop_waiting_;  // PostgreSQL only
};

// BEGIN IMMEDIATE ... COMMIT (BEGIN ... COMMIT on PostgreSQL). Unless Commit() succeeds, the
// destructor rolls back (if the database has not already) and the cache forgets every process: a
// batch fails only on a full disk, an I/O error or the like, rarely enough that replaying trails
// afterwards costs nothing worth keeping a list of the batch's processes for on every command.
class BatchTransaction {
 public:
  static Result<BatchTransaction> Begin(Writer& writer);
  BatchTransaction(BatchTransaction&& other) noexcept;
  BatchTransaction& operator=(BatchTransaction&&) = delete;
  ~BatchTransaction();

  // Ok: everything released into the transaction is durable (the fsync happens inside).
  // Refused when a savepoint could not be rolled back: the batch might hold half a command.
  Status Commit();
  // SQLite rolled the transaction back by itself: nothing of it will be written.
  bool Lost() const { return !writer_->InTransaction(); }
  // PostgreSQL: from now on a lock another node holds fails the statement (kRetry) after
  // 20 ms instead of waiting for it (storage/group_committer.h, rule 8). SQLite: nothing.
  Status StopWaitingForLocks();

 private:
  friend class CommandSavepoint;
  explicit BatchTransaction(Writer& writer) : writer_(&writer) {}

  Writer* writer_;  // null once moved from or committed
  bool savepoint_rollback_failed_ = false;
};

// SAVEPOINT ... RELEASE around one command or task. Unless Release() succeeds, the destructor
// rolls back to the savepoint (if SQLite has not rolled back everything already) and the
// cache forgets `process_id`: its entry may hold a state that was never kept.
class CommandSavepoint {
 public:
  // process_id: the process the command writes, "" for a task (which writes none); it must
  // outlive the savepoint.
  static Result<CommandSavepoint> Open(BatchTransaction& transaction,
                                       const std::string& process_id);
  CommandSavepoint(CommandSavepoint&& other) noexcept;
  CommandSavepoint& operator=(CommandSavepoint&&) = delete;
  ~CommandSavepoint();

  // Keeps what was written since Open in the batch (whose rollback still makes the cache
  // forget it).
  Status Release();

 private:
  CommandSavepoint(BatchTransaction& transaction, const std::string& process_id)
      : transaction_(&transaction), process_id_(&process_id) {}

  BatchTransaction* transaction_;  // null once moved from or released
  const std::string* process_id_;
};

}  // namespace navolg::storage
