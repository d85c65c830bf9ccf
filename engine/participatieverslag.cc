#include "engine/participatieverslag.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/product_rules.h"

namespace navolg {
namespace {

using nlohmann::json;

// "niet_overgenomen" -> "niet overgenomen": enum options have no labels of their own.
// One value of a field that is not an items field, as printed; lists one entry per element.
std::vector<std::string> ValueTexts(const FieldSpec& field, const json& value,
                                    const UserNames& names) {
  std::vector<std::string> texts;
  auto one = [&](const json& element) -> std::string {
    if (element.is_string()) {
      const std::string& text = element.get_ref<const std::string&>();
      if (field.type == FieldType::kDate) {
        if (auto date = ParseDate(text)) return DutchDate(*date);
      }
      if (field.type == FieldType::kEnum || field.type == FieldType::kEnumlist) {
        return field.OptionLabel(text);
      }
      if (field.type == FieldType::kUser) {
        auto name = names.find(text);
        if (name != names.end()) return name->second;
      }
      return text;
    }
    if (element.is_number_integer()) return std::to_string(element.get<std::int64_t>());
    return element.dump();  // valid content holds nothing else; never hide what is stored
  };
  if (value.is_array()) {
    for (const json& element : value) texts.push_back(one(element));
  } else {
    texts.push_back(one(value));
  }
  return texts;
}

std::string JoinTexts(const std::vector<std::string>& texts) {
  std::string joined;
  for (const std::string& text : texts) joined += (joined.empty() ? "" : ", ") + text;
  return joined;
}

// The text of `key` in an object (an item or a product's content); "" when it has no value.
std::string CellText(const std::vector<FieldSpec>& fields, const json& object,
                     const std::string& key, const UserNames& names) {
  auto spec =
      std::find_if(fields.begin(), fields.end(), [&](const FieldSpec& f) { return f.key == key; });
  if (spec == fields.end() || !HasValue(object, key)) return "";
  if (spec->type == FieldType::kItems) return std::to_string(object.at(key).size());
  return JoinTexts(ValueTexts(*spec, object.at(key), names));
}

VerslagTable ItemsTable(const FieldSpec& field, const json& items, const UserNames& names) {
  VerslagTable table;
  for (const FieldSpec& column : field.fields) table.columns.push_back(column.label);
  for (const json& item : items) {
    std::vector<std::string> row;
    for (const FieldSpec& column : field.fields)
      row.push_back(CellText(field.fields, item, column.key, names));
    table.rows.push_back(std::move(row));
  }
  return table;
}

const FieldSpec* ItemsField(const Definition& definition, const FieldRef& ref) {
  const ProductSpec* product = definition.Product(ref.product);
  return product == nullptr ? nullptr : product->Field(ref.field);
}

// The answered_once guards of the definition, each once (several transitions may share one).
std::vector<const Guard*> AnsweredOnceGuards(const Definition& definition) {
  std::vector<const Guard*> guards;
  std::set<std::string> seen;
  for (const TransitionSpec& transition : definition.transitions) {
    for (const Guard& guard : transition.guards) {
      if (guard.kind != GuardKind::kAnsweredOnce) continue;
      const std::string id = guard.ids.product + "/" + guard.ids.field + "/" +
                             guard.ids.item_field + ">" + guard.answers.product + "/" +
                             guard.answers.field + "/" + guard.answers.item_field;
      if (seen.insert(id).second) guards.push_back(&guard);
    }
  }
  return guards;
}

// Items fields whose items appear in a response table: "product/field".
std::set<std::string> AnsweredElsewhere(const std::vector<const Guard*>& guards) {
  std::set<std::string> fields;
  for (const Guard* guard : guards) {
    fields.insert(guard->ids.product + "/" + guard->ids.field);
    fields.insert(guard->answers.product + "/" + guard->answers.field);
  }
  return fields;
}

// Every item of an items field across a product's instances, with where it stands.
struct Located {
  const json* item;
  std::string where;  // "Gespreksverslag 2"
};
std::vector<Located> ItemsOf(const Definition& definition, const ProcessState& state,
                             const FieldRef& ref) {
  std::vector<Located> located;
  const ProductSpec* spec = definition.Product(ref.product);
  const auto& instances = state.Instances(ref.product);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const json& content = instances[i].current.content;
    auto items = content.find(ref.field);
    if (items == content.end() || !items->is_array()) continue;
    for (const json& item : *items) {
      if (item.is_object()) {
        located.push_back({&item, ProductName(*spec, static_cast<std::int64_t>(i + 1))});
      }
    }
  }
  return located;
}

std::string ItemValue(const json& item, const std::string& key) {
  auto value = item.find(key);
  return value != item.end() && value->is_string() ? value->get<std::string>() : "";
}

VerslagResponses Responses(const Definition& definition, const ProcessState& state,
                           const Guard& guard, const UserNames& names) {
  VerslagResponses responses;
  const FieldSpec* ids_field = ItemsField(definition, guard.ids);
  const FieldSpec* answers_field = ItemsField(definition, guard.answers);
  responses.title = answers_field->label;
  const FieldSpec* id_spec = nullptr;
  std::vector<const FieldSpec*> id_columns, answer_columns;
  for (const FieldSpec& f : ids_field->fields) {
    if (f.key == guard.ids.item_field) {
      id_spec = &f;
    } else {
      id_columns.push_back(&f);
    }
  }
  for (const FieldSpec& f : answers_field->fields) {
    if (f.key != guard.answers.item_field) answer_columns.push_back(&f);
  }
  VerslagTable& table = responses.table;
  table.columns.push_back(id_spec->label);
  table.columns.push_back("Bron");
  for (const FieldSpec* f : id_columns) table.columns.push_back(f->label);
  for (const FieldSpec* f : answer_columns) table.columns.push_back(f->label);

  std::multimap<std::string, const json*> answers;
  for (const Located& answer : ItemsOf(definition, state, guard.answers)) {
    const std::string id = ItemValue(*answer.item, guard.answers.item_field);
    if (!id.empty()) answers.emplace(id, answer.item);
  }
  for (const Located& point : ItemsOf(definition, state, guard.ids)) {
    const std::string id = ItemValue(*point.item, guard.ids.item_field);
    if (id.empty()) continue;
    ++responses.points;
    std::vector<std::string> row{id, point.where};
    for (const FieldSpec* f : id_columns)
      row.push_back(CellText(ids_field->fields, *point.item, f->key, names));
    auto [first, last] = answers.equal_range(id);
    if (first == last) {
      std::vector<std::string> unanswered = row;
      if (!answer_columns.empty()) unanswered.push_back("nog geen reactie");
      unanswered.resize(table.columns.size());
      table.rows.push_back(std::move(unanswered));
      continue;
    }
    ++responses.answered;
    for (auto it = first; it != last; ++it) {
      std::vector<std::string> answered = row;
      for (const FieldSpec* f : answer_columns) {
        answered.push_back(CellText(answers_field->fields, *it->second, f->key, names));
      }
      table.rows.push_back(std::move(answered));
    }
  }
  return responses;
}

VerslagInvolvement Involvement(const ProductSpec& spec, const ProcessState& state,
                               const UserNames& names) {
  VerslagInvolvement involvement{spec.title, {}};
  VerslagTable& table = involvement.table;
  table.columns.push_back("Nr.");
  for (const FieldSpec& field : spec.fields) table.columns.push_back(field.label);
  const auto& instances = state.Instances(spec.key);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    std::vector<std::string> row{std::to_string(i + 1)};
    for (const FieldSpec& field : spec.fields) {
      row.push_back(CellText(spec.fields, instances[i].current.content, field.key, names));
    }
    table.rows.push_back(std::move(row));
  }
  return involvement;
}

