// navolg serve: the main job. Parses its settings (flags, then environment, then
// defaults), prepares the database, and runs the HTTP server until SIGINT/SIGTERM.
#pragma once

#include <string>
#include <vector>

namespace navolg {

// Returns the process exit code: 0 after a clean stop, 1 when it could not start, 2 usage.
int Serve(const std::vector<std::string>& args);

}  // namespace navolg
