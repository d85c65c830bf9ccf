// The navolg command line (README, "Command line").
//
// RunCli parses argv, runs one subcommand and returns the process exit code:
// 0 success, 1 the command ran and found a problem (invalid definition, broken trail),
// 2 a usage error. Output goes to stdout, diagnostics to stderr, in Dutch.
#pragma once

namespace navolg {

int RunCli(int argc, char** argv);

}  // namespace navolg
