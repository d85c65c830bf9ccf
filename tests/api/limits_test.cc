// The bounds on what a client may send (issue 13, items 6 and 9): texts within their
// max_length in characters, titles that are one visible line, motivations of bounded length,
// and instance numbers that exist. Each refusal is a problem that names what is wrong, and
// changes nothing. Straight to App and through a real server.
#include "tests/api/app_fixture.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

std::string Repeat(const std::string& piece, std::int64_t times) {
  std::string text;
  for (std::int64_t i = 0; i < times; ++i) text += piece;
  return text;
}

class LimitsTest : public AppFixture, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    over_http_ = GetParam();
    AppFixture::SetUp();
    id_ = NewProcess();
    base_ = "/api/v1/processes/" + id_;
  }

  // Expects a problem with `status` whose first "missing" entry has `code` and `field`, and
  // the process still at `version`.
  void ExpectRefused(const http::Response& response, int status, const std::string& code,
                     const std::string& field, std::int64_t version = 1) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json");
    const json body = Body(response);
    ASSERT_TRUE(body.contains("missing")) << response.body;
    EXPECT_EQ(body["missing"][0]["code"], code) << response.body;
    EXPECT_EQ(body["missing"][0]["field"], field) << response.body;
    EXPECT_EQ(VersionOf(id_), version);
  }

  http::Response Create(const std::string& title) {
    return Send("POST", "/api/v1/processes", Token("adviseur"),
                json{{"workflow", "standaard-participatie"}, {"title", title}}.dump());
  }

  std::int64_t ProcessCount() {
    return static_cast<std::int64_t>(
        Body(Get("adviseur", "/api/v1/processes?limit=200"))["items"].size());
  }

  std::string id_;
  std::string base_;
};

TEST_P(LimitsTest, ATextOverItsMaxLengthIs422WithFieldLimitAndLength) {
  json content = CompleteKadernotitie();
  content["onderwerp"] = Repeat("é", 201);  // 402 bytes
  http::Response response =
      Command("PUT", "adviseur", base_ + "/products/kadernotitie", content, 1);
  ExpectRefused(response, 422, "te_lang", "onderwerp");
  EXPECT_EQ(Body(response)["missing"][0]["product"], "kadernotitie");
  EXPECT_EQ(Body(response)["missing"][0]["detail"],
            "'Onderwerp' is te lang: 201 tekens, hoogstens 200.");

  content["aanleiding"] = Repeat("€", 20'001);
  content["onderwerp"] = "Marktplein";
  ExpectRefused(Command("PUT", "adviseur", base_ + "/products/kadernotitie", content, 1), 422,
                "te_lang", "aanleiding");

  // Exactly at the limit, in characters: saved, however many bytes that takes.
  content["onderwerp"] = Repeat("é", 200);
  content["aanleiding"] = Repeat("€", 20'000);
  EXPECT_EQ(Command("PUT", "adviseur", base_ + "/products/kadernotitie", content, 1).status, 200);
}

TEST_P(LimitsTest, TitlesCountCharacters) {
  const std::int64_t before = ProcessCount();
  http::Response too_long = Create(Repeat("é", 201));
  EXPECT_EQ(too_long.status, 422) << too_long.body;
  EXPECT_EQ(Body(too_long)["missing"][0]["field"], "title");
  EXPECT_EQ(Body(too_long)["detail"], "De titel is te lang: 201 tekens, hoogstens 200.");
  EXPECT_EQ(ProcessCount(), before);

  http::Response fits = Create(Repeat("é", 200));
  ASSERT_EQ(fits.status, 201) << fits.body;
  EXPECT_EQ(Body(fits)["title"], Repeat("é", 200));
}

TEST_P(LimitsTest, TitlesAreOneVisibleLine) {
  const std::int64_t before = ProcessCount();
  const std::string refused[] = {
      std::string("Markt\0plein", 11),
      "Markt\nplein",
      "Marktplein\r",
      "Markt\tplein",
      "Markt\xE2\x80\xA8plein",             // U+2028, line separator
      "\xE2\x80\x8B",                       // U+200B only
      "\xEF\xBB\xBF",                       // U+FEFF only
      "\xE2\x80\x8B\xEF\xBB\xBF \xC2\xA0",  // invisible characters and spaces
      "",
  };
  for (const std::string& title : refused) {
    http::Response response = Create(title);
    EXPECT_EQ(response.status, 422) << json(title).dump() << ": " << response.body;
    EXPECT_EQ(Body(response)["missing"][0]["code"], "titel_ongeldig") << json(title).dump();
    EXPECT_EQ(Body(response)["missing"][0]["field"], "title");
  }
  EXPECT_EQ(ProcessCount(), before);
  EXPECT_EQ(Create("Markt\xE2\x80\x8Bplein").status, 201);  // visible text around it is fine
}

TEST_P(LimitsTest, AMotivationIsBounded) {
  ASSERT_EQ(
      Command("PUT", "manager", base_ + "/products/stopbericht", CompleteStopbericht(), 1).status,
      200);
  http::Response response = Command("POST", "manager", base_ + "/transitions/stoppen",
                                    json{{"motivatie", Repeat("m", 20'001)}}, 2);
  ExpectRefused(response, 422, "te_lang", "motivatie", 2);
  EXPECT_EQ(Body(response)["detail"], "De motivering is te lang: 20001 tekens, hoogstens 20000.");
  http::Response taken = Command("POST", "manager", base_ + "/transitions/stoppen",
                                 json{{"motivatie", Repeat("m", 20'000)}}, 2);
  EXPECT_EQ(taken.status, 200) << taken.body;
}

TEST_P(LimitsTest, InstanceNumbersMustExist) {
  // A product with one instance has no number 1: refused, not saved as its one instance.
  ExpectRefused(
      Command("PUT", "adviseur", base_ + "/products/kadernotitie/1", CompleteKadernotitie(), 1),
      404, "exemplaar_onbekend", "");
  ASSERT_EQ(Command("PUT", "adviseur", base_ + "/products/kadernotitie", CompleteKadernotitie(), 1)
                .status,
            200);
  // Adoption: a number on a product without numbers is refused, whatever the number.
  for (const json& body : {json{{"product", "kadernotitie"}, {"instance", -1}},
                           json{{"product", "kadernotitie"}, {"instance", 1}},
                           json{{"product", "kadernotitie"}, {"instance", 0}},
                           json{{"product", "kadernotitie"}, {"instance", 0x7fffffff}}}) {
    ExpectRefused(Command("POST", "bestuur", base_ + "/adoptions", body, 2), 422,
                  "exemplaar_ongeldig", "instance", 2);
  }
  EXPECT_EQ(
      Command("POST", "bestuur", base_ + "/adoptions", json{{"product", "kadernotitie"}}, 2).status,
      200);
}

INSTANTIATE_TEST_SUITE_P(AppAndServer, LimitsTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "OverHttp" : "DirectToApp";
                         });

}  // namespace
}  // namespace navolg::testing
