// The SQL that storage/ runs, whichever database is underneath: a Database (a connection),
// its Statements, their Columns, and one Exception. Storage's sources are written against
// these, never against SQLite or libpq, so each query is one text for both backends
// (storage/sql/sqlite.h, storage/sql/postgres.h).
//
// The text: parameters are `?` or `:name` (a backend that numbers them, like PostgreSQL,
// rewrites them); the SQL itself is the subset both engines read alike (`ON CONFLICT ... DO
// NOTHING` rather than `INSERT OR IGNORE`, `IS DISTINCT FROM` rather than `IS NOT`,
// `RETURNING` rather than the last insert rowid). Where a statement has no common form, the
// caller asks `dialect()`.
//
// The method names follow SQLiteCpp's (bind, executeStep, exec, getColumn), which storage
// was first written against. Errors are thrown as sql::Exception inside storage and turned
// into a Status at each public function (storage/database.h, FromSql).
//
// Not thread-safe: one thread at a time per Database and its Statements.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace navolg::storage::sql {

enum class Dialect { kSqlite, kPostgres };

// What went wrong, as far as a caller may act on it.
enum class ErrorKind {
  kOther,
  kNotADatabase,  // the file is not a database of this engine
  kCorrupt,
  kFull,      // disk or quota full: nothing was written
  kNoAccess,  // cannot open, read-only, permission
  kBusy,      // locked by another connection past the wait
  kIo,
  kUnique,       // a unique or primary key constraint
  kConstraint,   // another constraint (check, foreign key, not null, a trigger's refusal)
  kRetry,        // serialization failure or deadlock: the transaction may be tried again
  kUnavailable,  // the database server cannot be reached or went away
};

