// Reads the JSON document into the Definition structs, checking the shape of every element
// (members, types, local rules such as bounds). Cross-references between elements are
// checked afterwards by ValidateReferences (definition_validator.cc).
//
// Every array element is kept, even when it has errors, so that index i of a vector in the
// Definition is element i of the document and later checks can name its path.

#include <algorithm>
#include <regex>
#include <set>

#include "engine/canonical_json.h"
#include "engine/definition.h"
#include "engine/json_reader.h"
#include "engine/json_text.h"
#include "engine/sha256.h"

namespace navolg {

void ValidateReferences(const Definition& definition, std::vector<DefinitionError>& errors);

namespace {

using Presence = JsonReader::Presence;
using nlohmann::json;

const std::regex& KeyPattern() {
  static const std::regex pattern("[a-z][a-z0-9_]*");
  return pattern;
}

const std::regex& SlugPattern() {
  static const std::regex pattern("[a-z0-9]+(-[a-z0-9]+)*");
  return pattern;
}

std::optional<FieldType> ParseFieldType(const std::string& name) {
  static const std::pair<const char*, FieldType> kTypes[] = {
      {"text", FieldType::kText},         {"longtext", FieldType::kLongtext},
      {"date", FieldType::kDate},         {"integer", FieldType::kInteger},
      {"enum", FieldType::kEnum},         {"enumlist", FieldType::kEnumlist},
      {"textlist", FieldType::kTextlist}, {"items", FieldType::kItems},
      {"user", FieldType::kUser},
  };
  for (const auto& [type_name, type] : kTypes) {
    if (name == type_name) return type;
  }
  return std::nullopt;
}

bool IsList(FieldType type) {
  return type == FieldType::kEnumlist || type == FieldType::kTextlist || type == FieldType::kItems;
}

class DefinitionParser {
 public:
  explicit DefinitionParser(std::vector<DefinitionError>& errors) : reader_(errors) {}

  Definition Parse(const json& document);

 private:
  std::string Key(const json& object, const std::string& path) {
    auto key = reader_.String(object, path, "key", Presence::kRequired);
    if (!key) return "";
    if (!std::regex_match(*key, KeyPattern())) {
      reader_.Error(JoinPath(path, "key"),
                    "'" + *key + "' is geen geldige sleutel (kleine letters, cijfers en _)");
    }
    return *key;
  }

  // Reports keys that occur twice among `keys` (paths built from `array_path`).
  void CheckUnique(const std::vector<std::string>& keys, const std::string& array_path,
                   const char* what) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (!keys[i].empty() && !seen.insert(keys[i]).second) {
        reader_.Error(JoinPath(JoinPath(array_path, i), "key"),
                      std::string(what) + " '" + keys[i] + "' komt twee keer voor");
      }
    }
  }

  void ParseStates(const json& document, Definition& definition);
  ProductSpec ParseProduct(const json& value, const std::string& path);
  std::vector<FieldSpec> ParseFields(const json& object, const std::string& path, bool nested);
  FieldSpec ParseField(const json& value, const std::string& path, bool nested);
  void ParseOptionLabels(const json& value, const std::string& path, FieldSpec& field);
  TransitionSpec ParseTransition(const json& value, const std::string& path);
  Guard ParseGuard(const json& value, const std::string& path);
  FieldRef ParseFieldRef(const json& object, const std::string& path, const char* member,
                         bool with_item_field);
  DeadlineSpec ParseDeadline(const json& value, const std::string& path);
  CheckSpec ParseCheck(const json& value, const std::string& path);
  ImprovementPointsSpec ParseImprovementPoints(const json& value);
  void ParseAssignee(const json& document, Definition& definition);

  // Reads `from` / `editable_in`: a list of state keys or the string "*".
  void ParseStateSet(const json& object, const std::string& path, const char* member,
                     bool& any_open, std::vector<std::string>& states) {
    auto it = object.find(member);
    if (it != object.end() && it->is_string()) {
      if (*it == "*") {
        any_open = true;
      } else {
        reader_.Error(JoinPath(path, member),
                      "moet een lijst van toestanden zijn, of \"*\" voor elke open toestand");
      }
      return;
    }
    states = reader_.Strings(object, path, member, Presence::kRequired);
    if (it != object.end() && it->is_array() && it->empty()) {
      reader_.Error(JoinPath(path, member), "noem minstens een toestand");
    }
  }

