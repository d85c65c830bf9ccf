#include "engine/product_rules.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <set>
#include <string_view>

#include "engine/canonical_json.h"
#include "engine/text.h"

namespace navolg {
namespace {

// A user id is short ("u-" and 20 hex digits); anything far longer is not one.
constexpr std::size_t kMaxUserIdLength = 64;

using nlohmann::json;

// Problems name an instance only for a repeating product (problem.h).
std::int64_t ProblemInstance(const ProductSpec& spec, std::int64_t instance) {
  return spec.repeating ? instance : 0;
}

// A field path inside a product, e.g. "inbreng[2].tekst", built into text only when a
// problem is reported.
struct FieldPath {
  const FieldPath* parent = nullptr;
  std::string_view key;   // a member; empty for a list element
  std::size_t index = 0;  // a list element (printed 1-based)

  std::string Text() const {
    if (parent == nullptr) return std::string(key);
    std::string text = parent->Text();
    if (key.empty()) return text + "[" + std::to_string(index + 1) + "]";
    return text.empty() ? std::string(key) : text + "." + std::string(key);
  }
};

class ValueChecker {
 public:
  ValueChecker(const ProductSpec& spec, std::int64_t instance, Date today,
               std::vector<Problem>& problems)
      : spec_(spec), instance_(instance), today_(today), problems_(problems) {}

  void CheckObject(const std::vector<FieldSpec>& fields, const json& object,
                   const FieldPath& prefix) {
    for (const auto& [name, value] : object.items()) {
      auto spec = std::find_if(fields.begin(), fields.end(),
                               [&name](const FieldSpec& f) { return f.key == name; });
      if (spec == fields.end()) {
        Report("onbekend_veld", FieldPath{&prefix, name}.Text(),
               "'" + name + "' is geen veld van " + ProductName(spec_, instance_) + ".");
        continue;
      }
      if (!value.is_null()) CheckValue(*spec, value, FieldPath{&prefix, name});
    }
  }

 private:
  void Report(const char* code, const std::string& field, std::string detail) {
    problems_.push_back(
        Problem{code, spec_.key, ProblemInstance(spec_, instance_), field, std::move(detail)});
  }

  void WrongType(const FieldSpec& field, const FieldPath& path, const char* expected) {
    Report("verkeerd_type", path.Text(), "'" + field.label + "' moet " + expected + " zijn.");
  }

  void CheckOption(const FieldSpec& field, const json& value, const FieldPath& path) {
    if (!value.is_string()) return WrongType(field, path, "een keuze uit de lijst");
    const auto& text = value.get_ref<const std::string&>();
    if (std::find(field.options.begin(), field.options.end(), text) == field.options.end()) {
      std::string options;
      for (const std::string& option : field.options) {
        options += (options.empty() ? "" : ", ") + option;
      }
      Report(
          "onbekende_keuze", path.Text(),
          "'" + text + "' is geen keuze voor '" + field.label + "' (kies uit: " + options + ").");
    }
  }

  // A text over the field's max_length: refused with the limit and the length, both in
  // characters, so the writer knows how much to cut.
  void CheckLength(const FieldSpec& field, const std::string& text, const FieldPath& path) {
    if (static_cast<std::int64_t>(text.size()) <= field.max_length) return;  // bytes >= chars
    const std::int64_t length = CharacterCount(text);
    if (length <= field.max_length) return;
    Report("te_lang", path.Text(),
           "'" + field.label + "' is te lang: " + std::to_string(length) + " tekens, hoogstens " +
               std::to_string(field.max_length) + ".");
  }