class Exception : public std::runtime_error {
 public:
  Exception(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// A backend's prepared statement; what Statement forwards to.
class StatementBackend {
 public:
  virtual ~StatementBackend() = default;
  virtual int ParameterIndex(const char* name) const = 0;  // 1-based; throws if unknown
  virtual void BindNull(int index) = 0;
  virtual void BindInt64(int index, std::int64_t value) = 0;
  virtual void BindText(int index, std::string_view value) = 0;  // copied
  // `value` copied, or (copy false) read in place: it must then outlive the statement's run.
  virtual void BindString(int index, const std::string& value, bool copy) = 0;
  virtual bool Step() = 0;  // true: a row is ready
  // Runs it for its effect only; see Statement::send. By default, at once.
  virtual void Send() {
    while (Step()) {
    }
  }
  virtual void Reset() = 0;  // may throw
  virtual void ResetQuietly() noexcept = 0;
  virtual void ClearBindings() = 0;
  virtual int ColumnCount() const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual std::int64_t Int64(int column) const = 0;
  // Valid until the next Step or Reset, and NUL-terminated in both backends.
  virtual std::string_view Text(int column) const = 0;
  virtual int Changes() const = 0;  // rows changed by the last exec
};

class Statement;

// One column of the current row. Valid until the statement steps again.
class Column {
 public:
  Column(const StatementBackend& statement, int index) : statement_(statement), index_(index) {}
  bool isNull() const { return statement_.IsNull(index_); }
  std::int64_t getInt64() const { return statement_.Int64(index_); }
  int getInt() const { return static_cast<int>(statement_.Int64(index_)); }
  std::string getString() const { return std::string(statement_.Text(index_)); }
  std::string_view getView() const { return statement_.Text(index_); }
  const char* getText() const { return statement_.Text(index_).data(); }

 private:
  const StatementBackend& statement_;
  int index_;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // What an operator knows the database by: a file name, or an address without its password.
  virtual std::string name() const = 0;
  // Runs SQL without parameters (several statements allowed); rows changed by the last.
  virtual int exec(std::string_view sql) = 0;
  // exec without throwing; whether it succeeded (for the way out of a scope).
  bool tryExec(std::string_view sql) noexcept {
    try {
      exec(sql);
      return true;
    } catch (...) {
      return false;
    }
  }
  virtual std::unique_ptr<StatementBackend> Prepare(std::string_view sql) = 0;
  // Rows changed by the last statement run on this connection.
  virtual int getChanges() const = 0;
  // Whether a transaction is open (a backend may end one itself on a full disk or an error).
  virtual bool InTransaction() const = 0;
  // Waits for every statement sent (Statement::send) and throws the first one's failure.
  virtual void Flush() {}
};

// A prepared statement of `db` (which must outlive it). Throws sql::Exception.
class Statement {
 public:
  Statement(Database& db, std::string_view sql) : backend_(db.Prepare(sql)) {}

  void bind(int index) { backend_->BindNull(index); }
  void bind(int index, std::int64_t value) { backend_->BindInt64(index, value); }
  void bind(int index, int value) { backend_->BindInt64(index, value); }
  void bind(int index, long long value) { backend_->BindInt64(index, value); }  // NOLINT
  void bind(int index, bool value) = delete;                                    // say 0 or 1
  void bind(int index, const std::string& value) { backend_->BindString(index, value, true); }
  void bind(int index, std::string_view value) { backend_->BindText(index, value); }
  void bind(int index, const char* value) { backend_->BindText(index, value); }
  // Binds without copying where the backend can (SQLite): `value` must outlive the run.
  void bindNoCopy(int index, const std::string& value) {
    backend_->BindString(index, value, false);
  }
  template <typename T>
  void bind(int index, const std::optional<T>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind(index);
    }
  }
  template <typename T>
  void bind(const char* name, const T& value) {
    bind(backend_->ParameterIndex(name), value);
  }
  void bind(const char* name) { bind(backend_->ParameterIndex(name)); }

  // The next row; false when there is none (then the statement is done until reset).
  bool executeStep() { return backend_->Step(); }
  // Runs to the end; the number of rows changed.
  int exec() {
    while (backend_->Step()) {
    }
    return backend_->Changes();
  }
  // Runs a statement whose rows and count nobody reads. A backend may send it without waiting
  // for its answer (PostgreSQL sends a command's writes in one round trip): its failure is
  // then thrown by the connection's next Flush(), or by the next statement that waits for an
  // answer (except a ROLLBACK, which deals with it). So flush before relying on the write;
  // the values bound are copied.
  void send() { backend_->Send(); }
  Column getColumn(int index) const { return Column(*backend_, index); }
  bool isColumnNull(int index) const { return backend_->IsNull(index); }
  int getColumnCount() const { return backend_->ColumnCount(); }
  void reset() { backend_->Reset(); }
  void tryReset() noexcept { backend_->ResetQuietly(); }
  void clearBindings() { backend_->ClearBindings(); }

 private:
  std::unique_ptr<StatementBackend> backend_;
};

// IMMEDIATE takes the write lock at BEGIN (SQLite); PostgreSQL locks rows as it goes and
// reads both as BEGIN.
enum class TransactionBehavior { DEFERRED, IMMEDIATE };  // NOLINT: SQLiteCpp's names

// BEGIN ... COMMIT with a rollback unless committed. For the writer's batches, see
// storage/writer.h; this is for the short transactions elsewhere.
class Transaction {
 public:
  explicit Transaction(Database& db, TransactionBehavior behavior = TransactionBehavior::DEFERRED);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// SAVEPOINT name ... RELEASE, rolled back to unless released. Outside a transaction it is
// one (BEGIN ... COMMIT), as SQLite makes an outermost savepoint; PostgreSQL would refuse it.
class Savepoint {
 public:
  Savepoint(Database& db, std::string name);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void release();

 private:
  Database& db_;
  std::string name_;
  bool outermost_ = false;
  bool done_ = false;
};

// The few words the two dialects spell differently, for SQL texts built in storage/.
// SQLite's planner hints (navolg keeps no statistics for SQLite's planner), which PostgreSQL,
// planning from its own statistics, neither needs nor parses: " INDEXED BY index" on SQLite,
// "" on PostgreSQL.
inline std::string IndexedBy(const Database& db, std::string_view index) {
  return db.dialect() == Dialect::kSqlite ? " INDEXED BY " + std::string(index) : "";
}
// A column whose index the planner must not use: "+column" on SQLite, the column on PostgreSQL.
inline std::string WithoutIndex(const Database& db, std::string_view column) {
  return (db.dialect() == Dialect::kSqlite ? "+" : "") + std::string(column);
}
// BEGIN for a transaction that only reads and must see one commit throughout: SQLite's read
// transaction; on PostgreSQL REPEATABLE READ (its default, READ COMMITTED, would show each
// statement the latest commit, another node's included).
inline void BeginReadSnapshot(Database& db) {
  db.exec(db.dialect() == Dialect::kSqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ");
}
// LIKE with ASCII letters matching either case: SQLite's LIKE, PostgreSQL's ILIKE (which also
// folds other letters).
inline const char* LikeAnyCase(const Database& db) {
  return db.dialect() == Dialect::kSqlite ? "LIKE" : "ILIKE";
}

}  // namespace navolg::storage::sql
