// Driving the writer's SQLite side by hand, as the group committer does, for tests that need
// to stop between its steps.
#pragma once

#include "storage/writer.h"

namespace navolg::testing {

// Applies `request` in its own savepoint of `transaction`, released only when committed.
inline storage::CommandResult ApplyInSavepoint(storage::Writer& writer,
                                               storage::BatchTransaction& transaction,
                                               storage::CommandRequest& request) {
  storage::CommandResult result;
  auto savepoint = storage::CommandSavepoint::Open(transaction, request.process_id);
  if (!savepoint.ok()) {
    result.status = savepoint.status();
    return result;
  }
  result = writer.write_path().Apply(request);
  if (result.committed()) result.status = savepoint->Release();
  return result;
}

}  // namespace navolg::testing
