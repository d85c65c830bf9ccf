// The first start of `navolg serve` on an empty database: the built-in workflows are
// registered (on every start), and on a database without organisations the organisation
// 'demo' and its beheerder are created, with an API token and a first password.
//
// The operator learns that password once, one of two ways:
// - without a password file: on standard output (a terminal, or whatever reads it);
// - with --first-password-file PATH: in PATH, created new with mode 0600 (an existing file is
//   never overwritten: the start is refused before anything is created), and standard output
//   says only where it is. Under systemd or in a container standard output is a log that
//   others read and that is kept; the file is not.
#pragma once

#include <string>

#include "engine/status.h"

namespace navolg {

// What the first start created, for PrintFirstStart.
struct FirstStart {
  std::string password_file;           // in: --first-password-file; empty: standard output
  std::string token;                   // out: empty when the database was not empty
  std::string password;                // out
  bool nobody_has_a_password = false;  // out: an older database where nobody can sign in
};

// Registers the workflows and sets up an empty database, once for all nodes that share it
// (the first to take the set-up lock does it; the others find it done).
Status SetUpDatabase(const std::string& address, FirstStart& first);

// How to sign in, for the operator who just started navolg at `url`.
void PrintFirstStart(const FirstStart& first, const std::string& url,
                     const std::string& address_for_display);

}  // namespace navolg
