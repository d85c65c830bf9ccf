#include "engine/status.h"

#include <gtest/gtest.h>

#include <string>

namespace navolg {
namespace {

struct Named {
  std::string name;
};

TEST(ResultTest, HoldsAValueOrAnError) {
  Result<Named> value(Named{"Bert"});
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->name, "Bert");
  EXPECT_EQ((*value).name, "Bert");
  EXPECT_TRUE(value.status().ok());

  Result<Named> error(Status(Code::kNotFound, "weg"));
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), Code::kNotFound);
  EXPECT_EQ(error.status().message(), "weg");
}

// Reading the value of a Result that holds an error is a bug the debug build stops at once,
// rather than reading an empty optional.
TEST(ResultDeathTest, ReachingForAMissingValueAsserts) {
#ifdef NDEBUG
  GTEST_SKIP() << "assertions are compiled out of this build";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Result<Named> error(Status(Code::kInternal, "stuk"));
  const Result<Named>& read_only = error;
  EXPECT_DEATH((void)*error, "the value of a Result that holds an error");
  EXPECT_DEATH((void)error->name, "the value of a Result that holds an error");
  EXPECT_DEATH((void)*read_only, "the value of a Result that holds an error");
  EXPECT_DEATH((void)read_only->name, "the value of a Result that holds an error");
  EXPECT_DEATH((void)error.value(), "the value of a Result that holds an error");
  EXPECT_DEATH((void)std::move(error).value(), "the value of a Result that holds an error");
#endif
}

}  // namespace
}  // namespace navolg
