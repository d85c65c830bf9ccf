// The navolg executable: wires the modules together; all behaviour lives in api/cli.
#include "api/cli.h"

int main(int argc, char** argv) { return navolg::RunCli(argc, argv); }
