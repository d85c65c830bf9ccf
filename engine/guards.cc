#include "engine/guards.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/product_rules.h"

namespace navolg {
namespace {

using nlohmann::json;

std::string Quoted(const std::string& text) { return "'" + text + "'"; }

// One value of a list field, with where it stands (for messages).
struct ListEntry {
  std::string value;
  std::int64_t instance;  // as in Problem: 0 for a non-repeating product
  std::string where;      // e.g. "Gespreksverslag 2"
};

// All entries of product.field across the product's instances. For an items field with
// `item_field`, the values of that member of each item.
std::vector<ListEntry> Entries(const Definition& definition, const ProcessState& state,
                               const FieldRef& ref) {
  std::vector<ListEntry> entries;
  const ProductSpec* spec = definition.Product(ref.product);
  const auto& instances = state.Instances(ref.product);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const json& content = instances[i].current.content;
    auto field = content.find(ref.field);
    if (field == content.end() || !field->is_array()) continue;
    const auto instance = static_cast<std::int64_t>(i + 1);
    for (const json& entry : *field) {
      const json* value = &entry;
      if (!ref.item_field.empty()) {
        auto member = entry.find(ref.item_field);
        if (member == entry.end()) continue;
        value = &*member;
      }
      if (value->is_string() && !value->get_ref<const std::string&>().empty()) {
        entries.push_back({value->get<std::string>(), spec->repeating ? instance : 0,
                           ProductName(*spec, instance)});
      }
    }
  }
  return entries;
}

std::string FieldLabel(const Definition& definition, const FieldRef& ref) {
  const FieldSpec* field = definition.Product(ref.product)->Field(ref.field);
  return field->label;
}

void AnsweredOnce(const Definition& definition, const ProcessState& state, const Guard& guard,
                  std::vector<Problem>& problems) {
  const auto ids = Entries(definition, state, guard.ids);
  const auto answers = Entries(definition, state, guard.answers);
  const std::string answers_where = definition.Product(guard.answers.product)->title;
  std::map<std::string, int> answer_count;
  for (const ListEntry& answer : answers) ++answer_count[answer.value];
  std::set<std::string> known;
  for (const ListEntry& id : ids) {
    known.insert(id.value);
    const int count = answer_count[id.value];
    if (count == 0) {
      problems.push_back(Problem{"niet_beantwoord", guard.answers.product, 0, guard.answers.field,
                                 Quoted(id.value) + " (" + id.where +
                                     ") heeft nog geen reactie in " + answers_where + "."});
    } else if (count > 1) {
      problems.push_back(Problem{"dubbel_beantwoord", guard.answers.product, 0, guard.answers.field,
                                 Quoted(id.value) + " (" + id.where + ") heeft " +
                                     std::to_string(count) + " reacties in " + answers_where +
                                     "; geef er precies een."});
    }
  }
  std::set<std::string> reported;
  for (const ListEntry& answer : answers) {
    if (known.count(answer.value) || !reported.insert(answer.value).second) continue;
    problems.push_back(Problem{
        "onbekende_verwijzing", guard.answers.product, answer.instance, guard.answers.field,
        answers_where + " reageert op " + Quoted(answer.value) +
            ", maar dat kenmerk komt niet voor in '" + FieldLabel(definition, guard.ids) + "'."});
  }
}

void IncludesAll(const Definition& definition, const ProcessState& state, const Guard& guard,
                 std::vector<Problem>& problems) {
  std::set<std::string> present;
  for (const ListEntry& entry : Entries(definition, state, guard.list)) present.insert(entry.value);
  const std::string list_where = definition.Product(guard.list.product)->title;
  std::set<std::string> reported;
  for (const ListEntry& needed : Entries(definition, state, guard.must_include)) {
    if (present.count(needed.value) || !reported.insert(needed.value).second) continue;
    problems.push_back(
        Problem{"ontbreekt_in_lijst", guard.list.product, 0, guard.list.field,
                Quoted(needed.value) + " uit '" + FieldLabel(definition, guard.must_include) +
                    "' (" + needed.where + ") ontbreekt in '" + FieldLabel(definition, guard.list) +
                    "' van " + list_where + "."});
  }
}

void Adopted(const ProductSpec& spec, const ProcessState& state, std::vector<Problem>& problems) {
  const auto& instances = state.Instances(spec.key);
  const std::string role = spec.adoption_role.value_or("");
  if (instances.empty()) {
    problems.push_back(Problem{
        "niet_vastgesteld", spec.key, 0, "",
        spec.title + " bestaat nog niet en kan dus niet door " + role + " zijn vastgesteld."});
    return;
  }
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const ProductInstance& instance = instances[i];
    if (instance.adopted()) continue;
    const auto n = static_cast<std::int64_t>(i + 1);
    std::string detail;
    if (instance.adopted_hash.empty()) {
      detail = ProductName(spec, n) + " is nog niet vastgesteld door " + role + ".";
    } else {
      detail = ProductName(spec, n) + " is gewijzigd na de vaststelling (versie " +
               std::to_string(instance.adopted_version) + " is vastgesteld, versie " +
               std::to_string(instance.current.version) + " is de huidige); " + role +
               " moet de huidige versie opnieuw vaststellen.";
    }
    problems.push_back(Problem{"niet_vastgesteld", spec.key, spec.repeating ? n : 0, "", detail});
  }
}

}  // namespace