  JsonReader reader_;
};

Definition DefinitionParser::Parse(const json& document) {
  Definition definition;
  if (!reader_.Object(document, "",
                      {"$schema", "key", "version", "title", "description", "states", "products",
                       "transitions", "deadlines", "checks", "improvement_points", "assignee"})) {
    return definition;
  }
  definition.source = document;
  reader_.String(document, "", "$schema", Presence::kOptional);
  if (auto key = reader_.String(document, "", "key", Presence::kRequired)) {
    if (!std::regex_match(*key, SlugPattern())) {
      reader_.Error("/key",
                    "'" + *key + "' is geen geldige sleutel (kleine letters, cijfers en -)");
    }
    definition.key = *key;
  }
  if (auto version = reader_.Integer(document, "", "version", Presence::kRequired)) {
    if (*version < 1) reader_.Error("/version", "moet 1 of hoger zijn");
    definition.version = *version;
  }
  definition.title = reader_.String(document, "", "title", Presence::kRequired).value_or("");
  reader_.String(document, "", "description", Presence::kOptional);

  ParseStates(document, definition);

  if (const json* products = reader_.Array(document, "", "products", Presence::kRequired)) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < products->size(); ++i) {
      definition.products.push_back(ParseProduct((*products)[i], JoinPath("/products", i)));
      keys.push_back(definition.products.back().key);
    }
    CheckUnique(keys, "/products", "product");
  }
  if (const json* transitions = reader_.Array(document, "", "transitions", Presence::kRequired)) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < transitions->size(); ++i) {
      definition.transitions.push_back(
          ParseTransition((*transitions)[i], JoinPath("/transitions", i)));
      keys.push_back(definition.transitions.back().key);
    }
    CheckUnique(keys, "/transitions", "overgang");
  }
  if (const json* deadlines = reader_.Array(document, "", "deadlines", Presence::kOptional)) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < deadlines->size(); ++i) {
      definition.deadlines.push_back(ParseDeadline((*deadlines)[i], JoinPath("/deadlines", i)));
      keys.push_back(definition.deadlines.back().key);
    }
    CheckUnique(keys, "/deadlines", "termijn");
  }
  if (const json* checks = reader_.Array(document, "", "checks", Presence::kOptional)) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < checks->size(); ++i) {
      definition.checks.push_back(ParseCheck((*checks)[i], JoinPath("/checks", i)));
      keys.push_back(definition.checks.back().key);
    }
    CheckUnique(keys, "/checks", "toets");
  }
  if (document.contains("improvement_points")) {
    definition.improvement_points = ParseImprovementPoints(document["improvement_points"]);
  }
  ParseAssignee(document, definition);
  return definition;
}

