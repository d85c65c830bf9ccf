// Deadlines: due dates computed from product fields and constants, in Europe/Amsterdam
// calendar days, and what a command does to them (start, reschedule, meet, cancel).
// Pure functions; the clock is always an argument.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/process_state.h"

namespace navolg {

// The due date of `spec` for a deadline that started on `started_on`, from the current
// products; nullopt while a field it needs has no value yet.
std::optional<Date> ComputeDue(const DeadlineSpec& spec, const ProcessState& state,
                               Date started_on);

// Overdue from 00:00 Europe/Amsterdam on the day after the due date, while open.
bool IsOverdue(const DeadlineState& deadline, Time now);

// What happened in a command that deadlines react to.
struct DeadlineTrigger {
  std::string transition;     // key of the transition taken, if any
  std::string product_saved;  // key of the product saved, if any
};

struct EventDraft {
  std::string type;
  nlohmann::json data;
};

// The deadline events that follow from `trigger`, given the state after the command's own
// events and today's Amsterdam date. In definition order, at most one event per deadline.
std::vector<EventDraft> DeadlineEvents(const Definition& definition, const ProcessState& state,
                                       const DeadlineTrigger& trigger, Date today);

}  // namespace navolg
