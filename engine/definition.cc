#include "engine/definition.h"

#include <algorithm>

#include "engine/role.h"

namespace navolg {

const std::vector<std::string>& BorgingshuisLevels() {
  static const std::vector<std::string> kLevels = {"organisatie", "vraagstuk", "gesprek"};
  return kLevels;
}

const std::vector<std::string>& BorgingshuisRoles() {
  static const std::vector<std::string> kRoles = [] {
    std::vector<std::string> names;
    for (Role role : RolesWhere(&ActsInProcesses)) names.emplace_back(RoleName(role));
    return names;
  }();
  return kRoles;
}

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kText:
      return "text";
    case FieldType::kLongtext:
      return "longtext";
    case FieldType::kDate:
      return "date";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kEnumlist:
      return "enumlist";
    case FieldType::kTextlist:
      return "textlist";
    case FieldType::kItems:
      return "items";
    case FieldType::kUser:
      return "user";
  }
  return "?";
}

std::int64_t DefaultMaxLength(FieldType type) {
  switch (type) {
    case FieldType::kText:
      return kDefaultTextLength;
    case FieldType::kLongtext:
      return kDefaultLongtextLength;
    case FieldType::kTextlist:
      return kDefaultTextlistEntryLength;
    default:
      return 0;
  }
}

std::string FieldSpec::OptionLabel(const std::string& option) const {
  if (auto found = option_labels.find(option); found != option_labels.end()) return found->second;
  std::string text = option;
  std::replace(text.begin(), text.end(), '_', ' ');
  return text;
}

const FieldSpec* ProductSpec::Field(const std::string& field_key) const {
  for (const FieldSpec& field : fields) {
    if (field.key == field_key) return &field;
  }
  return nullptr;
}

bool Definition::IsEndState(const std::string& state) const {
  return std::find(end_states.begin(), end_states.end(), state) != end_states.end();
}

bool Definition::HasState(const std::string& state) const {
  return !state.empty() && std::find(states.begin(), states.end(), state) != states.end();
}

const ProductSpec* Definition::Product(const std::string& product_key) const {
  for (const ProductSpec& product : products) {
    if (product.key == product_key) return &product;
  }
  return nullptr;
}

const DeadlineSpec* Definition::Deadline(const std::string& deadline_key) const {
  for (const DeadlineSpec& deadline : deadlines) {
    if (deadline.key == deadline_key) return &deadline;
  }
  return nullptr;
}

const TransitionSpec* Definition::Transition(const std::string& transition_key) const {
  for (const TransitionSpec& transition : transitions) {
    if (transition.key == transition_key) return &transition;
  }
  return nullptr;
}

bool Definition::TransitionLeaves(const TransitionSpec& t, const std::string& state) const {
  if (IsEndState(state)) return false;
  if (t.from_any_open_state) return HasState(state);
  return std::find(t.from.begin(), t.from.end(), state) != t.from.end();
}

bool Definition::ProductEditableIn(const ProductSpec& p, const std::string& state) const {
  if (IsEndState(state)) return false;
  if (p.editable_in_any_open_state) return true;
  return std::find(p.editable_in.begin(), p.editable_in.end(), state) != p.editable_in.end();
}

}  // namespace navolg