CheckSpec DefinitionParser::ParseCheck(const json& value, const std::string& path) {
  CheckSpec check;
  if (!reader_.Object(
          value, path,
          {"key", "title", "description", "cell", "kind", "due_after", "when_product_exists",
           "product", "date", "days", "guards", "deadline", "states"})) {
    return check;
  }
  check.key = Key(value, path);
  check.title = reader_.String(value, path, "title", Presence::kRequired).value_or(check.key);
  reader_.String(value, path, "description", Presence::kOptional);
  const std::string cell_path = JoinPath(path, "cell");
  if (!value.contains("cell")) {
    reader_.Error(cell_path, "ontbreekt");
  } else if (reader_.Object(value["cell"], cell_path, {"niveau", "rol"})) {
    check.cell.level =
        reader_.String(value["cell"], cell_path, "niveau", Presence::kRequired).value_or("");
    check.cell.role =
        reader_.String(value["cell"], cell_path, "rol", Presence::kRequired).value_or("");
  }
  if (value.contains("due_after")) {
    check.due_after = reader_.Strings(value, path, "due_after", Presence::kRequired);
  }
  check.when_product_exists =
      reader_.String(value, path, "when_product_exists", Presence::kOptional).value_or("");

  // The members each kind needs; any other kind-specific member is an error.
  static const std::pair<const char*, CheckKind> kKinds[] = {
      {"adopted_before", CheckKind::kAdoptedBefore},
      {"adoption_current", CheckKind::kAdoptionCurrent},
      {"guards", CheckKind::kGuards},
      {"deadline_met", CheckKind::kDeadlineMet},
      {"saved_within", CheckKind::kSavedWithin},
      {"state_in", CheckKind::kStateIn},
  };
  auto kind = reader_.String(value, path, "kind", Presence::kRequired);
  if (!kind) return check;
  auto known = std::find_if(std::begin(kKinds), std::end(kKinds),
                            [&](const auto& entry) { return *kind == entry.first; });
  if (known == std::end(kKinds)) {
    reader_.Error(JoinPath(path, "kind"), "onbekende soort toets '" + *kind + "'");
    return check;
  }
  check.kind = known->second;
  std::set<std::string> needs;
  switch (check.kind) {
    case CheckKind::kAdoptedBefore:
      needs = {"product", "date"};
      break;
    case CheckKind::kAdoptionCurrent:
      needs = {"product"};
      break;
    case CheckKind::kGuards:
      needs = {"guards"};
      break;
    case CheckKind::kDeadlineMet:
      needs = {"deadline"};
      break;
    case CheckKind::kSavedWithin:
      needs = {"date", "days"};
      break;
    case CheckKind::kStateIn:
      needs = {"states"};
      break;
  }
  for (const char* member : {"product", "date", "days", "guards", "deadline", "states"}) {
    if (value.contains(member) && !needs.count(member)) {
      reader_.Error(JoinPath(path, member), "hoort niet bij een toets van soort '" + *kind + "'");
    }
  }
  if (needs.count("product")) {
    check.product = reader_.String(value, path, "product", Presence::kRequired).value_or("");
  }
  if (needs.count("date")) check.date = ParseFieldRef(value, path, "date", false);
  if (needs.count("days")) {
    check.days = reader_.Integer(value, path, "days", Presence::kRequired).value_or(0);
    if (check.days < 0) reader_.Error(JoinPath(path, "days"), "mag niet negatief zijn");
  }
  if (needs.count("deadline")) {
    check.deadline = reader_.String(value, path, "deadline", Presence::kRequired).value_or("");
  }
  if (needs.count("states")) {
    check.states = reader_.Strings(value, path, "states", Presence::kRequired);
    if (check.states.empty() && value.contains("states")) {
      reader_.Error(JoinPath(path, "states"), "noem minstens een toestand");
    }
  }
  if (needs.count("guards")) {
    if (const json* guards = reader_.Array(value, path, "guards", Presence::kRequired)) {
      if (guards->empty()) reader_.Error(JoinPath(path, "guards"), "noem minstens een voorwaarde");
      for (std::size_t i = 0; i < guards->size(); ++i) {
        check.guards.push_back(ParseGuard((*guards)[i], JoinPath(JoinPath(path, "guards"), i)));
      }
    }
  }
  return check;
}

ImprovementPointsSpec DefinitionParser::ParseImprovementPoints(const json& value) {
  const std::string path = "/improvement_points";
  ImprovementPointsSpec spec;
  if (!reader_.Object(value, path, {"product", "field", "text", "niveau", "rol"})) return spec;
  spec.items.product = reader_.String(value, path, "product", Presence::kRequired).value_or("");
  spec.items.field = reader_.String(value, path, "field", Presence::kRequired).value_or("");
  spec.text_field = reader_.String(value, path, "text", Presence::kRequired).value_or("");
  spec.level_field = reader_.String(value, path, "niveau", Presence::kRequired).value_or("");
  spec.role_field = reader_.String(value, path, "rol", Presence::kRequired).value_or("");
  return spec;
}

