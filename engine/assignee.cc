#include "engine/assignee.h"

#include "engine/product_rules.h"

namespace navolg {

std::optional<std::string> CurrentAssignee(const Definition& definition,
                                           const ProcessState& state) {
  if (!definition.assignee) return std::nullopt;
  const auto& instances = state.Instances(definition.assignee->product);
  for (auto it = instances.rbegin(); it != instances.rend(); ++it) {
    const nlohmann::json& content = it->current.content;
    auto value = content.find(definition.assignee->field);
    if (value != content.end() && value->is_string() &&
        !IsBlank(value->get_ref<const std::string&>())) {
      // The later of this save and the latest hand-over decides.
      if (state.handover && state.handover->seq > it->current.seq) return state.handover->to;
      return value->get<std::string>();
    }
  }
  if (state.handover) return state.handover->to;
  return std::nullopt;
}

bool WithinReach(const Definition& definition, const ProcessState& state, const Actor& actor,
                 Reach reach) {
  if (reach == Reach::kAnyProcess) return true;
  const std::optional<std::string> assignee = CurrentAssignee(definition, state);
  return !assignee || *assignee == actor.user;
}

Refusal OutOfReach() {
  const std::string detail =
      "Dit proces is aan een andere adviseur toegewezen: u kunt het lezen, maar niet wijzigen. "
      "Vraag een manager om het aan u toe te wijzen.";
  return Refusal{RefusalKind::kForbidden, detail, {Problem{"niet_toegewezen", "", 0, "", detail}}};
}

}  // namespace navolg
