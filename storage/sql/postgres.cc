#include "storage/sql/postgres.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

namespace navolg::storage::sql {
namespace {

// SQLSTATE classes and codes (PostgreSQL's appendix A) as what a caller may act on.
ErrorKind KindOf(const char* state) {
  const std::string_view code = state == nullptr ? "" : state;
  if (code == "23505") return ErrorKind::kUnique;
  if (code.starts_with("23") || code == "P0001") return ErrorKind::kConstraint;
  if (code == "40001" || code == "40P01") return ErrorKind::kRetry;
  if (code == "53100") return ErrorKind::kFull;
  if (code == "55P03") return ErrorKind::kRetry;  // lock_not_available: lock_timeout
  if (code.starts_with("08") || code.starts_with("57P")) return ErrorKind::kUnavailable;
  if (code.starts_with("28") || code == "42501") return ErrorKind::kNoAccess;
  if (code == "XX001" || code == "XX002") return ErrorKind::kCorrupt;
  if (code.starts_with("58")) return ErrorKind::kIo;
  return ErrorKind::kOther;
}

std::string Trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// A result, cleared when it goes.
struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultHandle = std::unique_ptr<PGresult, ResultDeleter>;

// Throws unless `result` is a success; a lost connection when there is no result at all.
void Check(PGconn* conn, const PGresult* result) {
  if (result == nullptr) throw Exception(ErrorKind::kUnavailable, Trimmed(PQerrorMessage(conn)));
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  ErrorKind kind = KindOf(state);
  if (kind == ErrorKind::kOther && PQstatus(conn) == CONNECTION_BAD) kind = ErrorKind::kUnavailable;
  // The primary message alone ("duplicate key value ..."), as SQLite gives its own: without
  // libpq's "ERROR:" and the CONTEXT lines.
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  throw Exception(kind, Trimmed(primary != nullptr ? primary : PQresultErrorMessage(result)));
}

int ChangedRows(const PGresult* result) {
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
  int rows = 0;
  if (tuples != nullptr)
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), rows);
  return rows;
}

class PostgresStatement final : public StatementBackend {
 public:
  PostgresStatement(PostgresDatabase& db, std::string sql,
                    const PostgresDatabase::Prepared& prepared)
      : db_(db),
        sql_(std::move(sql)),
        name_(prepared.name),
        generation_(db.generation()),
        values_(prepared.parameters),
        names_(prepared.names) {}

  int ParameterIndex(const char* name) const override {
    const auto found = names_.find(name);
    if (found == names_.end()) {
      throw Exception(ErrorKind::kOther, std::string("onbekende parameter ") + name);
    }
    return found->second;
  }
  void BindNull(int index) override { Slot(index).reset(); }
  void BindInt64(int index, std::int64_t value) override { Slot(index) = std::to_string(value); }
  void BindText(int index, std::string_view value) override { Slot(index) = std::string(value); }
  void BindString(int index, const std::string& value, bool /*copy*/) override {
    Slot(index) = value;  // libpq sends from our copy
  }

  bool Step() override {
    if (!result_) {
      db_.Drain(sql_);
      if (db_.Reconnect(sql_)) return false;  // a ROLLBACK the lost connection did already
      PrepareAgainIfReconnected();
      const std::vector<const char*> values = Values();
      result_.reset(PQexecPrepared(db_.handle(), name_.c_str(), static_cast<int>(values.size()),
                                   values.data(), nullptr, nullptr, 0));
      try {
        Check(db_.handle(), result_.get());
        db_.NoteTransactionState();
      } catch (...) {
        result_.reset();
        throw;
      }
      db_.set_changes(ChangedRows(result_.get()));
      row_ = 0;
    } else {
      ++row_;
    }
    return row_ < PQntuples(result_.get());
  }
  void Send() override {
    result_.reset();
    if (db_.Reconnect(sql_)) return;
    if (generation_ != db_.generation()) db_.Drain(sql_);  // preparing waits for an answer
    PrepareAgainIfReconnected();
    db_.SendPrepared(name_, Values());
  }
  void Reset() override { result_.reset(); }
  void ResetQuietly() noexcept override { result_.reset(); }
  void ClearBindings() override {
    for (auto& value : values_) value.reset();
  }
  int ColumnCount() const override { return result_ ? PQnfields(result_.get()) : 0; }
  bool IsNull(int column) const override { return PQgetisnull(Current(), row_, column) == 1; }
  // A boolean (a comparison in a select list: `x IS NULL`) reads as SQLite gives it: 1 or 0.
  std::int64_t Int64(int column) const override {
    const char* text = PQgetvalue(Current(), row_, column);
    const int length = PQgetlength(Current(), row_, column);
    if (IsBoolean(column)) return text[0] == 't' ? 1 : 0;
    std::int64_t value = 0;
    std::from_chars(text, text + length, value);
    return value;
  }
  std::string_view Text(int column) const override {
    if (IsBoolean(column)) return PQgetvalue(Current(), row_, column)[0] == 't' ? "1" : "0";
    return std::string_view(PQgetvalue(Current(), row_, column),
                            static_cast<std::size_t>(PQgetlength(Current(), row_, column)));
  }
  int Changes() const override { return result_ ? ChangedRows(result_.get()) : 0; }