std::string ProductStatus(const ProductSpec& spec, const ProductInstance& instance) {
  std::string status = "Versie " + std::to_string(instance.current.version) + " van " +
                       DutchDateTime(instance.current.saved_at);
  if (spec.adoption_role) {
    const std::string& role = *spec.adoption_role;
    if (instance.adopted()) {
      status += ", vastgesteld door " + role;
    } else if (!instance.adopted_hash.empty()) {
      status += "; versie " + std::to_string(instance.adopted_version) + " is vastgesteld door " +
                role + ", deze versie nog niet";
    } else {
      status += ", nog niet vastgesteld door " + role;
    }
  }
  return status + ".";
}

VerslagProduct Product(const ProductSpec& spec, const ProductInstance& instance,
                       std::int64_t number, const std::set<std::string>& answered_elsewhere,
                       const UserNames& names) {
  VerslagProduct product{spec.key, ProductName(spec, number), ProductStatus(spec, instance), {}};
  const json& content = instance.current.content;
  for (const FieldSpec& field : spec.fields) {
    if (!HasValue(content, field.key)) continue;
    const json& value = content.at(field.key);
    VerslagField printed;
    printed.label = field.label;
    if (field.type == FieldType::kItems) {
      if (answered_elsewhere.count(spec.key + "/" + field.key)) {
        printed.answered_elsewhere = static_cast<std::int64_t>(value.size());
      } else {
        printed.table = ItemsTable(field, value, names);
      }
    } else {
      printed.values = ValueTexts(field, value, names);
      printed.is_list = value.is_array();
    }
    product.fields.push_back(std::move(printed));
  }
  return product;
}

std::string ProcessStatus(const Definition& definition, const ProcessState& state) {
  const std::string title = definition.state_titles.count(state.state)
                                ? definition.state_titles.at(state.state)
                                : state.state;
  if (!definition.IsEndState(state.state)) return "Het proces loopt; huidige fase: " + title + ".";
  std::string ended = "Het proces is beëindigd";
  if (state.closed_at) ended += " op " + DutchDate(AmsterdamDate(*state.closed_at));
  return ended + " (" + title + ").";
}

}  // namespace

Participatieverslag BuildParticipatieverslag(const Definition& definition,
                                             const ProcessState& state, Time now,
                                             const UserNames& names) {
  Participatieverslag verslag;
  verslag.process_id = state.id;
  verslag.title = state.title;
  verslag.workflow_title = definition.title;
  verslag.workflow_version = definition.version;
  verslag.state_title = definition.state_titles.count(state.state)
                            ? definition.state_titles.at(state.state)
                            : state.state;
  verslag.status = ProcessStatus(definition, state);
  verslag.generated_on = DutchDateTime(now);

  const std::vector<const Guard*> guards = AnsweredOnceGuards(definition);
  for (const Guard* guard : guards)
    verslag.responses.push_back(Responses(definition, state, *guard, names));
  const std::set<std::string> answered_elsewhere = AnsweredElsewhere(guards);
  for (const ProductSpec& spec : definition.products) {
    const auto& instances = state.Instances(spec.key);
    if (spec.repeating && !instances.empty())
      verslag.involvement.push_back(Involvement(spec, state, names));
    for (std::size_t i = 0; i < instances.size(); ++i) {
      verslag.products.push_back(
          Product(spec, instances[i], static_cast<std::int64_t>(i + 1), answered_elsewhere, names));
    }
  }
  return verslag;
}

}  // namespace navolg