void DefinitionParser::ParseStates(const json& document, Definition& definition) {
  const json* states = reader_.Array(document, "", "states", Presence::kRequired);
  if (states == nullptr) return;
  if (states->empty()) reader_.Error("/states", "noem minstens een toestand");
  for (std::size_t i = 0; i < states->size(); ++i) {
    const std::string path = JoinPath("/states", i);
    const json& state = (*states)[i];
    std::string key;
    if (reader_.Object(state, path, {"key", "title", "description", "start", "end"})) {
      key = Key(state, path);
      definition.state_titles[key] =
          reader_.String(state, path, "title", Presence::kRequired).value_or(key);
      reader_.String(state, path, "description", Presence::kOptional);
      bool start = reader_.Flag(state, path, "start");
      bool end = reader_.Flag(state, path, "end");
      if (start && end) reader_.Error(path, "een toestand kan niet tegelijk begin en eind zijn");
      if (start) {
        if (!definition.start_state.empty()) {
          reader_.Error(JoinPath(path, "start"),
                        "er is al een begintoestand: '" + definition.start_state + "'");
        } else {
          definition.start_state = key;
        }
      }
      if (end) definition.end_states.push_back(key);
    }
    definition.states.push_back(key);
  }
  CheckUnique(definition.states, "/states", "toestand");
  if (definition.start_state.empty()) reader_.Error("/states", "er is geen begintoestand");
  if (definition.end_states.empty()) reader_.Error("/states", "er is geen eindtoestand");
}

ProductSpec DefinitionParser::ParseProduct(const json& value, const std::string& path) {
  ProductSpec product;
  if (!reader_.Object(value, path,
                      {"key", "title", "description", "help", "editors", "editable_in", "repeating",
                       "adoption", "fields"})) {
    return product;
  }
  product.key = Key(value, path);
  product.title = reader_.String(value, path, "title", Presence::kRequired).value_or(product.key);
  reader_.String(value, path, "description", Presence::kOptional);
  reader_.String(value, path, "help", Presence::kOptional);
  product.editors = reader_.Strings(value, path, "editors", Presence::kRequired);
  if (value.contains("editors") && value["editors"].is_array() && value["editors"].empty()) {
    reader_.Error(JoinPath(path, "editors"), "noem minstens een rol");
  }
  ParseStateSet(value, path, "editable_in", product.editable_in_any_open_state,
                product.editable_in);
  product.repeating = reader_.Flag(value, path, "repeating");
  if (auto it = value.find("adoption"); it != value.end()) {
    const std::string adoption_path = JoinPath(path, "adoption");
    if (reader_.Object(*it, adoption_path, {"role"})) {
      product.adoption_role = reader_.String(*it, adoption_path, "role", Presence::kRequired);
    }
  }
  product.fields = ParseFields(value, path, /*nested=*/false);
  if (value.contains("fields") && value["fields"].is_array() && value["fields"].empty()) {
    reader_.Error(JoinPath(path, "fields"), "een product heeft minstens een veld");
  }
  return product;
}

std::vector<FieldSpec> DefinitionParser::ParseFields(const json& object, const std::string& path,
                                                     bool nested) {
  std::vector<FieldSpec> fields;
  const json* array = reader_.Array(object, path, "fields", Presence::kRequired);
  if (array == nullptr) return fields;
  const std::string fields_path = JoinPath(path, "fields");
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < array->size(); ++i) {
    fields.push_back(ParseField((*array)[i], JoinPath(fields_path, i), nested));
    keys.push_back(fields.back().key);
  }
  CheckUnique(keys, fields_path, "veld");
  return fields;
}

