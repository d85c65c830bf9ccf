#include "storage/colleagues.h"

#include "storage/database.h"
#include "storage/sql/sql.h"
#include "storage/statement_cache.h"

namespace navolg::storage {

Result<std::vector<Colleague>> ListColleagues(StatementCache& statements,
                                              const OrganisationScope& organisation) {
  try {
    Query query(statements,
                "SELECT id, name, role, deactivated_at IS NULL FROM users "
                "WHERE organisation_id = ? ORDER BY name, id");
    query->bind(1, organisation.id());
    std::vector<Colleague> colleagues;
    while (query->executeStep()) {
      colleagues.push_back(
          Colleague{query->getColumn(0).getString(), query->getColumn(1).getString(),
                    query->getColumn(2).getString(), query->getColumn(3).getInt() != 0});
    }
    return colleagues;
  } catch (const sql::Exception& e) {
    return FromSql(e, "collega's lezen");
  }
}

}  // namespace navolg::storage
