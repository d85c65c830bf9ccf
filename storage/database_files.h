// The database's files on disk: the SQLite file, its -wal and -shm files and the folder they
// are in hold every process's trail and every user's password hash, so they are navolg's
// alone, as the signing key is: the files mode 0600, a folder navolg creates 0700.
//
// Functions of the file system only; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"

namespace navolg::storage {

// Whether `path` names a file (not ":memory:", an empty path or a "file:" URI).
bool IsDatabaseFile(const std::string& path);

// Creates `path` empty with mode 0600 whatever the umask (database files and backups hold
// personal data): true when created, false when something was already there (left alone).
// kFailedPrecondition, Dutch and naming the path, when it cannot be created.
Result<bool> CreateOwnerOnlyFile(const std::string& path);

// Makes sure the file at `path` exists before SQLite opens it: creates the missing folders
// (each mode 0700) and an empty file with mode 0600. SQLite then gives the -wal and -shm
// files the mode of the database file. Changes nothing that exists. Fails (kFailedPrecondition,
// Dutch, naming the path) when a folder or the file cannot be created; the caller may still
// let SQLite try, which reports its own error.
Status CreateDatabaseFile(const std::string& path);

// One Dutch warning for each of the database file, its -wal and -shm files and its folder
// that group or others may access, each with the chmod command that closes it. Empty when
// none is, or `path` names no file. An existing file is never changed: the operator decides.
std::vector<std::string> LooseDatabaseModes(const std::string& path);

}  // namespace navolg::storage
