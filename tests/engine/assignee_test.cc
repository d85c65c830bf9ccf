// The assignee of a process: the current value of the field the definition names.
#include "engine/assignee.h"

#include <gtest/gtest.h>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;

TEST(AssigneeTest, IsTheCurrentValueOfTheNamedField) {
  ProcessDriver driver(Standard());
  driver.Do(CreateProcess{"p-1", "Marktplein"}, Adviseur(), At("2026-03-01T09:00:00.000Z"));
  EXPECT_EQ(CurrentAssignee(Standard(), driver.state()), std::nullopt);

  // A draft without the field assigns nobody yet.
  driver.Do(SaveProduct{"capaciteit", 0, {{"uren", 10}}}, Manager(), driver.Later());
  EXPECT_EQ(CurrentAssignee(Standard(), driver.state()), std::nullopt);

  driver.Do(SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), driver.Later());
  EXPECT_EQ(CurrentAssignee(Standard(), driver.state()), "u-adviseur");

  nlohmann::json reassigned = CompleteCapaciteit();
  reassigned["adviseur"] = "u-andere-adviseur";
  driver.Do(SaveProduct{"capaciteit", 0, reassigned}, Manager(), driver.Later());
  EXPECT_EQ(CurrentAssignee(Standard(), driver.state()), "u-andere-adviseur");

  reassigned["adviseur"] = "   ";
  driver.Do(SaveProduct{"capaciteit", 0, reassigned}, Manager(), driver.Later());
  EXPECT_EQ(CurrentAssignee(Standard(), driver.state()), std::nullopt);
}

TEST(AssigneeTest, NobodyWhenTheDefinitionNamesNoAssignee) {
  ProcessDriver driver = WalkTo(Beleid(), "vastgesteld");
  EXPECT_EQ(CurrentAssignee(Beleid(), driver.state()), std::nullopt);
}

// In a repeating product, the latest instance with a value counts.
TEST(AssigneeTest, LatestInstanceWithAValueOfARepeatingProduct) {
  nlohmann::json document =
      nlohmann::json::parse(ReadRepoFile("workflows/standaard-participatie.json"));
  document["assignee"] = {{"product", "gespreksverslag"}, {"field", "vorm"}};
  ParsedDefinition parsed = ParseDefinition(document);
  // vorm is an enum, not a text field: refused.
  ASSERT_FALSE(parsed.definition.has_value());
  document["products"][3]["fields"].push_back(
      {{"key", "gespreksleider"}, {"label", "Gespreksleider"}, {"type", "text"}});
  document["assignee"] = {{"product", "gespreksverslag"}, {"field", "gespreksleider"}};
  parsed = ParseDefinition(document);
  ASSERT_TRUE(parsed.definition.has_value());
  const Definition& definition = *parsed.definition;

  ProcessState state = WalkTo(Standard(), "gesprek").state();
  // Build the instances by hand: instance 1 names a leader, instance 2 does not.
  ProductInstance first;
  first.current.content = {{"gespreksleider", "u-leider-1"}};
  ProductInstance second;
  second.current.content = {{"datum", "2026-03-10"}};
  state.products["gespreksverslag"] = {first, second};
  EXPECT_EQ(CurrentAssignee(definition, state), "u-leider-1");
  state.products["gespreksverslag"][1].current.content["gespreksleider"] = "u-leider-2";
  EXPECT_EQ(CurrentAssignee(definition, state), "u-leider-2");
}

}  // namespace
}  // namespace navolg
