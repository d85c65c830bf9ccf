// Moving a whole navolg database from one backend to the other (`navolg db copy`): from the
// embedded SQLite file to PostgreSQL when an installation grows beyond one machine, and back.
//
// Opens connections of its own and closes them before it returns. Errors are Dutch, for the
// operator.
#pragma once

#include <cstdint>
#include <string>

#include "engine/status.h"
#include "storage/integrity_check.h"

namespace navolg::storage {

struct CopySummary {
  std::int64_t tables = 0;
  std::int64_t rows = 0;
  IntegrityReport integrity;  // of the target, every chain in full
};

// Copies every row of every table of the database at `from` into the database at `to` (each a
// SQLite path or a postgresql:// address), in one transaction on the target, then checks the
// target: the same number of rows in every table, every chain verifying and every projection
// matching its replay. The source is only read and must be at this navolg's schema version;
// stop the nodes writing it first, or commands made during the copy are not in it.
//
// Refuses, with kFailedPrecondition and nothing written, a target that holds any row. Fails
// with kDataLoss when the copy does not check out afterwards (the target then holds the copy,
// for inspection; the source is untouched).
Result<CopySummary> CopyDatabase(const std::string& from, const std::string& to, Time now);

}  // namespace navolg::storage
