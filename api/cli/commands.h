// Internal to api/cli: one function per subcommand, grouped by file (check_command.cc,
// org_commands.cc, user_commands.cc, audit_commands.cc, backup_command.cc). Each takes the
// arguments after its name and returns the exit code (0 ok, 1 failed, 2 usage), printing in Dutch.
#pragma once

#include <string>
#include <vector>

namespace navolg::cli {

using Args = std::vector<std::string>;

int Check(const Args& args);
int OrgAdd(const Args& args);
int OrgWebhook(const Args& args);
int UserAdd(const Args& args);
int UserPasswd(const Args& args);
int UserEmail(const Args& args);
int UserList(const Args& args);
int UserDisable(const Args& args);
int UserEnable(const Args& args);
int AuditExport(const Args& args);
int AuditVerify(const Args& args);
int AuditCheck(const Args& args);  // audit_check_command.cc
// navolg backup ... and navolg backup verify ... (backup_command.cc).
int Backup(const Args& args);
// navolg db copy --from ... --to ... (db_copy_command.cc).
int Db(const Args& args);

}  // namespace navolg::cli
