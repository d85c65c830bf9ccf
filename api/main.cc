// The navolg executable: wires the modules together. `serve` runs the HTTP server (the
// navolg_server target, the only one with Boost); every other command is in api/cli.
#include <string>
#include <vector>

#include "api/cli/cli.h"
#include "api/serve.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "serve") {
    return navolg::Serve(std::vector<std::string>(argv + 2, argv + argc));
  }
  return navolg::RunCli(argc, argv);
}
