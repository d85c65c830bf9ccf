#include <string_view>

#include "engine/audit_chain.h"
#include "engine/canonical_json.h"
#include "engine/sha256.h"
#include "engine/state_codec.h"
#include "storage/process_loader_sql.h"
#include "storage/sql/sql.h"

namespace navolg::storage {

// The line is canonical (engine/audit_chain.h), so `hash` is followed only by prev,
// process_id, seq and type, none of which can hold the text "hash":" : its last occurrence is
// the event's own.
std::string LineHash(std::string_view line) {
  constexpr std::string_view kKey = "\"hash\":\"";
  const std::size_t at = line.rfind(kKey);
  if (at == std::string_view::npos || line.size() < at + kKey.size() + 64) return "";
  return std::string(line.substr(at + kKey.size(), 64));
}

namespace {

std::string Short(const std::string& hash) { return hash.substr(0, 12) + "…"; }

// Checks the last stored event against the head the state or row names.
Status CheckLastEvent(StatementCache& statements, const std::string& id, const ProcessHead& head) {
  // Only the line's end: a product.saved line can be large, and the hash is in its last 300
  // characters (process ids and event types are short).
  Query last(statements,
             "SELECT seq, CASE WHEN length(line) > 300 THEN substr(line, length(line) - 299) "
             "ELSE line END FROM events WHERE process_id = ? "
             "ORDER BY seq DESC LIMIT 1");
  last->bind(1, id);
  if (!last->executeStep()) return Damaged(id, "het trail heeft geen gebeurtenissen");
  const std::int64_t seq = last->getColumn(0).getInt64();
  if (seq != head.version) {
    return Damaged(id, "het trail eindigt bij gebeurtenis " + std::to_string(seq) +
                           ", de opgeslagen stand noemt versie " + std::to_string(head.version));
  }
  const std::string hash = LineHash(last->getColumn(1).getText());
  if (hash != head.head_hash) {
    return Damaged(id, "de hash van gebeurtenis " + std::to_string(seq) + " (" + Short(hash) +
                           ") is niet die van de opgeslagen stand (" + Short(head.head_hash) + ")");
  }
  return Status::Ok();
}

// Fills in the content of every current product version, checking it against its hash.
Status LoadContents(StatementCache& statements, const std::string& id, ProcessState& state) {
  for (auto& [product, instances] : state.products) {
    for (std::size_t i = 0; i < instances.size(); ++i) {
      ProductVersion& current = instances[i].current;
      Query query(statements,
                  "SELECT content FROM product_versions WHERE process_id = ? AND product = ? "
                  "AND instance = ? AND version = ?");
      query->bind(1, id);
      query->bind(2, product);
      query->bind(3, static_cast<std::int64_t>(i + 1));
      query->bind(4, current.version);
      const std::string where =
          product + " " + std::to_string(i + 1) + " versie " + std::to_string(current.version);
      if (!query->executeStep()) return Damaged(id, "de tekst van " + where + " ontbreekt");
      const std::string_view content = query->getColumn(0).getView();
      auto hash = Sha256Hex(content);
      if (!hash.ok()) return hash.status();
      if (*hash != current.hash) {
        return Damaged(id, "de tekst van " + where + " is gewijzigd (hash " + Short(*hash) +
                               ", in het trail " + Short(current.hash) + ")");
      }
      current.content = nlohmann::json::parse(content, nullptr, /*allow_exceptions=*/false);
      if (current.content.is_discarded()) {
        return Damaged(id, "de tekst van " + where + " is onleesbaar");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status Damaged(const std::string& id, const std::string& reason) {
  return Status(Code::kDamaged, "proces " + id + ": " + reason);
}

std::optional<std::string> DamageMark(StatementCache& statements, const std::string& id) {
  Query query(statements, "SELECT reason FROM process_damage WHERE process_id = ?");
  query->bind(1, id);
  if (!query->executeStep()) return std::nullopt;
  return query->getColumn(0).getString();
}

StoredTrail ReadStoredEvents(StatementCache& statements, const std::string& id, bool verify) {
  StoredTrail trail;
  Query query(statements, "SELECT seq, line FROM events WHERE process_id = ? ORDER BY seq");
  query->bind(1, id);
  std::string prev = GenesisHash();
  while (query->executeStep()) {
    const std::int64_t seq = query->getColumn(0).getInt64();
    const std::string at = "gebeurtenis " + std::to_string(seq);
    auto parsed = nlohmann::json::parse(query->getColumn(1).getText(), nullptr, false);
    if (parsed.is_discarded()) {
      trail.damage = at + " is geen JSON";
      return trail;
    }
    auto event = EventFromJson(parsed);
    if (!event.ok()) {
      trail.damage = at + ": " + event.status().message();
      return trail;
    }
    if (verify) {
      const auto expected = static_cast<std::int64_t>(trail.events.size()) + 1;
      if (event->seq != expected || seq != expected) {
        trail.damage = "na gebeurtenis " + std::to_string(expected - 1) + " volgt gebeurtenis " +
                       std::to_string(event->seq);
      } else if (event->prev != prev) {
        trail.damage = at + " verwijst niet naar de hash van de vorige";
      } else if (event->process_id != id) {
        trail.damage = at + " hoort bij een ander proces";
      } else if (Status sealed = VerifySeal(*event); !sealed.ok()) {
        trail.damage = sealed.message();
      }
      if (trail.damage) return trail;
      prev = event->hash;
    }
    trail.events.push_back(std::move(*event));
  }
  return trail;
}

Result<ProcessState> ReplayStored(StatementCache& statements, const std::string& id,
                                  const Definition& definition) {
  StoredTrail trail = ReadStoredEvents(statements, id, /*verify=*/true);
  if (trail.damage) return Damaged(id, *trail.damage);
  ProcessState state;
  for (const Event& event : trail.events) {
    if (Status applied = Evolve(definition, state, event); !applied.ok()) {
      return Damaged(id, applied.message());
    }
  }
  return state;
}

Status CheckHead(StatementCache& statements, const std::string& id, const ProcessHead& head) {
  if (Status last = CheckLastEvent(statements, id, head); !last.ok()) return last;
  Query snapshot(statements,
                 "SELECT version, head_hash FROM process_snapshots WHERE process_id = ?");
  snapshot->bind(1, id);
  if (snapshot->executeStep() && (snapshot->getColumn(0).getInt64() != head.version ||
                                  snapshot->getColumn(1).getString() != head.head_hash)) {
    return Damaged(id, "de opgeslagen toestand (versie " +
                           std::to_string(snapshot->getColumn(0).getInt64()) +
                           ") hoort niet bij versie " + std::to_string(head.version));
  }
  return Status::Ok();
}

Result<ProcessState> LoadProcessState(StatementCache& statements, const std::string& id,
                                      const Definition& definition, const ProcessHead& head) {
  if (auto mark = DamageMark(statements, id)) return Damaged(id, *mark);
  return LoadVerifiedState(statements, id, definition, head);
}

Result<ProcessState> LoadVerifiedState(StatementCache& statements, const std::string& id,
                                       const Definition& definition, const ProcessHead& head) {
  if (Status last = CheckLastEvent(statements, id, head); !last.ok()) return last;

  Query snapshot(statements,
                 "SELECT version, head_hash, state FROM process_snapshots WHERE process_id = ?");
  snapshot->bind(1, id);
  if (!snapshot->executeStep()) {
    // Written by a navolg before snapshots: replay (the writer adds one on the next command).
    auto replayed = ReplayStored(statements, id, definition);
    if (!replayed.ok()) return replayed.status();
    if (replayed->version != head.version || replayed->head_hash != head.head_hash) {
      return Damaged(id, "het trail eindigt niet waar de opgeslagen stand eindigt");
    }
    return replayed;
  }
  if (snapshot->getColumn(0).getInt64() != head.version ||
      snapshot->getColumn(1).getString() != head.head_hash) {
    return Damaged(id, "de opgeslagen toestand (versie " +
                           std::to_string(snapshot->getColumn(0).getInt64()) +
                           ") hoort niet bij versie " + std::to_string(head.version));
  }
  auto encoded = nlohmann::json::parse(snapshot->getColumn(2).getText(), nullptr, false);
  auto state = encoded.is_discarded()
                   ? Result<ProcessState>(Status(Code::kDataLoss, "unreadable snapshot"))
                   : DecodeState(encoded);
  if (!state.ok()) return Damaged(id, "de opgeslagen toestand is onleesbaar");
  if (state->id != id || state->version != head.version || state->head_hash != head.head_hash ||
      state->workflow_key != definition.key || state->workflow_version != definition.version) {
    return Damaged(id, "de opgeslagen toestand hoort niet bij dit proces of deze versie");
  }
  if (Status contents = LoadContents(statements, id, *state); !contents.ok()) return contents;
  return state;
}

}  // namespace navolg::storage
