// Guards: the conditions a transition needs, evaluated as pure predicates over the process
// state. Each unmet condition becomes a Problem with a stable code and a Dutch sentence.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/definition.h"
#include "engine/problem.h"
#include "engine/process_state.h"

namespace navolg {

// What keeps `spec` from being complete: "product_ontbreekt" when a non-repeating product
// was never saved, else every missing field of every instance.
std::vector<Problem> IncompleteProduct(const ProductSpec& spec, const ProcessState& state);

// Every guard of `transition` that does not hold, in definition order. `motivation` is the
// text given with the command, if any.
std::vector<Problem> UnmetGuards(const Definition& definition, const ProcessState& state,
                                 const TransitionSpec& transition,
                                 const std::optional<std::string>& motivation);

// The same for any list of guards; `step_title` names the step in a missing-motivation
// problem.
std::vector<Problem> UnmetConditions(const Definition& definition, const ProcessState& state,
                                     const std::vector<Guard>& guards,
                                     const std::string& step_title,
                                     const std::optional<std::string>& motivation);

}  // namespace navolg
