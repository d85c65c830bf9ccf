// The roles of navolg (domain.md): what a user is in their organisation, and who acted in an
// audit event. This is the one list of roles: the database's users, the API's policy table,
// the engine's checks, the roles the API serves to the web interface and the messages that
// name roles are all derived from it.
//
// Outside the engine a role travels as its name (JSON, the database, the audit trail);
// ParseRole turns a name into a Role and refuses names that are not roles.
//
// Immutable data and pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace navolg {

// In the order of domain.md. kSystem is navolg itself (the deadline watcher); no user has it.
enum class Role { kBestuur, kManager, kAdviseur, kAuditor, kBeheerder, kSystem };

// The name in JSON, the database and the audit trail: "bestuur", ..., "system".
std::string_view RoleName(Role role);

// The Dutch title for people: "Bestuur", ..., "navolg".
std::string_view RoleTitle(Role role);

// The role called `name`; nullopt for anything else (names are case-sensitive).
std::optional<Role> ParseRole(std::string_view name);

// Whether users can have the role: every role but kSystem.
bool IsUserRole(Role role);

// Whether the role can act in a process (save products, adopt, take steps) where the workflow
// definition lets it: bestuur, manager, adviseur. auditor and beheerder never do.
bool ActsInProcesses(Role role);

// Whether the role starts processes: manager and adviseur, the roles that run them. An
// organisational rule, the same for every workflow definition.
bool StartsProcesses(Role role);

// Whether the role manages processes: hands them over to another adviseur and reminds the
// assignee of a deadline. The manager only; the same for every workflow definition.
bool ManagesProcesses(Role role);

// Every role a user can have, in enum order.
const std::vector<Role>& UserRoles();

// The roles for which `predicate` holds, in enum order.
std::vector<Role> RolesWhere(bool (*predicate)(Role));

// The names of `roles` for a Dutch sentence: "manager en adviseur", or, with
// `last_separator` " of ", "bestuur, manager of adviseur".
std::string JoinRoleNames(const std::vector<Role>& roles, std::string_view last_separator = " en ");

}  // namespace navolg
