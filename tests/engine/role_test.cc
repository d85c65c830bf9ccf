// The one list of roles, as a table, and the workflow schema's list of process roles held
// against it.
#include "engine/role.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

struct RoleRow {
  Role role;
  const char* name;
  const char* title;
  bool user;
  bool acts_in_processes;
  bool starts_processes;
};

// domain.md's roles, and navolg itself for the deadline watcher.
const RoleRow kRows[] = {
    {Role::kBestuur, "bestuur", "Bestuur", true, true, false},
    {Role::kManager, "manager", "Manager", true, true, true},
    {Role::kAdviseur, "adviseur", "Adviseur", true, true, true},
    {Role::kAuditor, "auditor", "Auditor", true, false, false},
    {Role::kBeheerder, "beheerder", "Beheerder", true, false, false},
    {Role::kSystem, "system", "navolg", false, false, false},
};

TEST(RoleTest, EveryRoleAsTheTableSays) {
  for (const RoleRow& row : kRows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(RoleName(row.role), row.name);
    EXPECT_EQ(RoleTitle(row.role), row.title);
    EXPECT_EQ(ParseRole(row.name), row.role);
    EXPECT_EQ(IsUserRole(row.role), row.user);
    EXPECT_EQ(ActsInProcesses(row.role), row.acts_in_processes);
    EXPECT_EQ(StartsProcesses(row.role), row.starts_processes);
  }
  EXPECT_EQ(UserRoles(), (std::vector<Role>{Role::kBestuur, Role::kManager, Role::kAdviseur,
                                            Role::kAuditor, Role::kBeheerder}));
}

TEST(RoleTest, OnlyExactNamesParse) {
  for (const char* name :
       {"", "Bestuur", "BESTUUR", " bestuur", "bestuur ", "wethouder", "navolg", "systeem"}) {
    EXPECT_EQ(ParseRole(name), std::nullopt) << "'" << name << "'";
  }
}

TEST(RoleTest, JoinedNamesReadAsDutch) {
  EXPECT_EQ(JoinRoleNames({}), "");
  EXPECT_EQ(JoinRoleNames({Role::kBeheerder}), "beheerder");
  EXPECT_EQ(JoinRoleNames(RolesWhere(&StartsProcesses)), "manager en adviseur");
  EXPECT_EQ(JoinRoleNames(UserRoles(), " of "), "bestuur, manager, adviseur, auditor of beheerder");
  EXPECT_EQ(JoinRoleNames(RolesWhere(&ActsInProcesses), ", "), "bestuur, manager, adviseur");
}

// workflows/schema.json restates the process roles for editors and JSON Schema tools; it
// must name exactly these, in the same order, wherever a definition names a role.
TEST(RoleTest, WorkflowSchemaNamesTheProcessRoles) {
  const nlohmann::json schema =
      nlohmann::json::parse(testing::ReadRepoFile("workflows/schema.json"));
  nlohmann::json expected = nlohmann::json::array();
  for (Role role : RolesWhere(&ActsInProcesses)) expected.push_back(RoleName(role));
  EXPECT_EQ(schema["$defs"]["role"]["enum"], expected);
  EXPECT_EQ(BorgingshuisRoles(), expected.get<std::vector<std::string>>());
  // Every other place in the schema that takes a role refers to $defs/role.
  std::size_t enums_with_a_role = 0;
  const std::function<void(const nlohmann::json&)> visit = [&](const nlohmann::json& value) {
    if (value.is_object() && value.contains("enum") && value["enum"].is_array()) {
      for (const auto& option : value["enum"]) {
        if (option.is_string() && ParseRole(option.get<std::string>())) {
          ++enums_with_a_role;
          break;
        }
      }
    }
    if (value.is_structured()) {
      for (const auto& child : value) visit(child);
    }
  };
  visit(schema);
  EXPECT_EQ(enums_with_a_role, 1u) << "a role list besides $defs/role";
}

}  // namespace
}  // namespace navolg
