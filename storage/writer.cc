#include "storage/writer.h"

namespace navolg::storage {

Result<std::unique_ptr<Writer>> Writer::Open(const DatabaseOptions& options) {
  auto db = OpenForWriting(options);
  if (!db.ok()) return db.status();
  auto catalog = WorkflowCatalog::Load(**db);
  if (!catalog.ok()) return catalog.status();
  try {
    return std::unique_ptr<Writer>(new Writer(std::move(*db), std::move(*catalog)));
  } catch (const sql::Exception& e) {
    return FromSql(e, "database '" + options.path + "'");
  }
}

Writer::Writer(std::unique_ptr<sql::Database> db, std::shared_ptr<const WorkflowCatalog> catalog)
    : db_(std::move(db)),
      catalog_(std::move(catalog)),
      write_path_(*db_, catalog_, cache_),
      begin_(*db_, "BEGIN IMMEDIATE"),
      commit_(*db_, "COMMIT"),
      rollback_(*db_, "ROLLBACK"),
      savepoint_(*db_, "SAVEPOINT command"),
      release_(*db_, "RELEASE command"),
      rollback_to_(*db_, "ROLLBACK TO command") {
  if (db_->dialect() == sql::Dialect::kPostgres) {
    // Shorter than the server's deadlock_timeout (1 s): a cycle through this transaction ends
    // here, quickly, rather than in the server's deadlock check.
    stop_waiting_.emplace(*db_, "SET LOCAL lock_timeout = '20ms'");
  }
}

Status Writer::Run(sql::Statement& statement, const char* what) {
  try {
    statement.tryReset();
    statement.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, what);
  }
}

Status Writer::Send(sql::Statement& statement, const char* what) {
  try {
    statement.tryReset();
    statement.send();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, what);
  }
}

bool Writer::RunQuietly(sql::Statement& statement) {
  statement.tryReset();
  try {
    statement.exec();
    return true;
  } catch (const sql::Exception&) {
    return false;
  }
}

bool Writer::InTransaction() const { return db_->InTransaction(); }

Result<BatchTransaction> BatchTransaction::Begin(Writer& writer) {
  Status begun = writer.Run(writer.begin_, "vastleggen");
  if (!begun.ok()) return begun;
  return BatchTransaction(writer);
}

BatchTransaction::BatchTransaction(BatchTransaction&& other) noexcept
    : writer_(std::exchange(other.writer_, nullptr)),
      savepoint_rollback_failed_(other.savepoint_rollback_failed_) {}

BatchTransaction::~BatchTransaction() {
  if (writer_ == nullptr) return;
  if (writer_->InTransaction()) (void)Writer::RunQuietly(writer_->rollback_);
  writer_->cache_.ForgetAll();
}

Status BatchTransaction::Commit() {
  if (savepoint_rollback_failed_) {
    return Status(Code::kInternal,
                  "vastleggen: een geweigerde opdracht kon niet worden "
                  "teruggedraaid; er is niets vastgelegd.");
  }
  Status committed = writer_->Run(writer_->commit_, "vastleggen");
  if (committed.ok()) writer_ = nullptr;
  return committed;
}

Status BatchTransaction::StopWaitingForLocks() {
  if (!writer_->stop_waiting_) return Status::Ok();
  return writer_->Run(*writer_->stop_waiting_, "vastleggen");
}

Result<CommandSavepoint> CommandSavepoint::Open(BatchTransaction& transaction,
                                                const std::string& process_id) {
  Writer& writer = *transaction.writer_;
  Status opened = writer.Send(writer.savepoint_, "vastleggen");
  if (!opened.ok()) return opened;
  return CommandSavepoint(transaction, process_id);
}

CommandSavepoint::CommandSavepoint(CommandSavepoint&& other) noexcept
    : transaction_(std::exchange(other.transaction_, nullptr)), process_id_(other.process_id_) {}

CommandSavepoint::~CommandSavepoint() {
  if (transaction_ == nullptr) return;
  Writer& writer = *transaction_->writer_;
  // After SQLite rolled back the whole transaction there is no savepoint left to go back to.
  if (writer.InTransaction() &&
      !(Writer::RunQuietly(writer.rollback_to_) && Writer::RunQuietly(writer.release_))) {
    transaction_->savepoint_rollback_failed_ = true;
  }
  if (!process_id_->empty()) writer.cache_.Forget(*process_id_);
}

Status CommandSavepoint::Release() {
  Writer& writer = *transaction_->writer_;
  Status released = writer.Send(writer.release_, "vastleggen");
  if (released.ok()) transaction_ = nullptr;
  return released;
}

}  // namespace navolg::storage
