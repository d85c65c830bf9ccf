// The engine: a pure function from (definition, process state, command, actor, time) to
// either the events to append plus the new state, or a refusal that lists every unmet
// condition. It has no clock, no I/O and no knowledge of any particular workflow: all of
// that is in the Definition. Thread-safe (it touches nothing but its arguments).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/event.h"
#include "engine/problem.h"
#include "engine/process_state.h"

namespace navolg {

// Starts a process in the definition's start state. The caller chooses the id.
struct CreateProcess {
  std::string process_id;
  std::string title;
};

// Saves a new version of a product. `instance` is 0 for a non-repeating product (any other
// number is refused, never mapped to its one instance); for a repeating one, an existing
// instance number or the next one (count + 1).
// A new version of an adopted instance voids its adoption: it is refused (409
// vaststelling_vervalt) unless `voids_adoption` says the author knows.
struct SaveProduct {
  std::string product;
  std::int64_t instance = 0;
  nlohmann::json content;
  bool voids_adoption = false;
};

// Adopts the current version of a product: `instance` is 0 for a non-repeating product and
// 1, 2, ... for a repeating one (anything else is refused as invalid). When `expected_hash`
// is set, the adoption is refused unless that is the current version's hash (the adopter saw
// exactly this text).
struct AdoptProduct {
  std::string product;
  std::int64_t instance = 0;
  std::string expected_hash;
};

// Offers the current version of a product for adoption (product.offered): one of the product's
// editors, once the version is complete and not yet adopted. The adoption role sees it on its
// list; a later save needs a new offer. `instance` and `expected_hash` as for AdoptProduct.
struct OfferForAdoption {
  std::string product;
  std::int64_t instance = 0;
  std::string expected_hash;
};

struct TakeTransition {
  std::string transition;
  std::optional<std::string> motivatie;
};

// Takes the definition's stop transition (stops_process) that leaves the current state.
struct StopProcess {
  std::optional<std::string> motivatie;
};

// Hands the process over to another user (process.handed_over): from then on it is assigned
// to `to` until the next hand-over or a later save of the definition's assignee field. Only a
// manager, only in an open process whose definition names an assignee. Which users exist is
// the API's to check (engine/assignee.h); here `to` is an id.
struct HandOver {
  std::string to;
  std::optional<std::string> toelichting;
};

// Reminds the process's assignee of an open deadline (deadline.reminded). Only a manager.
struct RemindOfDeadline {
  std::string deadline;
  std::optional<std::string> bericht;
};

// Appends one deadline.missed per open deadline that is overdue and not yet recorded.
// Only the system actor does this.
struct RecordMissedDeadlines {};

using Command =
    std::variant<CreateProcess, SaveProduct, AdoptProduct, OfferForAdoption, TakeTransition,
                 StopProcess, HandOver, RemindOfDeadline, RecordMissedDeadlines>;

struct Accepted {
  std::vector<Event> events;  // sealed, seq following state.version; empty for a no-op
  ProcessState state;         // the state after the events
};

using Decision = std::variant<Accepted, Refusal>;

// `state` and `command` are taken by value so callers can move them in (a saved product's
// content moves into its event); the state is returned inside Accepted.
// A CreateProcess needs an empty state (version 0); every other command an existing one.
Decision Execute(const Definition& definition, ProcessState state, Command command,
                 const Actor& actor, Time now);

// For the process view: each transition that leaves the current state, whether `role` may
// take it now, and what is missing (role refusals included).
struct NextStep {
  std::string transition;
  std::string title;
  std::string to;
  bool allowed = false;
  std::vector<Problem> missing;
};
std::vector<NextStep> NextSteps(const Definition& definition, const ProcessState& state,
                                const std::string& role);

}  // namespace navolg
