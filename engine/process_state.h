// The state of one process: what a replay of its events gives.
//
// ProcessState is a plain value. Evolve applies one event to it; Replay folds a whole trail.
// The engine decides on a ProcessState; storage keeps a projection of it that must always
// equal Replay of the stored events. Not synchronised: one owner at a time.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/event.h"
#include "engine/status.h"

namespace navolg {

struct ProductVersion {
  std::int64_t version = 0;  // 1, 2, ... per instance
  std::string hash;          // SHA-256 of the canonical content
  nlohmann::json content = nlohmann::json::object();
  Actor saved_by;
  Time saved_at{};
  std::int64_t seq = 0;  // the product.saved event
};

// One adoption of a product instance, as recorded (an instance can be adopted again after a
// change).
struct AdoptionRecord {
  std::int64_t seq = 0;  // the product.adopted event
  Time at{};
  std::int64_t version = 0;
  std::string hash;
};

struct ProductInstance {
  ProductVersion current;
  Time first_saved_at{};                  // when version 1 was saved
  std::int64_t first_seq = 0;             // its product.saved event
  std::vector<AdoptionRecord> adoptions;  // in seq order
  std::string adopted_hash;               // empty when never adopted
  std::int64_t adopted_version = 0;
  std::int64_t adopted_seq = 0;
  // The latest product.offered: which version was offered for adoption, when and by whom.
  std::string offered_hash;  // empty when never offered
  std::int64_t offered_version = 0;
  std::int64_t offered_seq = 0;
  Time offered_at{};
  Actor offered_by;

  // An adoption covers the exact content it was given for.
  bool adopted() const { return !adopted_hash.empty() && adopted_hash == current.hash; }
  // The current version waits for adoption because its author offered it.
  bool offered() const {
    return !offered_hash.empty() && offered_hash == current.hash && !adopted();
  }
};

// The latest reminder of a deadline (deadline.reminded).
struct Reminder {
  std::int64_t seq = 0;
  Time at{};
  Actor by;
  std::string to;       // the assignee reminded; empty when the process had none
  std::string bericht;  // empty when none was given
};

struct DeadlineState {
  std::string key;
  std::int64_t instance = 1;  // a deadline can start again after it was met
  Date started_on{};          // Europe/Amsterdam
  Date due{};                 // Europe/Amsterdam
  std::int64_t started_seq = 0;
  std::int64_t met_seq = 0;     // 0 while unmet
  std::int64_t missed_seq = 0;  // 0 while no deadline.missed exists
  std::optional<Time> met_at;
  std::optional<Time> cancelled_at;
  std::optional<Time> missed_recorded_at;  // a deadline.missed event exists
  std::int64_t reminder_count = 0;
  std::optional<Reminder> last_reminder;

  bool open() const { return !met_at && !cancelled_at; }
};

// The latest hand-over (process.handed_over).
struct Handover {
  std::int64_t seq = 0;
  Time at{};
  Actor by;
  std::string from;  // the assignee before; empty when there was none
  std::string to;
};

// A transition that was taken (including the stop transition), in seq order.
struct TakenTransition {
  std::string key;
  std::int64_t seq = 0;
  Time at{};
};

struct ProcessState {
  std::string id;
  std::string workflow_key;
  std::int64_t workflow_version = 0;
  std::string workflow_hash;
  std::string title;
  std::string state;         // empty before process.created
  std::int64_t version = 0;  // seq of the last event; 0 for a process that does not exist
  std::string head_hash = GenesisHash();
  Time created_at{};
  Time updated_at{};
  std::optional<Time> closed_at;
  // Instances per product key; a non-repeating product has at most one.
  std::map<std::string, std::vector<ProductInstance>> products;
  std::vector<DeadlineState> deadlines;
  std::vector<TakenTransition> transitions;
  std::optional<Handover> handover;
  // Highest number n handed out as "<field>-n" per "product/field", so ids are never reused.
  std::map<std::string, std::int64_t> generated_id_counters;

  const std::vector<ProductInstance>& Instances(const std::string& product) const;
  DeadlineState* OpenDeadline(const std::string& key);
  const DeadlineState* LatestDeadline(const std::string& key) const;
};

// The version of one product instance as a client saw it (its ETag, for If-Match on a save):
// "p<changed>.<phase>", where <changed> is the seq of the instance's latest save or adoption
// (0 while it does not exist) and <phase> the seq of the latest transition (0 before any).
// It changes when that instance is saved or adopted or the process enters another phase, and
// not when another product is saved. `instance`: 0 or 1 for the one instance of a
// non-repeating product, n for the n-th of a repeating one.
std::string ProductTag(const ProcessState& state, const std::string& product,
                       std::int64_t instance);

// Applies one event (already validated by the engine or the chain verifier). Fails only on
// an event that does not fit the state (wrong seq or prev, unknown type, malformed data),
// which means the stored trail is damaged.
Status Evolve(const Definition& definition, ProcessState& state, const Event& event);

Result<ProcessState> Replay(const Definition& definition, const std::vector<Event>& events);

}  // namespace navolg
