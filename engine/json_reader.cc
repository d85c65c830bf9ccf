#include "engine/json_reader.h"

#include <algorithm>

#include "engine/canonical_json.h"

namespace navolg {

void JsonReader::Error(const std::string& path, std::string message) {
  errors_.push_back(DefinitionError{path, std::move(message)});
}

bool JsonReader::Object(const nlohmann::json& value, const std::string& path,
                        std::initializer_list<const char*> allowed) {
  if (!value.is_object()) {
    Error(path, "moet een object zijn");
    return false;
  }
  for (const auto& [name, member] : value.items()) {
    bool known =
        std::any_of(allowed.begin(), allowed.end(), [&name](const char* a) { return name == a; });
    if (!known) Error(JoinPath(path, name), "onbekend onderdeel '" + name + "'");
  }
  return true;
}

std::optional<std::string> JsonReader::String(const nlohmann::json& object, const std::string& path,
                                              const char* member, Presence presence) {
  auto it = object.find(member);
  if (it == object.end()) {
    if (presence == Presence::kRequired) Error(JoinPath(path, member), "ontbreekt");
    return std::nullopt;
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    Error(JoinPath(path, member), "moet een niet-lege tekst zijn");
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::int64_t> JsonReader::Integer(const nlohmann::json& object,
                                                const std::string& path, const char* member,
                                                Presence presence) {
  auto it = object.find(member);
  if (it == object.end()) {
    if (presence == Presence::kRequired) Error(JoinPath(path, member), "ontbreekt");
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    Error(JoinPath(path, member), "moet een geheel getal zijn");
    return std::nullopt;
  }
  // The definition is hashed in canonical form, which holds only integers a double holds
  // exactly; checking here also keeps a huge unsigned value from wrapping to a negative one.
  const bool safe = it->is_number_unsigned()
                        ? it->get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxSafeInteger)
                        : it->get<std::int64_t>() >= -kMaxSafeInteger &&
                              it->get<std::int64_t>() <= kMaxSafeInteger;
  if (!safe) {
    Error(JoinPath(path, member),
          "moet een geheel getal zijn tussen -9007199254740991 en "
          "9007199254740991");
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

bool JsonReader::Flag(const nlohmann::json& object, const std::string& path, const char* member) {
  auto it = object.find(member);
  if (it == object.end()) return false;
  if (!it->is_boolean()) {
    Error(JoinPath(path, member), "moet true of false zijn");
    return false;
  }
  return it->get<bool>();
}

const nlohmann::json* JsonReader::Array(const nlohmann::json& object, const std::string& path,
                                        const char* member, Presence presence) {
  auto it = object.find(member);
  if (it == object.end()) {
    if (presence == Presence::kRequired) Error(JoinPath(path, member), "ontbreekt");
    return nullptr;
  }
  if (!it->is_array()) {
    Error(JoinPath(path, member), "moet een lijst zijn");
    return nullptr;
  }
  return &*it;
}

std::vector<std::string> JsonReader::Strings(const nlohmann::json& object, const std::string& path,
                                             const char* member, Presence presence) {
  std::vector<std::string> result;
  const nlohmann::json* array = Array(object, path, member, presence);
  if (array == nullptr) return result;
  const std::string array_path = JoinPath(path, member);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& entry = (*array)[i];
    if (!entry.is_string() || entry.get_ref<const std::string&>().empty()) {
      Error(JoinPath(array_path, i), "moet een niet-lege tekst zijn");
      continue;
    }
    result.push_back(entry.get<std::string>());
  }
  return result;
}

}  // namespace navolg
