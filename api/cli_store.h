// Command-line commands that work on a database: org add, org webhook, user add/passwd/list,
// audit export.
// Each returns the process exit code (0 ok, 1 failed, 2 usage) and prints in Dutch.
#pragma once

#include <string>
#include <vector>

namespace navolg {

int OrgAdd(const std::vector<std::string>& args);
int OrgWebhook(const std::vector<std::string>& args);
int UserAdd(const std::vector<std::string>& args);
int UserPasswd(const std::vector<std::string>& args);
int UserList(const std::vector<std::string>& args);
int AuditExport(const std::vector<std::string>& args);

// The database path from --db, else $NAVOLG_DB, else ./data/navolg.db.
std::string DatabasePath(const std::string& option);

}  // namespace navolg
