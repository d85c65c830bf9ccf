#include "api/http/people.h"

#include <algorithm>
#include <set>

#include "engine/assignee.h"

namespace navolg::http {

UserNames NamesOf(const std::vector<storage::Colleague>& colleagues) {
  UserNames names;
  for (const storage::Colleague& colleague : colleagues) names[colleague.id] = colleague.name;
  return names;
}

std::optional<Problem> CheckChosenUser(const std::vector<storage::Colleague>& colleagues,
                                       const std::string& id, const std::string& role,
                                       const std::string& field, const std::string& label) {
  auto found = std::find_if(colleagues.begin(), colleagues.end(),
                            [&](const storage::Colleague& c) { return c.id == id; });
  std::string detail;
  if (found == colleagues.end()) {
    detail = "'" + label + "': kies een " + role + " uit de lijst; '" + id +
             "' is geen gebruiker van uw organisatie.";
  } else if (!found->active) {
    detail =
        "'" + label + "': " + found->name + " is gedeactiveerd; kies een actieve " + role + ".";
  } else if (found->role != role) {
    detail = "'" + label + "': " + found->name + " is " + found->role + ", geen " + role + ".";
  } else {
    return std::nullopt;
  }
  return Problem{"gebruiker_ongeldig", "", 0, field, detail};
}

std::vector<Problem> CheckUserFields(const std::vector<storage::Colleague>& colleagues,
                                     const ProductSpec& product, const nlohmann::json& content) {
  std::vector<Problem> problems;
  if (!content.is_object()) return problems;  // the engine refuses the shape
  for (const FieldSpec& field : product.fields) {
    if (field.type != FieldType::kUser) continue;
    auto value = content.find(field.key);
    if (value == content.end() || !value->is_string()) continue;  // absent, or the engine's
    const std::string& id = value->get_ref<const std::string&>();
    if (id.empty()) continue;
    if (auto problem = CheckChosenUser(colleagues, id, field.user_role, field.key, field.label)) {
      problem->product = product.key;
      problems.push_back(std::move(*problem));
    }
  }
  return problems;
}

bool HasUserFields(const ProductSpec& product) {
  return std::any_of(product.fields.begin(), product.fields.end(),
                     [](const FieldSpec& f) { return f.type == FieldType::kUser; });
}

std::string AssigneeRole(const Definition& definition) {
  if (definition.assignee) {
    if (const ProductSpec* product = definition.Product(definition.assignee->product)) {
      const FieldSpec* field = product->Field(definition.assignee->field);
      if (field != nullptr && field->type == FieldType::kUser) return field->user_role;
    }
  }
  return "adviseur";
}

nlohmann::json PeopleOf(const Definition& definition, const ProcessState& state,
                        const UserNames& names) {
  std::set<std::string> ids;
  if (auto assignee = CurrentAssignee(definition, state)) ids.insert(*assignee);
  for (const ProductSpec& product : definition.products) {
    for (const FieldSpec& field : product.fields) {
      if (field.type != FieldType::kUser) continue;
      for (const ProductInstance& instance : state.Instances(product.key)) {
        const nlohmann::json& content = instance.current.content;
        if (!content.is_object()) continue;
        auto value = content.find(field.key);
        if (value != content.end() && value->is_string()) ids.insert(value->get<std::string>());
      }
    }
    for (const ProductInstance& instance : state.Instances(product.key)) {
      if (instance.offered()) ids.insert(instance.offered_by.user);
    }
  }
  if (state.handover) {
    ids.insert(state.handover->from);
    ids.insert(state.handover->to);
    ids.insert(state.handover->by.user);
  }
  for (const DeadlineState& deadline : state.deadlines) {
    if (!deadline.last_reminder) continue;
    ids.insert(deadline.last_reminder->to);
    ids.insert(deadline.last_reminder->by.user);
  }
  nlohmann::json people = nlohmann::json::object();
  for (const std::string& id : ids) {
    if (auto name = names.find(id); name != names.end()) people[id] = name->second;
  }
  return people;
}

}  // namespace navolg::http
