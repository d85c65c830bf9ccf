// Reading a User from a row that joins users and organisations. storage's own.
#pragma once

#include "engine/status.h"
#include "storage/directory.h"
#include "storage/sql/sql.h"

namespace navolg::storage {

// The User in six columns of `row` from `first` on: u.id, u.organisation_id, o.slug, u.name,
// u.role, o.name. Fails (kInternal) on a stored organisation id that no scope accepts.
inline Result<User> UserFromRow(sql::Statement& row, int first) {
  auto organisation = OrganisationScope::Of(row.getColumn(first + 1).getInt64());
  if (!organisation.ok()) return organisation.status();
  return User{row.getColumn(first).getString(),     *organisation,
              row.getColumn(first + 2).getString(), row.getColumn(first + 3).getString(),
              row.getColumn(first + 4).getString(), row.getColumn(first + 5).getString()};
}

}  // namespace navolg::storage
