// JsonReader: reads typed members out of a JSON document while collecting every problem
// with its JSON Pointer path, instead of stopping at the first one. Used to parse workflow
// definitions, where a writer wants to see all mistakes of a file at once.
// Not thread-safe; one reader per document.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/definition.h"

namespace navolg {

class JsonReader {
 public:
  explicit JsonReader(std::vector<DefinitionError>& errors) : errors_(errors) {}

  void Error(const std::string& path, std::string message);

  // True when `value` is an object whose members are all in `allowed`; reports otherwise.
  bool Object(const nlohmann::json& value, const std::string& path,
              std::initializer_list<const char*> allowed);

  enum class Presence { kRequired, kOptional };

  // Member readers: report a missing required member or a wrong type at path/member.
  std::optional<std::string> String(const nlohmann::json& object, const std::string& path,
                                    const char* member, Presence presence);
  std::optional<std::int64_t> Integer(const nlohmann::json& object, const std::string& path,
                                      const char* member, Presence presence);
  bool Flag(const nlohmann::json& object, const std::string& path, const char* member);
  // An array member; returns nullptr (after reporting) when absent-but-required or not an array.
  const nlohmann::json* Array(const nlohmann::json& object, const std::string& path,
                              const char* member, Presence presence);
  // An array of strings, each reported by its own path when it is not a string.
  std::vector<std::string> Strings(const nlohmann::json& object, const std::string& path,
                                   const char* member, Presence presence);

 private:
  std::vector<DefinitionError>& errors_;
};

// "/a/b" + "c" -> "/a/b/c"; indices are appended with std::to_string. A member name is
// escaped as RFC 6901 requires ("~" -> "~0", "/" -> "~1"), so that "a/b" stays one step.
inline std::string JoinPath(const std::string& path, const std::string& member) {
  std::string joined = path + "/";
  for (char c : member) {
    if (c == '~') {
      joined += "~0";
    } else if (c == '/') {
      joined += "~1";
    } else {
      joined += c;
    }
  }
  return joined;
}
inline std::string JoinPath(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

}  // namespace navolg
