// The people of an organisation as its members see them: id, name, role and whether they can
// still act. What forms offer to choose from ("the adviseur"), what views name instead of ids,
// and what the API checks a chosen user against. No tokens, passwords or sessions.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"
#include "storage/organisation_scope.h"
#include "storage/statement_cache.h"

namespace navolg::storage {

struct Colleague {
  std::string id;
  std::string name;
  std::string role;
  bool active = true;  // false once deactivated: kept, so old trails still name them
};

// Every user of `organisation`, by name.
Result<std::vector<Colleague>> ListColleagues(StatementCache& statements,
                                              const OrganisationScope& organisation);

}  // namespace navolg::storage