  void CheckValue(const FieldSpec& field, const json& value, const FieldPath& path) {
    switch (field.type) {
      case FieldType::kText:
      case FieldType::kLongtext:
        if (!value.is_string()) return WrongType(field, path, "tekst");
        CheckLength(field, value.get_ref<const std::string&>(), path);
        break;
      case FieldType::kUser:
        // Which users exist is the API's to check; here only the shape of an id.
        if (!value.is_string()) return WrongType(field, path, "een gebruiker (id)");
        if (value.get_ref<const std::string&>().size() > kMaxUserIdLength) {
          Report("te_lang", path.Text(), "'" + field.label + "' is geen gebruiker.");
        }
        break;
      case FieldType::kDate: {
        if (!value.is_string()) return WrongType(field, path, "een datum (JJJJ-MM-DD)");
        const auto& text = value.get_ref<const std::string&>();
        if (IsBlank(text)) break;
        auto date = ParseDate(text);
        if (!date) {
          Report("ongeldige_datum", path.Text(),
                 "'" + text + "' is geen geldige datum voor '" + field.label +
                     "'; gebruik JJJJ-MM-DD.");
        } else if (date->year() < date::year(1900) || date->year() > date::year(2999)) {
          // Deadlines add months and days to dates; keep them far from the four-digit edge.
          Report("ongeldige_datum", path.Text(),
                 "'" + text + "' ligt niet tussen 1900 en 2999; is het jaartal goed?");
        } else if (field.not_after_today && *date > today_) {
          Report("datum_in_toekomst", path.Text(),
                 "'" + field.label + "' mag niet na vandaag (" + DutchDate(today_) + ") liggen.");
        }
        break;
      }
      case FieldType::kInteger: {
        if (!value.is_number_integer()) return WrongType(field, path, "een geheel getal");
        // Integers beyond +-(2^53 - 1) cannot be kept exactly in the audit trail (RFC 8785).
        const bool safe =
            value.is_number_unsigned()
                ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxSafeInteger)
                : std::abs(value.get<std::int64_t>()) <= kMaxSafeInteger;
        if (!safe) {
          Report("buiten_grenzen", path.Text(), "'" + field.label + "' is te groot.");
          break;
        }
        const auto n = value.get<std::int64_t>();
        const bool in_range = (!field.min || n >= *field.min) && (!field.max || n <= *field.max);
        if (!in_range) {
          std::string bounds;
          if (field.min && field.max) {
            bounds = "tussen " + std::to_string(*field.min) + " en " + std::to_string(*field.max);
          } else if (field.min) {
            bounds = "minstens " + std::to_string(*field.min);
          } else {
            bounds = "hoogstens " + std::to_string(*field.max);
          }
          Report("buiten_grenzen", path.Text(), "'" + field.label + "' moet " + bounds + " zijn.");
        }
        break;
      }
      case FieldType::kEnum:
        CheckOption(field, value, path);
        break;
      case FieldType::kEnumlist:
      case FieldType::kTextlist: {
        if (!value.is_array()) return WrongType(field, path, "een lijst");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < value.size(); ++i) {
          const json& entry = value[i];
          const FieldPath entry_path{&path, {}, i};
          if (field.type == FieldType::kEnumlist) {
            CheckOption(field, entry, entry_path);
          } else if (!entry.is_string() || IsBlank(entry.get_ref<const std::string&>())) {
            Report("verkeerd_type", entry_path.Text(),
                   "Elke regel van '" + field.label + "' moet een niet-lege tekst zijn.");
            continue;
          } else {
            CheckLength(field, entry.get_ref<const std::string&>(), entry_path);
          }
          if (entry.is_string() && !seen.insert(entry.get<std::string>()).second) {
            Report("dubbele_waarde", entry_path.Text(),
                   "'" + entry.get<std::string>() + "' staat twee keer in '" + field.label + "'.");
          }
        }
        break;
      }
      case FieldType::kItems:
        if (!value.is_array()) return WrongType(field, path, "een lijst");
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (!value[i].is_object()) {
            Report("verkeerd_type", FieldPath{&path, {}, i}.Text(),
                   "Elk onderdeel van '" + field.label + "' moet een object zijn.");
            continue;
          }
          CheckObject(field.fields, value[i], FieldPath{&path, {}, i});
        }
        break;
    }
  }

  const ProductSpec& spec_;
  std::int64_t instance_;
  Date today_;
  std::vector<Problem>& problems_;
};

bool IsRequired(const FieldSpec& field, const json& object) {
  if (field.generated_id) return false;
  if (field.required) return true;
  if (field.required_unless_field.empty()) return false;
  auto sibling = object.find(field.required_unless_field);
  if (sibling == object.end() || !sibling->is_string()) return true;
  const auto& values = field.required_unless_values;
  return std::find(values.begin(), values.end(), sibling->get<std::string>()) == values.end();
}

// Where a nested object stands; turned into text only when a problem is reported, since most
// saves report nothing and building the strings eagerly dominated their cost.
struct Location {
  const Location* parent = nullptr;
  const FieldSpec* items = nullptr;  // the items field the object is an element of
  std::size_t index = 0;
  FieldPath path;  // of the object itself

  std::string Where(const ProductSpec& spec, std::int64_t instance) const {
    if (!parent) return " bij " + ProductName(spec, instance);
    return " bij " + items->label + " " + std::to_string(index + 1) + parent->Where(spec, instance);
  }
};

