#include "storage/checkpoint_store.h"

#include <optional>
#include <sstream>

#include "engine/audit_chain.h"
#include "storage/database.h"
#include "storage/group_committer.h"
#include "storage/process_loader_sql.h"
#include "storage/sql/sql.h"
#include "storage/statement_cache.h"
#include "storage/writer.h"

namespace navolg::storage {
namespace {

// What an intact export says about its chain.
struct Head {
  std::string process_id;
  std::int64_t seq = 0;
  std::string hash;
};

Result<Head> HeadOf(const std::string& export_text) {
  std::istringstream in(export_text);
  const VerifyReport report = VerifyExport(in);
  if (!report.intact) {
    return Status(Code::kDataLoss, "het opgeslagen audittrail is niet intact (" + report.reason +
                                       "); navolg ondertekent het daarom niet");
  }
  if (report.checkpoint) return Status(Code::kDataLoss, "de export eindigt al met een checkpoint");
  return Head{report.process_id, report.events, report.head_hash};
}

Checkpoint FromRow(sql::Statement& row, const std::string& process_id) {
  Checkpoint checkpoint;
  checkpoint.process_id = process_id;
  checkpoint.seq = row.getColumn(0).getInt64();
  checkpoint.key_id = row.getColumn(1).getString();
  checkpoint.head = row.getColumn(2).getString();
  checkpoint.at = ParseTime(row.getColumn(3).getString()).value_or(Time{});
  checkpoint.signature = row.getColumn(4).getString();
  return checkpoint;
}

// Ok when the event at every kept checkpoint's seq still has that checkpoint's head as hash.
Status CheckKeptHeads(sql::Database& db, const std::string& process_id) {
  sql::Statement query(db,
                       "SELECT c.seq, c.head, c.signed_at, e.line "
                       "FROM checkpoints c LEFT JOIN events e "
                       "ON e.process_id = c.process_id AND e.seq = c.seq "
                       "WHERE c.process_id = ? ORDER BY c.seq");
  query.bind(1, process_id);
  while (query.executeStep()) {
    const std::string kept = query.getColumn(1).getString();
    const bool exists = !query.getColumn(3).isNull();
    const std::string hash = exists ? LineHash(query.getColumn(3).getText()) : "";
    if (exists && hash == kept) continue;
    const std::string seq = std::to_string(query.getColumn(0).getInt64());
    const std::string now =
        exists ? "heeft die gebeurtenis hash " + hash : "bestaat die gebeurtenis niet meer";
    return Status(Code::kFailedPrecondition,
                  "Het audittrail van proces " + process_id +
                      " is herschreven: navolg ondertekende op " + query.getColumn(2).getString() +
                      " een checkpoint met hash " + kept + " bij volgnummer " + seq + ", maar nu " +
                      now +
                      ". navolg ondertekent dit trail niet opnieuw; vergelijk het met de "
                      "eerdere export en waarschuw de beheerder.");
  }
  return Status::Ok();
}

std::optional<Checkpoint> FindKept(sql::Database& db, const Head& head, const std::string& key_id) {
  sql::Statement query(db,
                       "SELECT seq, key_id, head, signed_at, signature FROM checkpoints "
                       "WHERE process_id = ? AND seq = ? AND key_id = ?");
  query.bind(1, head.process_id);
  query.bind(2, head.seq);
  query.bind(3, key_id);
  if (!query.executeStep()) return std::nullopt;
  return FromRow(query, head.process_id);
}

// The checks and the write, inside the caller's transaction. Throws sql::Exception.
Result<std::string> KeepIn(sql::Database& db, const Head& head, const SigningKey& key, Time at) {
  if (Status kept = CheckKeptHeads(db, head.process_id); !kept.ok()) return kept;
  std::optional<Checkpoint> checkpoint = FindKept(db, head, key.public_key().id());
  // A kept checkpoint for this seq and key is over this very head: CheckKeptHeads compared.
  if (!checkpoint) {
    Result<Checkpoint> signed_now = SignCheckpoint(key, head.process_id, head.seq, head.hash, at);
    if (!signed_now.ok()) return signed_now.status();
    checkpoint = std::move(*signed_now);
    sql::Statement insert(db,
                          "INSERT INTO checkpoints (process_id, seq, key_id, head, signed_at, "
                          "signature) VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, checkpoint->process_id);
    insert.bind(2, checkpoint->seq);
    insert.bind(3, checkpoint->key_id);
    insert.bind(4, checkpoint->head);
    insert.bind(5, FormatTime(checkpoint->at));
    insert.bind(6, checkpoint->signature);
    insert.exec();
  }
  Result<std::string> line = CheckpointLine(*checkpoint);
  if (!line.ok()) return line.status();
  return *line + "\n";
}

}  // namespace

Result<std::string> KeepCheckpoint(GroupCommitter& writer, const std::string& export_text,
                                   const SigningKey& key, Time at) {
  Result<Head> head = HeadOf(export_text);
  if (!head.ok()) return head.status();
  std::optional<Result<std::string>> result;
  Status status = writer.RunTask([&](WriteConnection& connection) {
    result = KeepIn(connection.db(), *head, key, at);
    // A refusal wrote nothing; throwing would only roll back the same nothing.
  });
  if (!status.ok()) return status;
  return std::move(*result);
}

Result<std::string> KeepCheckpoint(Connection& connection, const std::string& export_text,
                                   const SigningKey& key, Time at) {
  Result<Head> head = HeadOf(export_text);
  if (!head.ok()) return head.status();
  try {
    sql::Transaction transaction(connection.db(), sql::TransactionBehavior::IMMEDIATE);
    Result<std::string> line = KeepIn(connection.db(), *head, key, at);
    if (line.ok()) transaction.commit();
    return line;
  } catch (const sql::Exception& e) {
    return FromSql(e, "checkpoint bewaren");
  }
}

Result<std::vector<Checkpoint>> KeptCheckpoints(const Connection& connection,
                                                const std::string& id) {
  try {
    Query query(connection,
                "SELECT seq, key_id, head, signed_at, signature FROM checkpoints "
                "WHERE process_id = ? ORDER BY seq, key_id");
    query->bind(1, id);
    std::vector<Checkpoint> checkpoints;
    while (query->executeStep()) checkpoints.push_back(FromRow(*query, id));
    return checkpoints;
  } catch (const sql::Exception& e) {
    return FromSql(e, "checkpoints lezen");
  }
}

}  // namespace navolg::storage
