// The authorisation policy: ONE table of role x action. Every authenticated route names its
// action, and App checks the table before the handler does anything else (before reading
// the body, If-Match or the database). An allowed command may still be refused by the
// workflow definition's own rules (who edits a product, who takes a step), which the engine
// enforces; this table only says who may try. Where a rule limits a role to the processes
// assigned to it (the adviseur: the assignee and managers act on a process, other adviseurs
// read it), the write path checks that on the state the command is decided on.
//
// Immutable data; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/assignee.h"
#include "engine/role.h"

namespace navolg::http {

enum class Action {
  kReadOwnUser,           // GET /api/v1/me
  kReadWorkflows,         // GET /api/v1/workflows, /api/v1/workflows/{key}
  kCreateProcess,         // POST /api/v1/processes
  kReadProcesses,         // GET the process list and a process view
  kReadTrail,             // GET a process's events, its JSON Lines export and its report
  kSaveProducts,          // PUT a product
  kAdoptProducts,         // POST an adoption
  kTakeTransitions,       // POST a transition
  kReadBorgingshuis,      // GET the organisation's Borgingshuis view
  kReadDeadlineOverview,  // GET /api/v1/deadlines (an adviseur sees its own processes only)
  kEndOwnSession,         // DELETE /api/v1/session: sign out
  kManageUsers,           // the /api/v1/users routes: list, create, reset passwords, tokens
  kReadCheckpoints,       // GET the checkpoints navolg has signed for a process
  kDeactivateUsers,       // POST /api/v1/users/{id}/deactivate and /activate
  kReadSecurityLog,       // GET /api/v1/security-log
  kManageProcesses,       // POST a hand-over or a reminder (the manager)
  kReadColleagues,        // GET /api/v1/colleagues: the organisation's people by name
};

struct PolicyRule {
  Action action;
  const char* name;         // stable, for tests, messages and GET /api/v1/me: "read_processes"
  std::vector<Role> roles;  // the roles that may; every other role may not
  // Those of `roles` that may act only on a process assigned to them, or assigned to nobody
  // yet (Reach::kAssignedProcess, engine/assignee.h); the others reach every process.
  std::vector<Role> assignee_only = {};
};

// One rule per Action, in enum order.
const std::vector<PolicyRule>& PolicyTable();

// Whether the role called `role` may perform `action`. An unknown role, and navolg's own
// kSystem, may do nothing.
bool Allows(const std::string& role, Action action);

const char* ActionName(Action action);

// How far `action` reaches for the role called `role`: kAssignedProcess for a role in the
// rule's assignee_only, else kAnyProcess. Meaningful only where Allows is true.
Reach ReachOf(const std::string& role, Action action);

// The actions that change a process (save, adopt, take a step): what "may act" means.
const std::vector<Action>& ProcessChangingActions();

// The names of the actions the role called `role` may perform, in enum order; what the web
// interface shows and offers follows from it (GET /api/v1/me, "actions").
std::vector<std::string> AllowedActionNames(const std::string& role);

}  // namespace navolg::http
