#include "api/http/policy.h"

#include <algorithm>

namespace navolg::http {
namespace {

// The groups the table is written in, each derived from the roles' facts (engine/role.h).
std::vector<Role> Everyone() { return UserRoles(); }
std::vector<Role> InProcesses() { return RolesWhere(&ActsInProcesses); }
std::vector<Role> Starters() { return RolesWhere(&StartsProcesses); }
std::vector<Role> Readers() {
  std::vector<Role> roles = InProcesses();
  roles.push_back(Role::kAuditor);
  return roles;
}

}  // namespace

// Auditors read everything in their organisation and change nothing; beheerders manage
// users and definitions and never act in, or read, processes.
const std::vector<PolicyRule>& PolicyTable() {
  static const std::vector<PolicyRule> kTable = {
      {Action::kReadOwnUser, "read_own_user", Everyone()},
      {Action::kReadWorkflows, "read_workflows", Everyone()},
      {Action::kCreateProcess, "create_process", Starters()},
      {Action::kReadProcesses, "read_processes", Readers()},
      {Action::kReadTrail, "read_trail", Readers()},
      {Action::kSaveProducts, "save_products", InProcesses()},
      {Action::kAdoptProducts, "adopt_products", InProcesses()},
      {Action::kTakeTransitions, "take_transitions", InProcesses()},
      {Action::kReadBorgingshuis, "read_borgingshuis", Readers()},
      // The key that verifies exports is public; it reveals nothing about any process.
      {Action::kReadAuditKey, "read_audit_key", Everyone()},
      {Action::kReadDeadlineOverview, "read_deadline_overview", Readers()},
      // Signing out changes nothing but the caller's own session.
      {Action::kEndOwnSession, "end_own_session", Everyone()},
      {Action::kManageUsers, "manage_users", {Role::kBeheerder}},
      {Action::kDeactivateUsers, "deactivate_users", {Role::kBeheerder}},
      // Who signed in from where, and what was done to accounts: for those who oversee.
      {Action::kReadSecurityLog, "read_security_log", {Role::kBeheerder, Role::kAuditor}},
  };
  return kTable;
}

bool Allows(const std::string& role, Action action) {
  const std::optional<Role> known = ParseRole(role);
  if (!known) return false;
  const auto& rule = PolicyTable()[static_cast<std::size_t>(action)];
  return std::find(rule.roles.begin(), rule.roles.end(), *known) != rule.roles.end();
}

const char* ActionName(Action action) {
  return PolicyTable()[static_cast<std::size_t>(action)].name;
}

std::vector<std::string> AllowedActionNames(const std::string& role) {
  std::vector<std::string> names;
  for (const PolicyRule& rule : PolicyTable()) {
    if (Allows(role, rule.action)) names.emplace_back(rule.name);
  }
  return names;
}

}  // namespace navolg::http