FieldSpec DefinitionParser::ParseField(const json& value, const std::string& path, bool nested) {
  FieldSpec field;
  if (!reader_.Object(value, path,
                      {"key", "label", "type", "required", "help", "min", "max", "min_items",
                       "max_length", "options", "option_labels", "not_after", "generated_id",
                       "required_unless", "fields", "role"})) {
    return field;
  }
  field.key = Key(value, path);
  field.label = reader_.String(value, path, "label", Presence::kOptional).value_or(field.key);
  reader_.String(value, path, "help", Presence::kOptional);
  field.required = reader_.Flag(value, path, "required");
  if (auto type_name = reader_.String(value, path, "type", Presence::kRequired)) {
    if (auto type = ParseFieldType(*type_name)) {
      field.type = *type;
    } else {
      reader_.Error(JoinPath(path, "type"), "onbekend veldtype '" + *type_name + "'");
      return field;
    }
  } else {
    return field;
  }
  const FieldType type = field.type;
  auto only_for = [&](const char* member, bool allowed, const char* types) {
    if (value.contains(member) && !allowed) {
      reader_.Error(JoinPath(path, member),
                    std::string("hoort alleen bij velden van type ") + types);
    }
  };
  only_for("min", type == FieldType::kInteger, "integer");
  only_for("max", type == FieldType::kInteger, "integer");
  only_for("min_items", IsList(type), "enumlist, textlist of items");
  only_for("max_length", DefaultMaxLength(type) > 0, "text, longtext of textlist");
  only_for("options", type == FieldType::kEnum || type == FieldType::kEnumlist, "enum of enumlist");
  only_for("option_labels", type == FieldType::kEnum || type == FieldType::kEnumlist,
           "enum of enumlist");
  only_for("role", type == FieldType::kUser, "user");
  only_for("not_after", type == FieldType::kDate, "date");
  only_for("generated_id", type == FieldType::kText && nested, "text binnen items");
  only_for("fields", type == FieldType::kItems, "items");

  field.min = reader_.Integer(value, path, "min", Presence::kOptional);
  field.max = reader_.Integer(value, path, "max", Presence::kOptional);
  if (field.min && field.max && *field.min > *field.max) {
    reader_.Error(JoinPath(path, "min"), "min is groter dan max");
  }
  field.min_items = reader_.Integer(value, path, "min_items", Presence::kOptional).value_or(0);
  if (field.min_items < 0) reader_.Error(JoinPath(path, "min_items"), "mag niet negatief zijn");
  field.max_length = DefaultMaxLength(type);
  if (auto max_length = reader_.Integer(value, path, "max_length", Presence::kOptional)) {
    if (*max_length < 1 || *max_length > kHardMaxLength) {
      reader_.Error(JoinPath(path, "max_length"),
                    "moet tussen 1 en " + std::to_string(kHardMaxLength) + " liggen");
    }
    field.max_length = *max_length;
  }
  if (type == FieldType::kEnum || type == FieldType::kEnumlist) {
    field.options = reader_.Strings(value, path, "options", Presence::kRequired);
    if (value.contains("options") && value["options"].is_array() && field.options.empty()) {
      reader_.Error(JoinPath(path, "options"), "noem minstens een keuzemogelijkheid");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < field.options.size(); ++i) {
      if (!seen.insert(field.options[i]).second) {
        reader_.Error(JoinPath(JoinPath(path, "options"), i),
                      "keuze '" + field.options[i] + "' komt twee keer voor");
      }
    }
  }
  if (auto labels = value.find("option_labels"); labels != value.end()) {
    ParseOptionLabels(*labels, JoinPath(path, "option_labels"), field);
  }
  if (type == FieldType::kUser) {
    field.user_role = reader_.String(value, path, "role", Presence::kRequired).value_or("");
    if (nested) reader_.Error(JoinPath(path, "type"), "user binnen items wordt niet ondersteund");
  }
  if (auto not_after = reader_.String(value, path, "not_after", Presence::kOptional)) {
    if (*not_after == "today") {
      field.not_after_today = true;
    } else {
      reader_.Error(JoinPath(path, "not_after"), "alleen \"today\" is toegestaan");
    }
  }
  field.generated_id = reader_.Flag(value, path, "generated_id");
  if (auto it = value.find("required_unless"); it != value.end()) {
    const std::string unless_path = JoinPath(path, "required_unless");
    if (field.required) {
      reader_.Error(unless_path, "required en required_unless sluiten elkaar uit");
    }
    if (reader_.Object(*it, unless_path, {"field", "equals"})) {
      field.required_unless_field =
          reader_.String(*it, unless_path, "field", Presence::kRequired).value_or("");
      field.required_unless_values =
          reader_.Strings(*it, unless_path, "equals", Presence::kRequired);
    }
  }
  if (type == FieldType::kItems) {
    if (nested) {
      reader_.Error(JoinPath(path, "type"), "items binnen items wordt niet ondersteund");
    } else {
      field.fields = ParseFields(value, path, /*nested=*/true);
    }
  }
  return field;
}

