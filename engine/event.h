// An audit event: one entry of a process's hash chain (architecture.md, "The audit trail").
//
// Events are values. The engine creates them fully formed (seq, prev and hash filled in);
// storage appends them unchanged; exports and the verifier read them back.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/calendar.h"

namespace navolg {

struct Actor {
  std::string user;
  std::string role;

  static Actor System() { return Actor{"system", "system"}; }
  bool operator==(const Actor&) const = default;
};

struct Event {
  std::int64_t seq = 0;
  std::string process_id;
  std::string type;
  Time at{};
  Actor actor;
  nlohmann::json data = nlohmann::json::object();
  std::string prev;  // the previous event's hash; 64 zeros for seq 1
  std::string hash;  // SHA-256 (lowercase hex) of the canonical form without `hash`

  bool operator==(const Event&) const = default;
};

// The `prev` of a process's first event.
inline const std::string& GenesisHash() {
  static const std::string kZeros(64, '0');
  return kZeros;
}

}  // namespace navolg