 private:
  void PrepareAgainIfReconnected() {
    if (generation_ != db_.generation()) {  // prepared on a connection since lost
      name_ = db_.PreparedFor(sql_).name;
      generation_ = db_.generation();
    }
  }
  std::vector<const char*> Values() const {
    std::vector<const char*> values(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
      values[i] = values_[i] ? values_[i]->c_str() : nullptr;
    }
    return values;
  }
  std::optional<std::string>& Slot(int index) {
    if (index < 1 || index > static_cast<int>(values_.size())) {
      throw Exception(ErrorKind::kOther, "parameter " + std::to_string(index) + " bestaat niet");
    }
    result_.reset();
    return values_[static_cast<std::size_t>(index - 1)];
  }
  bool IsBoolean(int column) const {
    constexpr Oid kBoolOid = 16;  // pg_type.oid of boolean, fixed in every PostgreSQL
    return PQftype(Current(), column) == kBoolOid;
  }
  const PGresult* Current() const {
    if (!result_ || row_ >= PQntuples(result_.get())) {
      throw Exception(ErrorKind::kOther, "geen rij om te lezen");
    }
    return result_.get();
  }

  PostgresDatabase& db_;
  std::string sql_;
  std::string name_;
  std::uint64_t generation_;
  std::vector<std::optional<std::string>> values_;
  std::unordered_map<std::string, int> names_;
  ResultHandle result_;
  int row_ = 0;
};

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string TranslateParameters(std::string_view sql, std::unordered_map<std::string, int>* names) {
  constexpr std::string_view kImmediate = "BEGIN IMMEDIATE";
  if (sql == kImmediate) return "BEGIN";
  std::unordered_map<std::string, int> local;
  auto& numbered = names != nullptr ? *names : local;
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // quoted: copied to its closing quote ('' and "" stay inside)
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?') {  // ?NNN keeps its number (SQLite's numbered parameter)
      std::size_t end = i + 1;
      while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') ++end;
      if (end == i + 1) {
        out += '$' + std::to_string(++next);
      } else {
        const int number = std::stoi(std::string(sql.substr(i + 1, end - i - 1)));
        next = std::max(next, number);
        out += '$' + std::to_string(number);
        i = end - 1;
      }
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      out += "::";
      ++i;
    } else if (c == ':' && i + 1 < sql.size() && IsNameCharacter(sql[i + 1])) {
      std::size_t end = i + 1;
      while (end < sql.size() && IsNameCharacter(sql[end])) ++end;
      const std::string name(sql.substr(i, end - i));
      auto [slot, added] = numbered.try_emplace(name, 0);
      if (added) slot->second = ++next;
      out += '$' + std::to_string(slot->second);
      i = end - 1;
    } else {
      out += c;
    }
  }
  return out;
}

std::string WithoutPassword(std::string_view address) {
  const std::size_t scheme = address.find("://");
  if (scheme == std::string_view::npos) return std::string(address);
  const std::size_t start = scheme + 3;
  const std::size_t at = address.find('@', start);
  const std::size_t slash = address.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(address);
  }
  const std::size_t colon = address.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(address);
  return std::string(address.substr(0, colon)) + std::string(address.substr(at));
}

PostgresDatabase::PostgresDatabase(const std::string& address,
                                   std::vector<std::string> session_settings)
    : conn_(PQconnectdb(address.c_str())),
      name_(WithoutPassword(address)),
      session_settings_(std::move(session_settings)) {
  if (conn_ == nullptr)
    throw Exception(ErrorKind::kUnavailable, "geen geheugen voor een verbinding");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = Trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    const bool refused = message.find("authentication") != std::string::npos ||
                         message.find("password") != std::string::npos;
    throw Exception(refused ? ErrorKind::kNoAccess : ErrorKind::kUnavailable, message);
  }
  ApplySessionSettings();
}

