// Reading a new password on the command line: from a terminal, asked twice without echo;
// otherwise (a pipe, a file) the first line of standard input, without its line end.
// The password is checked against the rules of storage/password.h before it is returned.
#pragma once

#include <string>

#include "engine/status.h"

namespace navolg {

// kInvalidArgument with a Dutch message for no input, two different entries, or a password
// the rules refuse.
Result<std::string> ReadNewPassword();

}  // namespace navolg
