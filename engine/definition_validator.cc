// Cross-reference and graph checks of a definition whose elements each have the right shape:
// every named state, product, field and role exists and fits its use, every state is
// reachable from the start and can reach an end state.

#include <algorithm>
#include <deque>
#include <set>

#include "engine/definition.h"
#include "engine/json_reader.h"
#include "engine/role.h"

namespace navolg {
namespace {

class ReferenceValidator {
 public:
  ReferenceValidator(const Definition& definition, std::vector<DefinitionError>& errors)
      : d_(definition), errors_(errors) {}

  void Run() {
    for (std::size_t i = 0; i < d_.products.size(); ++i) {
      CheckProduct(d_.products[i], JoinPath("/products", i));
    }
    for (std::size_t i = 0; i < d_.transitions.size(); ++i) {
      CheckTransition(d_.transitions[i], JoinPath("/transitions", i));
    }
    CheckDuplicateTransitions();
    for (std::size_t i = 0; i < d_.deadlines.size(); ++i) {
      CheckDeadline(d_.deadlines[i], JoinPath("/deadlines", i));
    }
    for (std::size_t i = 0; i < d_.checks.size(); ++i) {
      CheckCheck(d_.checks[i], JoinPath("/checks", i));
    }
    if (d_.improvement_points) CheckImprovementPoints(*d_.improvement_points);
    CheckGraph();
    CheckAssignee();
  }

 private:
  void Error(const std::string& path, std::string message) {
    errors_.push_back({path, std::move(message)});
  }

  void CheckRole(const std::string& role, const std::string& path) {
    const std::optional<Role> known = ParseRole(role);
    if (!known || !ActsInProcesses(*known)) {
      Error(path, "onbekende rol '" + role + "' (rollen in een proces: " +
                      JoinRoleNames(RolesWhere(&ActsInProcesses), ", ") + ")");
    }
  }

  void CheckRoles(const std::vector<std::string>& roles, const std::string& path) {
    for (std::size_t i = 0; i < roles.size(); ++i) CheckRole(roles[i], JoinPath(path, i));
  }

  // States a product may be edited in or a transition may leave: existing, not an end state.
  void CheckOpenStates(const std::vector<std::string>& states, const std::string& path) {
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (states[i].empty()) continue;  // reported when its shape was read
      if (!d_.HasState(states[i])) {
        Error(JoinPath(path, i), "onbekende toestand '" + states[i] + "'");
      } else if (d_.IsEndState(states[i])) {
        Error(JoinPath(path, i), "'" + states[i] + "' is een eindtoestand");
      }
    }
  }

