#include "storage/sql/sqlite.h"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

namespace navolg::storage::sql {
namespace {

ErrorKind KindOf(int code) {
  switch (code & 0xff) {
    case SQLITE_NOTADB:
      return ErrorKind::kNotADatabase;
    case SQLITE_CORRUPT:
      return ErrorKind::kCorrupt;
    case SQLITE_FULL:
      return ErrorKind::kFull;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      return ErrorKind::kNoAccess;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorKind::kBusy;
    case SQLITE_IOERR:
      return ErrorKind::kIo;
    case SQLITE_CONSTRAINT:
      return (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
                 ? ErrorKind::kUnique
                 : ErrorKind::kConstraint;
    default:
      return ErrorKind::kOther;
  }
}

// Runs `body`, translating SQLiteCpp's exception into ours.
template <typename Body>
auto Translated(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    throw FromSqliteException(e);
  }
}

class SqliteStatement final : public StatementBackend {
 public:
  SqliteStatement(SQLite::Database& db, std::string_view sql)
      : statement_(Translated([&] { return SQLite::Statement(db, std::string(sql)); })) {}

  int ParameterIndex(const char* name) const override {
    const int index = statement_.getIndex(name);
    if (index == 0) throw Exception(ErrorKind::kOther, std::string("onbekende parameter ") + name);
    return index;
  }
  void BindNull(int index) override {
    Translated([&] { statement_.bind(index); });
  }
  void BindInt64(int index, std::int64_t value) override {
    Translated([&] { statement_.bind(index, static_cast<int64_t>(value)); });
  }
  void BindText(int index, std::string_view value) override {
    // Bound as text (SQLiteCpp's bind of a pointer and a size binds a blob), copied.
    Translated([&] { statement_.bind(index, std::string(value)); });
  }
  void BindString(int index, const std::string& value, bool copy) override {
    Translated([&] {
      if (copy) {
        statement_.bind(index, value);
      } else {
        statement_.bindNoCopy(index, value);
      }
    });
  }
  bool Step() override {
    return Translated([&] { return statement_.executeStep(); });
  }
  void Reset() override {
    Translated([&] { statement_.reset(); });
  }
  void ResetQuietly() noexcept override { (void)statement_.tryReset(); }
  void ClearBindings() override { statement_.clearBindings(); }
  int ColumnCount() const override { return statement_.getColumnCount(); }
  bool IsNull(int column) const override {
    return Translated([&] { return statement_.isColumnNull(column); });
  }
  std::int64_t Int64(int column) const override {
    return Translated([&] { return statement_.getColumn(column).getInt64(); });
  }
  std::string_view Text(int column) const override {
    return Translated([&] {
      const SQLite::Column value = statement_.getColumn(column);
      const char* text = value.getText();
      return std::string_view(text, static_cast<std::size_t>(value.getBytes()));
    });
  }
  int Changes() const override { return statement_.getChanges(); }

 private:
  mutable SQLite::Statement statement_;
};

}  // namespace

Exception FromSqliteException(const SQLite::Exception& e) {
  const int code = e.getExtendedErrorCode() != -1 ? e.getExtendedErrorCode() : e.getErrorCode();
  return Exception(KindOf(code), e.what());
}

SqliteDatabase::SqliteDatabase(const std::string& path, int flags, int busy_timeout_ms)
    : db_(Translated([&] { return SQLite::Database(path, flags, busy_timeout_ms); })) {}

int SqliteDatabase::exec(std::string_view sql) {
  return Translated([&] { return db_.exec(std::string(sql)); });
}

std::unique_ptr<StatementBackend> SqliteDatabase::Prepare(std::string_view sql) {
  return std::make_unique<SqliteStatement>(db_, sql);
}

bool SqliteDatabase::InTransaction() const { return sqlite3_get_autocommit(db_.getHandle()) == 0; }

}  // namespace navolg::storage::sql