void CollectMissing(const ProductSpec& spec, std::int64_t instance,
                    const std::vector<FieldSpec>& fields, const json& object,
                    const Location& location, std::vector<Problem>& problems) {
  for (const FieldSpec& field : fields) {
    if (!HasValue(object, field.key)) {
      if (IsRequired(field, object)) {
        problems.push_back(
            Problem{"veld_ontbreekt", spec.key, ProblemInstance(spec, instance),
                    FieldPath{&location.path, field.key}.Text(),
                    "Vul '" + field.label + "' in" + location.Where(spec, instance) + "."});
      }
      continue;
    }
    const json& value = object.at(field.key);
    if (value.is_array() && static_cast<std::int64_t>(value.size()) < field.min_items) {
      problems.push_back(Problem{"te_weinig_waarden", spec.key, ProblemInstance(spec, instance),
                                 FieldPath{&location.path, field.key}.Text(),
                                 "'" + field.label + "' heeft minstens " +
                                     std::to_string(field.min_items) + " regel(s) nodig" +
                                     location.Where(spec, instance) + "."});
    }
    if (field.type == FieldType::kItems) {
      const FieldPath items_path{&location.path, field.key};
      for (std::size_t i = 0; i < value.size(); ++i) {
        CollectMissing(spec, instance, field.fields, value[i],
                       Location{&location, &field, i, FieldPath{&items_path, {}, i}}, problems);
      }
    }
  }
}

}  // namespace

std::string ProductName(const ProductSpec& spec, std::int64_t instance) {
  if (!spec.repeating) return spec.title;
  return spec.title + " " + std::to_string(instance);
}

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

bool HasValue(const json& content, const std::string& field) {
  auto it = content.find(field);
  if (it == content.end() || it->is_null()) return false;
  if (it->is_string()) return !IsBlank(it->get_ref<const std::string&>());
  if (it->is_array()) return !it->empty();
  return true;
}

std::vector<Problem> InvalidValues(const ProductSpec& spec, std::int64_t instance,
                                   const json& content, Date today) {
  std::vector<Problem> problems;
  if (!content.is_object()) {
    problems.push_back(Problem{
        "verkeerd_type", spec.key, ProblemInstance(spec, instance), "",
        "De inhoud van " + ProductName(spec, instance) + " moet een JSON-object met velden zijn."});
    return problems;
  }
  ValueChecker(spec, instance, today, problems).CheckObject(spec.fields, content, FieldPath{});
  return problems;
}

std::vector<Problem> MissingFields(const ProductSpec& spec, std::int64_t instance,
                                   const json& content) {
  std::vector<Problem> problems;
  CollectMissing(spec, instance, spec.fields, content, Location{}, problems);
  return problems;
}

std::vector<Problem> AssignGeneratedIds(const ProductSpec& spec, std::int64_t instance,
                                        json& content, const ProcessState& state) {
  std::vector<Problem> problems;
  const auto& instances = state.Instances(spec.key);
  for (const FieldSpec& field : spec.fields) {
    if (field.type != FieldType::kItems || !content.contains(field.key) ||
        !content[field.key].is_array()) {
      continue;
    }
    for (const FieldSpec& id_field : field.fields) {
      if (!id_field.generated_id) continue;
      // Ids already used by the other instances of this product.
      std::set<std::string> taken;
      for (std::size_t i = 0; i < instances.size(); ++i) {
        if (static_cast<std::int64_t>(i + 1) == instance) continue;
        const json& other = instances[i].current.content;
        if (!other.contains(field.key) || !other[field.key].is_array()) continue;
        for (const json& item : other[field.key]) {
          if (item.contains(id_field.key) && item[id_field.key].is_string()) {
            taken.insert(item[id_field.key].get<std::string>());
          }
        }
      }
      auto counter_it = state.generated_id_counters.find(spec.key + "/" + field.key);
      std::int64_t counter =
          counter_it == state.generated_id_counters.end() ? 0 : counter_it->second;
      json& items = content[field.key];
      // First the ids the writer gave, then new ones that collide with none of them.
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!HasValue(items[i], id_field.key)) continue;
        const std::string id = items[i][id_field.key].get<std::string>();
        if (!taken.insert(id).second) {
          problems.push_back(Problem{"dubbele_id", spec.key, ProblemInstance(spec, instance),
                                     field.key + "[" + std::to_string(i + 1) + "]." + id_field.key,
                                     "Kenmerk '" + id +
                                         "' wordt al gebruikt in dit proces; "
                                         "laat het leeg voor een nieuw kenmerk."});
        }
      }
      for (json& item : items) {
        if (HasValue(item, id_field.key)) continue;
        std::string id;
        do {
          id = field.key + "-" + std::to_string(++counter);
        } while (taken.count(id));
        taken.insert(id);
        item[id_field.key] = id;
      }
    }
  }
  return problems;
}

}  // namespace navolg
