#include "engine/role.h"

#include <array>

namespace navolg {
namespace {

struct RoleFacts {
  Role role;
  std::string_view name;
  std::string_view title;
  bool user;
  bool acts_in_processes;
  bool starts_processes;
  bool manages_processes;
};

// One row per Role, in enum order.
constexpr std::array<RoleFacts, 6> kRoles = {{
    {Role::kBestuur, "bestuur", "Bestuur", true, true, false, false},
    {Role::kManager, "manager", "Manager", true, true, true, true},
    {Role::kAdviseur, "adviseur", "Adviseur", true, true, true, false},
    {Role::kAuditor, "auditor", "Auditor", true, false, false, false},
    {Role::kBeheerder, "beheerder", "Beheerder", true, false, false, false},
    {Role::kSystem, "system", "navolg", false, false, false, false},
}};

const RoleFacts& Facts(Role role) { return kRoles[static_cast<std::size_t>(role)]; }

}  // namespace

std::string_view RoleName(Role role) { return Facts(role).name; }

std::string_view RoleTitle(Role role) { return Facts(role).title; }

std::optional<Role> ParseRole(std::string_view name) {
  for (const RoleFacts& facts : kRoles) {
    if (facts.name == name) return facts.role;
  }
  return std::nullopt;
}

bool IsUserRole(Role role) { return Facts(role).user; }

bool ActsInProcesses(Role role) { return Facts(role).acts_in_processes; }

bool StartsProcesses(Role role) { return Facts(role).starts_processes; }

bool ManagesProcesses(Role role) { return Facts(role).manages_processes; }

const std::vector<Role>& UserRoles() {
  static const std::vector<Role> kUserRoles = RolesWhere(&IsUserRole);
  return kUserRoles;
}

std::vector<Role> RolesWhere(bool (*predicate)(Role)) {
  std::vector<Role> roles;
  for (const RoleFacts& facts : kRoles) {
    if (predicate(facts.role)) roles.push_back(facts.role);
  }
  return roles;
}

std::string JoinRoleNames(const std::vector<Role>& roles, std::string_view last_separator) {
  std::string joined;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) joined += i + 1 == roles.size() ? last_separator : std::string_view(", ");
    joined += RoleName(roles[i]);
  }
  return joined;
}

}  // namespace navolg
