// The file that holds navolg's Ed25519 signing key (docs/audit-format.md, "The key"), shared
// by `navolg serve` and `navolg audit export`.
//
// The file is PEM PKCS#8, unencrypted, readable by its owner only. When it does not exist it
// is created with a new key: written to a temporary file with mode 0600 in the same folder,
// synced, then linked into place, so nobody ever sees a half-written key and two processes
// starting at once end up with the same one. An existing file is never changed or loosened.
//
// Errors are Dutch, for the operator.
#pragma once

#include <string>

#include "engine/ed25519.h"
#include "engine/status.h"

namespace navolg::storage {

// The path of the signing key: `option` (--signing-key), else $NAVOLG_SIGNING_KEY, else
// navolg-signing.key in the folder of the SQLite database at `database_path`. A PostgreSQL
// database has no folder: kInvalidArgument, in Dutch, asking for the key file every node
// reads (kept out of the database, so that whoever can rewrite it cannot also re-sign it).
Result<std::string> SigningKeyPath(const std::string& option, const std::string& database_path);

struct LoadedSigningKey {
  SigningKey key;
  bool created = false;  // whether the file was made just now
};

// Reads the key at `path`, or creates it there (and its folder) when there is no file. Fails
// (with a message naming the path) when the path is not a regular file, cannot be read or
// created, holds no Ed25519 private key, or when group or others have any access to it (mode
// & 077): such a key may have been read by someone else, and "chmod 600" is the fix.
Result<LoadedSigningKey> LoadOrCreateSigningKey(const std::string& path);

}  // namespace navolg::storage