// "option_labels": {OPTION: LABEL, ...}: a non-empty label for options the field has.
void DefinitionParser::ParseOptionLabels(const json& value, const std::string& path,
                                         FieldSpec& field) {
  if (!value.is_object()) {
    reader_.Error(path, "moet een object zijn: {\"optie\": \"label\"}");
    return;
  }
  for (const auto& [option, label] : value.items()) {
    const std::string label_path = JoinPath(path, option);
    if (std::find(field.options.begin(), field.options.end(), option) == field.options.end()) {
      reader_.Error(label_path, "'" + option + "' is geen keuze van dit veld");
    } else if (!label.is_string() || label.get_ref<const std::string&>().empty()) {
      reader_.Error(label_path, "moet een niet-lege tekst zijn");
    } else {
      field.option_labels[option] = label.get<std::string>();
    }
  }
}

FieldRef DefinitionParser::ParseFieldRef(const json& object, const std::string& path,
                                         const char* member, bool with_item_field) {
  FieldRef ref;
  auto it = object.find(member);
  const std::string ref_path = JoinPath(path, member);
  if (it == object.end()) {
    reader_.Error(ref_path, "ontbreekt");
    return ref;
  }
  bool shape_ok = with_item_field
                      ? reader_.Object(*it, ref_path, {"product", "field", "item_field"})
                      : reader_.Object(*it, ref_path, {"product", "field"});
  if (!shape_ok) return ref;
  ref.product = reader_.String(*it, ref_path, "product", Presence::kRequired).value_or("");
  ref.field = reader_.String(*it, ref_path, "field", Presence::kRequired).value_or("");
  if (with_item_field) {
    ref.item_field = reader_.String(*it, ref_path, "item_field", Presence::kRequired).value_or("");
  }
  return ref;
}

TransitionSpec DefinitionParser::ParseTransition(const json& value, const std::string& path) {
  TransitionSpec transition;
  if (!reader_.Object(
          value, path,
          {"key", "title", "description", "from", "to", "roles", "stops_process", "guards"})) {
    return transition;
  }
  transition.key = Key(value, path);
  transition.title =
      reader_.String(value, path, "title", Presence::kRequired).value_or(transition.key);
  reader_.String(value, path, "description", Presence::kOptional);
  ParseStateSet(value, path, "from", transition.from_any_open_state, transition.from);
  transition.to = reader_.String(value, path, "to", Presence::kRequired).value_or("");
  transition.roles = reader_.Strings(value, path, "roles", Presence::kRequired);
  if (value.contains("roles") && value["roles"].is_array() && value["roles"].empty()) {
    reader_.Error(JoinPath(path, "roles"), "noem minstens een rol");
  }
  transition.stops_process = reader_.Flag(value, path, "stops_process");
  if (const json* guards = reader_.Array(value, path, "guards", Presence::kOptional)) {
    for (std::size_t i = 0; i < guards->size(); ++i) {
      transition.guards.push_back(ParseGuard((*guards)[i], JoinPath(JoinPath(path, "guards"), i)));
    }
  }
  return transition;
}