PostgresDatabase::~PostgresDatabase() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void PostgresDatabase::ApplySessionSettings() {
  // Messages in English whatever the server's locale: they are matched on, not shown.
  exec("SET client_min_messages = warning");
  for (const std::string& setting : session_settings_) exec(setting);
}

bool PostgresDatabase::Reconnect(std::string_view sql) {
  if (PQstatus(conn_) == CONNECTION_OK) return false;
  const bool rollback = sql == "ROLLBACK";
  if (in_transaction_ && !rollback) {
    throw Exception(ErrorKind::kUnavailable,
                    "de verbinding met de databaseserver viel weg tijdens een transactie");
  }
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw Exception(ErrorKind::kUnavailable, Trimmed(PQerrorMessage(conn_)));
  }
  sent_ = 0;  // whatever was sent went with the old connection
  if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) PQexitPipelineMode(conn_);
  ++generation_;
  prepared_.clear();
  in_transaction_ = false;
  ApplySessionSettings();
  return rollback;
}

void PostgresDatabase::NoteTransactionState() {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  in_transaction_ = status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

int PostgresDatabase::exec(std::string_view sql) {
  Drain(sql);
  if (Reconnect(sql)) return 0;
  ResultHandle result(PQexec(conn_, TranslateParameters(sql).c_str()));
  Check(conn_, result.get());
  NoteTransactionState();
  changes_ = ChangedRows(result.get());
  return changes_;
}

const PostgresDatabase::Prepared& PostgresDatabase::PreparedFor(std::string_view sql) {
  auto [kept, added] = prepared_.try_emplace(std::string(sql));
  if (added) {
    try {
      Drain(sql);
      Prepared& prepared = kept->second;
      prepared.name = "s" + std::to_string(++prepared_count_);
      const std::string text = TranslateParameters(sql, &prepared.names);
      ResultHandle result(PQprepare(conn_, prepared.name.c_str(), text.c_str(), 0, nullptr));
      Check(conn_, result.get());
      ResultHandle described(PQdescribePrepared(conn_, prepared.name.c_str()));
      Check(conn_, described.get());
      prepared.parameters = PQnparams(described.get());
    } catch (...) {
      prepared_.erase(kept);
      throw;
    }
  }
  return kept->second;
}

std::unique_ptr<StatementBackend> PostgresDatabase::Prepare(std::string_view sql) {
  (void)Reconnect(sql);
  return std::make_unique<PostgresStatement>(*this, std::string(sql), PreparedFor(sql));
}

bool PostgresDatabase::InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

void PostgresDatabase::SendPrepared(const std::string& name,
                                    const std::vector<const char*>& values) {
  if (sent_ == 0 && PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1) {
    throw Exception(ErrorKind::kUnavailable, Trimmed(PQerrorMessage(conn_)));
  }
  if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, 0) != 1) {
    throw Exception(ErrorKind::kUnavailable, Trimmed(PQerrorMessage(conn_)));
  }
  ++sent_;
}

void PostgresDatabase::Flush() {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return;
  std::optional<Exception> first;
  if (PQpipelineSync(conn_) != 1) {
    first = Exception(ErrorKind::kUnavailable, Trimmed(PQerrorMessage(conn_)));
  } else {
    // Each statement's result, then NULL; after a failure the rest are PIPELINE_ABORTED;
    // the sync's own result ends it. Two NULLs in a row: the connection has nothing more.
    bool ended_one = false;
    for (;;) {
      ResultHandle result(PQgetResult(conn_));
      if (!result) {
        if (ended_one || PQstatus(conn_) == CONNECTION_BAD) {
          if (!first) first = Exception(ErrorKind::kUnavailable, Trimmed(PQerrorMessage(conn_)));
          break;
        }
        ended_one = true;
        continue;
      }
      ended_one = false;
      const ExecStatusType status = PQresultStatus(result.get());
      if (status == PGRES_PIPELINE_SYNC) break;
      if (status == PGRES_PIPELINE_ABORTED || first) continue;
      try {
        Check(conn_, result.get());
      } catch (const Exception& failure) {
        first = failure;
      }
    }
  }
  sent_ = 0;
  if (PQstatus(conn_) == CONNECTION_OK) PQexitPipelineMode(conn_);
  NoteTransactionState();
  if (first) throw *first;
}

void PostgresDatabase::Drain(std::string_view sql) {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return;
  try {
    Flush();
  } catch (const Exception&) {
    if (!sql.starts_with("ROLLBACK")) throw;
  }
}

}  // namespace navolg::storage::sql
