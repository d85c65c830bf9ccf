#include "api/http/policy.h"

#include <algorithm>

namespace navolg::http {

const std::vector<std::string>& PolicyRoles() {
  static const std::vector<std::string> kRoles = {"bestuur", "manager", "adviseur", "auditor",
                                                  "beheerder"};
  return kRoles;
}

// Auditors read everything in their organisation and change nothing; beheerders manage
// users and definitions and never act in, or read, processes.
const std::vector<PolicyRule>& PolicyTable() {
  static const std::vector<PolicyRule> kTable = {
      {Action::kReadOwnUser,
       "read_own_user",
       {"bestuur", "manager", "adviseur", "auditor", "beheerder"}},
      {Action::kReadWorkflows,
       "read_workflows",
       {"bestuur", "manager", "adviseur", "auditor", "beheerder"}},
      {Action::kCreateProcess, "create_process", {"manager", "adviseur"}},
      {Action::kReadProcesses, "read_processes", {"bestuur", "manager", "adviseur", "auditor"}},
      {Action::kReadTrail, "read_trail", {"bestuur", "manager", "adviseur", "auditor"}},
      {Action::kSaveProducts, "save_products", {"bestuur", "manager", "adviseur"}},
      {Action::kAdoptProducts, "adopt_products", {"bestuur", "manager", "adviseur"}},
      {Action::kTakeTransitions, "take_transitions", {"bestuur", "manager", "adviseur"}},
      {Action::kReadBorgingshuis,
       "read_borgingshuis",
       {"bestuur", "manager", "adviseur", "auditor"}},
      // The key that verifies exports is public; it reveals nothing about any process.
      {Action::kReadAuditKey,
       "read_audit_key",
       {"bestuur", "manager", "adviseur", "auditor", "beheerder"}},
      {Action::kReadDeadlineOverview,
       "read_deadline_overview",
       {"bestuur", "manager", "adviseur", "auditor"}},
      // Signing out changes nothing but the caller's own session.
      {Action::kEndOwnSession,
       "end_own_session",
       {"bestuur", "manager", "adviseur", "auditor", "beheerder"}},
      {Action::kManageUsers, "manage_users", {"beheerder"}},
  };
  return kTable;
}

bool Allows(const std::string& role, Action action) {
  const auto& rule = PolicyTable()[static_cast<std::size_t>(action)];
  return std::find(rule.roles.begin(), rule.roles.end(), role) != rule.roles.end();
}

const char* ActionName(Action action) {
  return PolicyTable()[static_cast<std::size_t>(action)].name;
}

}  // namespace navolg::http
