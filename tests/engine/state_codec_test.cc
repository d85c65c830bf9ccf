// The stored form of a process state (engine/state_codec.h): every member survives the trip
// except the products' texts, which storage keeps elsewhere.
#include "engine/state_codec.h"

#include <gtest/gtest.h>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;

// The state with the current texts taken out, as DecodeState gives it.
ProcessState WithoutTexts(ProcessState state) {
  for (auto& [key, instances] : state.products) {
    for (ProductInstance& instance : instances) instance.current.content = nullptr;
  }
  return state;
}

void ExpectRoundTrip(const ProcessState& state) {
  const nlohmann::json encoded = EncodeState(state);
  EXPECT_EQ(encoded.dump().find("Herinrichting Marktplein"), std::string::npos)
      << "product texts stay out of the snapshot";
  auto decoded = DecodeState(nlohmann::json::parse(encoded.dump()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(EncodeState(*decoded), encoded);
  const ProcessState expected = WithoutTexts(state);
  EXPECT_EQ(decoded->id, expected.id);
  EXPECT_EQ(decoded->state, expected.state);
  EXPECT_EQ(decoded->version, expected.version);
  EXPECT_EQ(decoded->head_hash, expected.head_hash);
  EXPECT_EQ(decoded->closed_at, expected.closed_at);
  EXPECT_EQ(decoded->transitions.size(), expected.transitions.size());
  EXPECT_EQ(decoded->deadlines.size(), expected.deadlines.size());
  EXPECT_EQ(decoded->generated_id_counters, expected.generated_id_counters);
  for (const auto& [key, instances] : expected.products) {
    ASSERT_EQ(decoded->Instances(key).size(), instances.size()) << key;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      const ProductInstance& got = decoded->Instances(key)[i];
      EXPECT_EQ(got.current.hash, instances[i].current.hash);
      EXPECT_EQ(got.current.saved_by, instances[i].current.saved_by);
      EXPECT_EQ(got.current.saved_at, instances[i].current.saved_at);
      EXPECT_EQ(got.current.content, nullptr);
      EXPECT_EQ(got.adopted_hash, instances[i].adopted_hash);
      EXPECT_EQ(got.adoptions.size(), instances[i].adoptions.size());
      EXPECT_EQ(got.first_seq, instances[i].first_seq);
    }
  }
}

TEST(StateCodecTest, EveryStateOfTheStandardWalkSurvivesTheTrip) {
  for (const char* state : {"kaders", "gesprek", "duiden", "afgerond", "gestopt"}) {
    SCOPED_TRACE(state);
    ExpectRoundTrip(WalkTo(Standard(), state).state());
  }
  ExpectRoundTrip(WalkTo(Beleid(), "ingetrokken").state());
  ExpectRoundTrip(ProcessState{});
}

TEST(StateCodecTest, AnythingElseIsRefusedAsDamage) {
  const nlohmann::json good = EncodeState(WalkTo(Standard(), "gesprek").state());
  for (const char* member : {"v", "id", "products", "deadlines", "transitions", "head_hash"}) {
    nlohmann::json bad = good;
    bad.erase(member);
    auto decoded = DecodeState(bad);
    ASSERT_FALSE(decoded.ok()) << member;
    EXPECT_EQ(decoded.status().code(), Code::kDataLoss);
  }
  nlohmann::json future = good;
  future["v"] = kStateCodecVersion + 1;
  EXPECT_FALSE(DecodeState(future).ok());
  nlohmann::json bad_time = good;
  bad_time["created_at"] = "gisteren";
  EXPECT_FALSE(DecodeState(bad_time).ok());
  EXPECT_FALSE(DecodeState(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace navolg