Guard DefinitionParser::ParseGuard(const json& value, const std::string& path) {
  Guard guard;
  if (!value.is_object()) {
    reader_.Error(path, "moet een object zijn");
    return guard;
  }
  auto kind = reader_.String(value, path, "kind", Presence::kRequired);
  if (!kind) return guard;
  if (*kind == "product_complete" || *kind == "product_adopted") {
    guard.kind =
        *kind == "product_complete" ? GuardKind::kProductComplete : GuardKind::kProductAdopted;
    reader_.Object(value, path, {"kind", "product"});
    guard.product = reader_.String(value, path, "product", Presence::kRequired).value_or("");
  } else if (*kind == "min_count") {
    guard.kind = GuardKind::kMinCount;
    reader_.Object(value, path, {"kind", "product", "min"});
    guard.product = reader_.String(value, path, "product", Presence::kRequired).value_or("");
    guard.min = reader_.Integer(value, path, "min", Presence::kRequired).value_or(1);
    if (guard.min < 1) reader_.Error(JoinPath(path, "min"), "moet 1 of hoger zijn");
  } else if (*kind == "answered_once") {
    guard.kind = GuardKind::kAnsweredOnce;
    reader_.Object(value, path, {"kind", "ids", "answers"});
    guard.ids = ParseFieldRef(value, path, "ids", /*with_item_field=*/true);
    guard.answers = ParseFieldRef(value, path, "answers", /*with_item_field=*/true);
  } else if (*kind == "includes_all") {
    guard.kind = GuardKind::kIncludesAll;
    reader_.Object(value, path, {"kind", "list", "must_include"});
    guard.list = ParseFieldRef(value, path, "list", /*with_item_field=*/false);
    guard.must_include = ParseFieldRef(value, path, "must_include", /*with_item_field=*/false);
  } else if (*kind == "motivation") {
    guard.kind = GuardKind::kMotivation;
    reader_.Object(value, path, {"kind"});
  } else if (*kind == "field_set") {
    guard.kind = GuardKind::kFieldSet;
    reader_.Object(value, path, {"kind", "product", "field", "when_product_exists"});
    guard.product = reader_.String(value, path, "product", Presence::kRequired).value_or("");
    guard.field = reader_.String(value, path, "field", Presence::kRequired).value_or("");
    guard.when_product_exists =
        reader_.String(value, path, "when_product_exists", Presence::kOptional).value_or("");
  } else {
    reader_.Error(JoinPath(path, "kind"), "onbekende soort voorwaarde '" + *kind + "'");
  }
  return guard;
}

DeadlineSpec DefinitionParser::ParseDeadline(const json& value, const std::string& path) {
  DeadlineSpec deadline;
  if (!reader_.Object(value, path, {"key", "title", "description", "starts", "due", "met_by"})) {
    return deadline;
  }
  deadline.key = Key(value, path);
  deadline.title = reader_.String(value, path, "title", Presence::kRequired).value_or(deadline.key);
  reader_.String(value, path, "description", Presence::kOptional);

  const std::string starts_path = JoinPath(path, "starts");
  if (!value.contains("starts")) {
    reader_.Error(starts_path, "ontbreekt");
  } else if (reader_.Object(value["starts"], starts_path, {"transition", "product_saved"})) {
    const json& starts = value["starts"];
    deadline.starts_on_transition =
        reader_.String(starts, starts_path, "transition", Presence::kOptional).value_or("");
    deadline.starts_on_product_saved =
        reader_.String(starts, starts_path, "product_saved", Presence::kOptional).value_or("");
    if (starts.contains("transition") == starts.contains("product_saved")) {
      reader_.Error(starts_path, "noem precies een van 'transition' en 'product_saved'");
    }
  }

  const std::string due_path = JoinPath(path, "due");
  if (!value.contains("due")) {
    reader_.Error(due_path, "ontbreekt");
  } else if (reader_.Object(value["due"], due_path, {"from", "add"})) {
    const json& due = value["due"];
    if (!due.contains("from")) {
      reader_.Error(JoinPath(due_path, "from"), "ontbreekt");
    } else if (due["from"].is_string()) {
      if (due["from"] != "start") {
        reader_.Error(JoinPath(due_path, "from"),
                      "moet \"start\" zijn of een verwijzing {product, field} naar een datumveld");
      }
    } else {
      deadline.due_from = ParseFieldRef(due, due_path, "from", /*with_item_field=*/false);
    }
    if (const json* add = reader_.Array(due, due_path, "add", Presence::kOptional)) {
      for (std::size_t i = 0; i < add->size(); ++i) {
        const std::string term_path = JoinPath(JoinPath(due_path, "add"), i);
        const json& item = (*add)[i];
        DueTerm term;
        if (reader_.Object(item, term_path, {"amount", "product", "field", "unit"})) {
          if (item.contains("amount")) {
            if (item.contains("product") || item.contains("field")) {
              reader_.Error(term_path, "noem 'amount' of een veld, niet beide");
            }
            term.amount =
                reader_.Integer(item, term_path, "amount", Presence::kRequired).value_or(0);
          } else {
            FieldRef ref;
            ref.product =
                reader_.String(item, term_path, "product", Presence::kRequired).value_or("");
            ref.field = reader_.String(item, term_path, "field", Presence::kRequired).value_or("");
            term.field = ref;
          }
          auto unit = reader_.String(item, term_path, "unit", Presence::kRequired);
          if (unit == "months") {
            term.unit = DurationUnit::kMonths;
          } else if (unit && *unit != "days") {
            reader_.Error(JoinPath(term_path, "unit"), "moet \"days\" of \"months\" zijn");
          }
        }
        deadline.due_add.push_back(term);
      }
    }
  }

  const std::string met_path = JoinPath(path, "met_by");
  if (!value.contains("met_by")) {
    reader_.Error(met_path, "ontbreekt");
  } else if (reader_.Object(value["met_by"], met_path, {"transition"})) {
    deadline.met_by_transition =
        reader_.String(value["met_by"], met_path, "transition", Presence::kRequired).value_or("");
  }
  return deadline;
}

