#include "api/cli/args.h"

namespace navolg {

ParsedArgs ParseArgs(const std::vector<std::string>& args, const std::set<std::string>& known,
                     const std::set<std::string>& flags) {
  ParsedArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
    } else if (arg.rfind("--", 0) == 0) {
      std::string name = arg, value;
      bool has_value = false;
      if (auto eq = arg.find('='); eq != std::string::npos) {
        name = arg.substr(0, eq);
        value = arg.substr(eq + 1);
        has_value = true;
      }
      if (flags.count(name)) {
        if (has_value) {
          parsed.error = "optie " + name + " heeft geen waarde";
          return parsed;
        }
        parsed.flags.insert(name);
        continue;
      }
      if (!known.count(name)) {
        parsed.error = "onbekende optie " + name;
        return parsed;
      }
      if (!has_value) {
        if (i + 1 >= args.size()) {
          parsed.error = "optie " + name + " heeft een waarde nodig";
          return parsed;
        }
        value = args[++i];
      }
      parsed.options[name] = value;
    } else {
      parsed.positional.push_back(arg);
    }
  }
  return parsed;
}

}  // namespace navolg
