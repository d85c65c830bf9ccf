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

// The roles that run processes assigned to them.
std::vector<Role> AssigneeOnly() { return {Role::kAdviseur}; }

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
      // The assigned adviseur runs a process; other adviseurs read it. Until a process is
      // assigned (the definition's "assignee" field has no value), any adviseur may act, so
      // one can start the work; bestuur and managers act on every process.
      {Action::kSaveProducts, "save_products", InProcesses(), AssigneeOnly()},
      {Action::kAdoptProducts, "adopt_products", InProcesses(), AssigneeOnly()},
      {Action::kTakeTransitions, "take_transitions", InProcesses(), AssigneeOnly()},
      {Action::kReadBorgingshuis, "read_borgingshuis", Readers()},
      {Action::kReadDeadlineOverview, "read_deadline_overview", Readers()},
      // Signing out changes nothing but the caller's own session.
      {Action::kEndOwnSession, "end_own_session", Everyone()},
      {Action::kManageUsers, "manage_users", {Role::kBeheerder}},
      // Those who answer for a process's record: the auditor who checks it, the manager who
      // oversees it.
      {Action::kReadCheckpoints, "read_checkpoints", {Role::kManager, Role::kAuditor}},
      {Action::kDeactivateUsers, "deactivate_users", {Role::kBeheerder}},
      // Who signed in from where, and what was done to accounts: for those who oversee.
      {Action::kReadSecurityLog, "read_security_log", {Role::kBeheerder, Role::kAuditor}},
      // Hand a process over to another adviseur, remind its adviseur of a deadline.
      {Action::kManageProcesses, "manage_processes", RolesWhere(&ManagesProcesses)},
      // Names instead of ids, and whom a form can offer: everyone who works with processes.
      {Action::kReadColleagues, "read_colleagues", Readers()},
  };
  return kTable;
}

bool Allows(const std::string& role, Action action) {
  const std::optional<Role> known = ParseRole(role);
  if (!known) return false;
  const auto& rule = PolicyTable()[static_cast<std::size_t>(action)];
  return std::find(rule.roles.begin(), rule.roles.end(), *known) != rule.roles.end();
}

Reach ReachOf(const std::string& role, Action action) {
  const std::optional<Role> known = ParseRole(role);
  const auto& limited = PolicyTable()[static_cast<std::size_t>(action)].assignee_only;
  const bool assignee_only =
      known && std::find(limited.begin(), limited.end(), *known) != limited.end();
  return assignee_only ? Reach::kAssignedProcess : Reach::kAnyProcess;
}

const std::vector<Action>& ProcessChangingActions() {
  static const std::vector<Action> kActions = {Action::kSaveProducts, Action::kAdoptProducts,
                                               Action::kTakeTransitions};
  return kActions;
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