std::vector<Problem> IncompleteProduct(const ProductSpec& spec, const ProcessState& state) {
  const auto& instances = state.Instances(spec.key);
  if (instances.empty() && !spec.repeating) {
    return {Problem{"product_ontbreekt", spec.key, 0, "", spec.title + " is nog niet opgesteld."}};
  }
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    auto missing =
        MissingFields(spec, static_cast<std::int64_t>(i + 1), instances[i].current.content);
    if (!spec.repeating) {
      for (Problem& p : missing) p.instance = 0;
    }
    problems.insert(problems.end(), missing.begin(), missing.end());
  }
  return problems;
}

std::vector<Problem> UnmetGuards(const Definition& definition, const ProcessState& state,
                                 const TransitionSpec& transition,
                                 const std::optional<std::string>& motivation) {
  return UnmetConditions(definition, state, transition.guards, transition.title, motivation);
}

std::vector<Problem> UnmetConditions(const Definition& definition, const ProcessState& state,
                                     const std::vector<Guard>& guards,
                                     const std::string& step_title,
                                     const std::optional<std::string>& motivation) {
  std::vector<Problem> problems;
  for (const Guard& guard : guards) {
    switch (guard.kind) {
      case GuardKind::kProductComplete: {
        auto missing = IncompleteProduct(*definition.Product(guard.product), state);
        problems.insert(problems.end(), missing.begin(), missing.end());
        break;
      }
      case GuardKind::kProductAdopted:
        Adopted(*definition.Product(guard.product), state, problems);
        break;
      case GuardKind::kMinCount: {
        const ProductSpec& spec = *definition.Product(guard.product);
        const auto count = static_cast<std::int64_t>(state.Instances(guard.product).size());
        if (count < guard.min) {
          problems.push_back(Problem{"te_weinig", guard.product, 0, "",
                                     "Er is minstens " + std::to_string(guard.min) + " " +
                                         spec.title + " nodig (nu " + std::to_string(count) +
                                         ")."});
        }
        break;
      }
      case GuardKind::kAnsweredOnce:
        AnsweredOnce(definition, state, guard, problems);
        break;
      case GuardKind::kIncludesAll:
        IncludesAll(definition, state, guard, problems);
        break;
      case GuardKind::kMotivation: {
        const bool given = motivation && !IsBlank(*motivation);
        if (!given) {
          problems.push_back(Problem{"motivatie_ontbreekt", "", 0, "motivatie",
                                     "Geef een motivatie voor '" + step_title + "'."});
        }
        break;
      }
      case GuardKind::kFieldSet: {
        if (!guard.when_product_exists.empty() &&
            state.Instances(guard.when_product_exists).empty()) {
          break;
        }
        const ProductSpec& spec = *definition.Product(guard.product);
        const auto& instances = state.Instances(guard.product);
        const bool set = std::any_of(instances.begin(), instances.end(), [&](const auto& i) {
          return HasValue(i.current.content, guard.field);
        });
        if (!set) {
          std::string reason;
          if (!guard.when_product_exists.empty()) {
            reason = ", want er is al een " + definition.Product(guard.when_product_exists)->title;
          }
          problems.push_back(Problem{
              "veld_ontbreekt", guard.product, 0, guard.field,
              "Vul '" + spec.Field(guard.field)->label + "' in bij " + spec.title + reason + "."});
        }
        break;
      }
    }
  }
  return problems;
}

}  // namespace navolg