// "assignee": {"product": KEY, "field": KEY}, optional; its type is checked with the references.
void DefinitionParser::ParseAssignee(const json& document, Definition& definition) {
  if (!document.contains("assignee")) return;
  definition.assignee = ParseFieldRef(document, "", "assignee", /*with_item_field=*/false);
}

}  // namespace

ParsedDefinition ParseDefinition(const nlohmann::json& document) {
  ParsedDefinition parsed;
  DefinitionParser parser(parsed.errors);
  Definition definition = parser.Parse(document);
  // References are checked even when some shapes are wrong, so a writer sees all mistakes;
  // elements that could not be read are skipped there (they were reported already).
  ValidateReferences(definition, parsed.errors);
  if (!parsed.errors.empty()) return parsed;
  auto canonical = Canonicalize(document);
  if (!canonical.ok()) {
    parsed.errors.push_back({"",
                             "het document bevat waarden die niet canoniek kunnen worden "
                             "vastgelegd: " +
                                 canonical.status().message()});
    return parsed;
  }
  auto hash = Sha256Hex(*canonical);
  if (!hash.ok()) {
    parsed.errors.push_back({"", "de vingerafdruk van het document kon niet worden berekend: " +
                                     hash.status().message()});
    return parsed;
  }
  definition.hash = std::move(hash).value();
  parsed.definition = std::move(definition);
  return parsed;
}

ParsedDefinition ParseDefinitionText(const std::string& text) {
  JsonText document = ParseJsonText(text, kMaxNestingDepth);
  ParsedDefinition parsed;
  switch (document.fault) {
    case JsonTextFault::kNone:
      return ParseDefinition(document.value);
    case JsonTextFault::kTooDeep:
      parsed.errors.push_back({"", "het document is dieper genest dan " +
                                       std::to_string(kMaxNestingDepth) + " niveaus"});
      return parsed;
    case JsonTextFault::kInvalid:
      break;
  }
  if (!document.error_offset) {
    parsed.errors.push_back({"", "geen geldige JSON"});
    return parsed;
  }
  // Tell the writer where, by line and column.
  const std::size_t at = *document.error_offset;
  const std::size_t line_start = at == 0 ? 0 : text.rfind('\n', at - 1) + 1;  // npos + 1 == 0
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  parsed.errors.push_back({"", "geen geldige JSON (regel " + std::to_string(line) + ", kolom " +
                                   std::to_string(at - line_start + 1) + ")"});
  return parsed;
}

}  // namespace navolg
