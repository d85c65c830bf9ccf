// Who a process is assigned to: the current value of the text field that the definition
// names as its "assignee" (docs/workflow-format.md), a user id. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "engine/definition.h"
#include "engine/event.h"
#include "engine/problem.h"
#include "engine/process_state.h"

namespace navolg {

// The assignee's user id: the field's value in the latest instance of its product that has
// a non-blank one, or the latest hand-over's `to` when that came later (engine.h, HandOver).
// nullopt when the definition names no assignee or nobody was assigned yet.
std::optional<std::string> CurrentAssignee(const Definition& definition, const ProcessState& state);

// How far a user's permission to change processes reaches (the policy table decides it per
// role and action, api/http/policy.h).
enum class Reach {
  kAnyProcess,       // every process of the organisation
  kAssignedProcess,  // a process assigned to the user, or, until someone is, to nobody
};

// Whether `actor` may change `state` with `reach`: always with kAnyProcess; with
// kAssignedProcess when the process has no assignee or it is actor.user.
bool WithinReach(const Definition& definition, const ProcessState& state, const Actor& actor,
                 Reach reach);

// The refusal (kForbidden, code "niet_toegewezen", in Dutch) for a command out of reach.
Refusal OutOfReach();

}  // namespace navolg