  void CheckFields(const std::vector<FieldSpec>& fields, const std::string& path) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const FieldSpec& field = fields[i];
      const std::string field_path = JoinPath(JoinPath(path, "fields"), i);
      if (!field.required_unless_field.empty()) {
        const std::string unless_path = JoinPath(field_path, "required_unless");
        auto sibling = std::find_if(fields.begin(), fields.end(), [&](const FieldSpec& f) {
          return f.key == field.required_unless_field;
        });
        if (sibling == fields.end() || sibling->type != FieldType::kEnum) {
          Error(JoinPath(unless_path, "field"),
                "'" + field.required_unless_field + "' is geen enum-veld naast dit veld");
        } else {
          for (std::size_t v = 0; v < field.required_unless_values.size(); ++v) {
            const std::string& value = field.required_unless_values[v];
            if (std::find(sibling->options.begin(), sibling->options.end(), value) ==
                sibling->options.end()) {
              Error(JoinPath(JoinPath(unless_path, "equals"), v),
                    "'" + value + "' is geen keuze van '" + sibling->key + "'");
            }
          }
        }
      }
      if (field.type == FieldType::kItems) CheckFields(field.fields, field_path);
      if (field.type == FieldType::kUser && !field.user_role.empty()) {
        CheckRole(field.user_role, JoinPath(field_path, "role"));
      }
    }
  }

  void CheckProduct(const ProductSpec& product, const std::string& path) {
    CheckRoles(product.editors, JoinPath(path, "editors"));
    CheckOpenStates(product.editable_in, JoinPath(path, "editable_in"));
    if (product.adoption_role) {
      CheckRole(*product.adoption_role, JoinPath(JoinPath(path, "adoption"), "role"));
    }
    CheckFields(product.fields, path);
  }

  const ProductSpec* ExistingProduct(const std::string& key, const std::string& path) {
    const ProductSpec* product = d_.Product(key);
    if (product == nullptr && !key.empty()) Error(path, "onbekend product '" + key + "'");
    return product;
  }

  // A field of a known product, of one of `types`; reports at ref_path/field otherwise.
  const FieldSpec* ExistingField(const FieldRef& ref, const std::string& ref_path,
                                 std::initializer_list<FieldType> types) {
    const ProductSpec* product = ExistingProduct(ref.product, JoinPath(ref_path, "product"));
    if (product == nullptr) return nullptr;
    const FieldSpec* field = product->Field(ref.field);
    if (field == nullptr) {
      if (ref.field.empty()) return nullptr;
      Error(JoinPath(ref_path, "field"),
            "product '" + ref.product + "' heeft geen veld '" + ref.field + "'");
      return nullptr;
    }
    if (std::find(types.begin(), types.end(), field->type) == types.end()) {
      Error(JoinPath(ref_path, "field"), "veld '" + ref.field + "' heeft type " +
                                             FieldTypeName(field->type) + ", dat past hier niet");
      return nullptr;
    }
    return field;
  }

  void CheckItemsRef(const FieldRef& ref, const std::string& ref_path) {
    const FieldSpec* items = ExistingField(ref, ref_path, {FieldType::kItems});
    if (items == nullptr || ref.item_field.empty()) return;  // empty: reported when read
    auto item = std::find_if(items->fields.begin(), items->fields.end(),
                             [&](const FieldSpec& f) { return f.key == ref.item_field; });
    if (item == items->fields.end() || item->type != FieldType::kText) {
      Error(JoinPath(ref_path, "item_field"),
            "'" + ref.item_field + "' is geen tekstveld van de items in '" + ref.field + "'");
    }
  }

  void CheckGuard(const Guard& guard, const std::string& path) {
    switch (guard.kind) {
      case GuardKind::kProductComplete:
        ExistingProduct(guard.product, JoinPath(path, "product"));
        break;
      case GuardKind::kProductAdopted:
        if (const ProductSpec* p = ExistingProduct(guard.product, JoinPath(path, "product"));
            p && !p->adoption_role) {
          Error(JoinPath(path, "product"),
                "product '" + guard.product + "' wordt niet vastgesteld");
        }
        break;
      case GuardKind::kMinCount:
        if (const ProductSpec* p = ExistingProduct(guard.product, JoinPath(path, "product"));
            p && !p->repeating) {
          Error(JoinPath(path, "product"), "product '" + guard.product + "' is niet herhalend");
        }
        break;
      case GuardKind::kAnsweredOnce:
        CheckItemsRef(guard.ids, JoinPath(path, "ids"));
        CheckItemsRef(guard.answers, JoinPath(path, "answers"));
        break;
      case GuardKind::kIncludesAll:
        ExistingField(guard.list, JoinPath(path, "list"),
                      {FieldType::kTextlist, FieldType::kEnumlist});
        ExistingField(guard.must_include, JoinPath(path, "must_include"),
                      {FieldType::kTextlist, FieldType::kEnumlist});
        break;
      case GuardKind::kMotivation:
        break;
      case GuardKind::kFieldSet:
        if (const ProductSpec* p = ExistingProduct(guard.product, JoinPath(path, "product"));
            p && !guard.field.empty() && p->Field(guard.field) == nullptr) {
          Error(JoinPath(path, "field"),
                "product '" + guard.product + "' heeft geen veld '" + guard.field + "'");
        }
        if (!guard.when_product_exists.empty()) {
          ExistingProduct(guard.when_product_exists, JoinPath(path, "when_product_exists"));
        }
        break;
    }
  }

  void CheckTransition(const TransitionSpec& t, const std::string& path) {
    CheckOpenStates(t.from, JoinPath(path, "from"));
    if (t.to.empty()) {
      // reported when its shape was read
    } else if (!d_.HasState(t.to)) {
      Error(JoinPath(path, "to"), "onbekende toestand '" + t.to + "'");
    } else if (t.stops_process && !d_.IsEndState(t.to)) {
      Error(JoinPath(path, "to"), "een stopovergang moet naar een eindtoestand gaan");
    }
    CheckRoles(t.roles, JoinPath(path, "roles"));
    for (std::size_t i = 0; i < t.guards.size(); ++i) {
      CheckGuard(t.guards[i], JoinPath(JoinPath(path, "guards"), i));
    }
  }

  // Two transitions that leave the same state for the same target, or two stop transitions
  // that leave the same state, make the process ambiguous.
  void CheckDuplicateTransitions() {
    std::set<std::pair<std::string, std::string>> edges;
    std::set<std::string> stop_sources;
    for (std::size_t i = 0; i < d_.transitions.size(); ++i) {
      const TransitionSpec& t = d_.transitions[i];
      if (!d_.HasState(t.to)) continue;  // reported by CheckTransition
      std::set<std::string> visited;     // a duplicate state key is reported once, elsewhere
      for (const std::string& state : d_.states) {
        if (!visited.insert(state).second) continue;
        if (state.empty() || !d_.TransitionLeaves(t, state)) continue;
        if (!edges.insert({state, t.to}).second) {
          Error(JoinPath("/transitions", i),
                "dubbele overgang van '" + state + "' naar '" + t.to + "'");
        }
        if (t.stops_process && !stop_sources.insert(state).second) {
          Error(JoinPath("/transitions", i), "meer dan een stopovergang vanuit '" + state + "'");
        }
      }
    }
  }

  void CheckDeadline(const DeadlineSpec& deadline, const std::string& path) {
    if (!deadline.starts_on_transition.empty() && !d_.Transition(deadline.starts_on_transition)) {
      Error(JoinPath(JoinPath(path, "starts"), "transition"),
            "onbekende overgang '" + deadline.starts_on_transition + "'");
    }
    if (!deadline.starts_on_product_saved.empty()) {
      ExistingProduct(deadline.starts_on_product_saved,
                      JoinPath(JoinPath(path, "starts"), "product_saved"));
    }
    const std::string due_path = JoinPath(path, "due");
    if (deadline.due_from) {
      ExistingField(*deadline.due_from, JoinPath(due_path, "from"), {FieldType::kDate});
    }
    for (std::size_t i = 0; i < deadline.due_add.size(); ++i) {
      if (deadline.due_add[i].field) {
        ExistingField(*deadline.due_add[i].field, JoinPath(JoinPath(due_path, "add"), i),
                      {FieldType::kInteger});
      }
    }
    if (!deadline.met_by_transition.empty() && !d_.Transition(deadline.met_by_transition)) {
      Error(JoinPath(JoinPath(path, "met_by"), "transition"),
            "onbekende overgang '" + deadline.met_by_transition + "'");
    }
  }

  void CheckOneOf(const std::string& value, const std::vector<std::string>& allowed,
                  const std::string& path) {
    if (value.empty()) return;  // reported when its shape was read
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    std::string list;
    for (const std::string& option : allowed) list += (list.empty() ? "" : ", ") + option;
    Error(path, "'" + value + "' is geen van: " + list);
  }

  void CheckCheck(const CheckSpec& check, const std::string& path) {
    CheckOneOf(check.cell.level, BorgingshuisLevels(), JoinPath(JoinPath(path, "cell"), "niveau"));
    CheckOneOf(check.cell.role, BorgingshuisRoles(), JoinPath(JoinPath(path, "cell"), "rol"));
    for (std::size_t i = 0; i < check.due_after.size(); ++i) {
      if (!check.due_after[i].empty() && !d_.Transition(check.due_after[i])) {
        Error(JoinPath(JoinPath(path, "due_after"), i),
              "onbekende overgang '" + check.due_after[i] + "'");
      }
    }
    if (!check.when_product_exists.empty()) {
      ExistingProduct(check.when_product_exists, JoinPath(path, "when_product_exists"));
    }
    switch (check.kind) {
      case CheckKind::kAdoptedBefore:
      case CheckKind::kAdoptionCurrent:
        if (const ProductSpec* p = ExistingProduct(check.product, JoinPath(path, "product"));
            p && !p->adoption_role) {
          Error(JoinPath(path, "product"),
                "product '" + check.product + "' wordt niet vastgesteld");
        }
        if (check.kind == CheckKind::kAdoptedBefore) {
          ExistingField(check.date, JoinPath(path, "date"), {FieldType::kDate});
        }
        break;
      case CheckKind::kSavedWithin:
        ExistingField(check.date, JoinPath(path, "date"), {FieldType::kDate});
        break;
      case CheckKind::kGuards:
        for (std::size_t i = 0; i < check.guards.size(); ++i) {
          const std::string guard_path = JoinPath(JoinPath(path, "guards"), i);
          if (check.guards[i].kind == GuardKind::kMotivation) {
            Error(JoinPath(guard_path, "kind"),
                  "een toets heeft geen opdracht en dus geen motivatie");
          } else {
            CheckGuard(check.guards[i], guard_path);
          }
        }
        break;
      case CheckKind::kDeadlineMet:
        if (!check.deadline.empty() &&
            std::none_of(d_.deadlines.begin(), d_.deadlines.end(),
                         [&](const DeadlineSpec& t) { return t.key == check.deadline; })) {
          Error(JoinPath(path, "deadline"), "onbekende termijn '" + check.deadline + "'");
        }
        break;
      case CheckKind::kStateIn:
        for (std::size_t i = 0; i < check.states.size(); ++i) {
          if (!check.states[i].empty() && !d_.HasState(check.states[i])) {
            Error(JoinPath(JoinPath(path, "states"), i),
                  "onbekende toestand '" + check.states[i] + "'");
          }
        }
        break;
    }
  }

  // The items field and, inside its items, a text field and two enum fields whose choices
  // are Borgingshuis levels and roles.
  void CheckImprovementPoints(const ImprovementPointsSpec& spec) {
    const std::string path = "/improvement_points";
    const ProductSpec* product = ExistingProduct(spec.items.product, JoinPath(path, "product"));
    if (product == nullptr) return;
    const FieldSpec* items = product->Field(spec.items.field);
    if (items == nullptr || items->type != FieldType::kItems) {
      if (!spec.items.field.empty()) {
        Error(JoinPath(path, "field"),
              "'" + spec.items.field + "' is geen items-veld van '" + spec.items.product + "'");
      }
      return;
    }
    auto item_field = [&](const std::string& key) -> const FieldSpec* {
      for (const FieldSpec& f : items->fields) {
        if (f.key == key) return &f;
      }
      return nullptr;
    };
    const FieldSpec* text = item_field(spec.text_field);
    if (!spec.text_field.empty() && (text == nullptr || (text->type != FieldType::kText &&
                                                         text->type != FieldType::kLongtext))) {
      Error(JoinPath(path, "text"), "'" + spec.text_field + "' is geen tekstveld van de items");
    }
    const std::pair<const char*, std::pair<const std::string*, const std::vector<std::string>*>>
        kEnums[] = {{"niveau", {&spec.level_field, &BorgingshuisLevels()}},
                    {"rol", {&spec.role_field, &BorgingshuisRoles()}}};
    for (const auto& [member, field_and_allowed] : kEnums) {
      const auto& [key, allowed] = field_and_allowed;
      if (key->empty()) continue;
      const FieldSpec* field = item_field(*key);
      if (field == nullptr || field->type != FieldType::kEnum) {
        Error(JoinPath(path, member), "'" + *key + "' is geen enum-veld van de items");
        continue;
      }
      for (std::size_t i = 0; i < field->options.size(); ++i) {
        CheckOneOf(field->options[i], *allowed, JoinPath(path, member));
      }
    }
  }

  // The assignee is a user id: a user field (or, in older definitions, one line of text), in
  // a product of the process (not in items).
  void CheckAssignee() {
    if (d_.assignee) {
      ExistingField(*d_.assignee, "/assignee", {FieldType::kUser, FieldType::kText});
    }
  }

  // Forward reachability from the start, backward reachability from the end states.
  void CheckGraph() {
    if (d_.start_state.empty()) return;  // already reported
    auto successors = [&](const std::string& state) {
      std::vector<std::string> next;
      for (const TransitionSpec& t : d_.transitions) {
        if (d_.HasState(t.to) && d_.TransitionLeaves(t, state)) next.push_back(t.to);
      }
      return next;
    };
    std::set<std::string> reachable{d_.start_state};
    std::deque<std::string> queue{d_.start_state};
    while (!queue.empty()) {
      std::string state = queue.front();
      queue.pop_front();
      for (const std::string& next : successors(state)) {
        if (reachable.insert(next).second) queue.push_back(next);
      }
    }
    std::set<std::string> reaches_end(d_.end_states.begin(), d_.end_states.end());
    for (bool grew = true; grew;) {
      grew = false;
      for (const std::string& state : d_.states) {
        if (reaches_end.count(state)) continue;
        for (const std::string& next : successors(state)) {
          if (reaches_end.count(next)) {
            reaches_end.insert(state);
            grew = true;
            break;
          }
        }
      }
    }
    for (std::size_t i = 0; i < d_.states.size(); ++i) {
      const std::string& state = d_.states[i];
      if (state.empty()) continue;  // a state without a readable key was reported already
      if (!reachable.count(state)) {
        Error(JoinPath("/states", i),
              "toestand '" + state + "' is onbereikbaar vanuit '" + d_.start_state + "'");
      } else if (!d_.end_states.empty() && !reaches_end.count(state)) {
        Error(JoinPath("/states", i),
              "vanuit toestand '" + state + "' is geen eindtoestand te bereiken");
      }
    }
  }

  const Definition& d_;
  std::vector<DefinitionError>& errors_;
};

}  // namespace

void ValidateReferences(const Definition& definition, std::vector<DefinitionError>& errors) {
  ReferenceValidator(definition, errors).Run();
}

}  // namespace navolg
