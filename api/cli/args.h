// A small command-line argument reader: "--name value" options and positional arguments.
// Usage errors are values (a Dutch message), so each command decides how to report them.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace navolg {

struct ParsedArgs {
  std::map<std::string, std::string> options;  // "--db" -> "path"
  std::set<std::string> flags;                 // the given options that take no value
  std::vector<std::string> positional;
  bool help = false;                 // --help or -h was given
  std::optional<std::string> error;  // a usage error, in Dutch

  std::string Option(const std::string& name, const std::string& fallback = "") const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
  bool Flag(const std::string& name) const { return flags.count(name) != 0; }
};

// Reads `args`; every option in `known` takes exactly one value, every one in `flags` none.
ParsedArgs ParseArgs(const std::vector<std::string>& args, const std::set<std::string>& known,
                     const std::set<std::string>& flags = {});

}  // namespace navolg
