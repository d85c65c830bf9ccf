// Who a process is assigned to: the current value of the text field that the definition
// names as its "assignee" (docs/workflow-format.md), a user id. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "engine/definition.h"
#include "engine/process_state.h"

namespace navolg {

// The assignee's user id: the field's value in the latest instance of its product that has
// a non-blank one. nullopt when the definition names no assignee or no instance has a value.
std::optional<std::string> CurrentAssignee(const Definition& definition, const ProcessState& state);

}  // namespace navolg
