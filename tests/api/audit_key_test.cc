// GET /api/v1/audit/public-key and the signed checkpoint that ends every export, on App.
#include <algorithm>
#include <sstream>

#include "engine/audit_chain.h"
#include "tests/api/app_fixture.h"
#include "tests/storage/raw_database.h"

namespace navolg::testing {
namespace {

using nlohmann::json;

class AuditKeyTest : public AppFixture {};

TEST_F(AuditKeyTest, PublicKeyAsJsonAndAsPem) {
  http::Response response = Get("auditor", "/api/v1/audit/public-key");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const json body = Body(response);
  EXPECT_EQ(body, (json{{"algorithm", "Ed25519"},
                        {"key_id", signing_key_.public_key().id()},
                        {"public_key_pem", signing_key_.public_key().pem()}}));
  EXPECT_EQ(body["public_key_pem"].get<std::string>().rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);

  http::Response pem = Send("GET", "/api/v1/audit/public-key", Token("beheerder"), "",
                            {{"Accept", "application/x-pem-file"}});
  ASSERT_EQ(pem.status, 200);
  EXPECT_EQ(pem.content_type, "application/x-pem-file");
  EXPECT_EQ(pem.body, signing_key_.public_key().pem());

  // An auditor without an account reaches it too: a public key reveals nothing.
  http::Response anonymous = Send("GET", "/api/v1/audit/public-key", "");
  ASSERT_EQ(anonymous.status, 200);
  EXPECT_EQ(Body(anonymous), body);
  EXPECT_EQ(
      Send("GET", "/api/v1/audit/public-key", "", "", {{"Accept", "application/x-pem-file"}}).body,
      signing_key_.public_key().pem());
}

TEST_F(AuditKeyTest, EveryExportEndsWithACheckpointSignedAtRequestTime) {
  const std::string id = NewProcess();
  now_ = At("2026-03-02T08:30:00.250Z");
  http::Response exported = Get("manager", "/api/v1/processes/" + id + "/events.jsonl");
  ASSERT_EQ(exported.status, 200);
  const std::string last_line =
      exported.body.substr(exported.body.rfind('\n', exported.body.size() - 2) + 1);
  const json checkpoint = json::parse(last_line);
  EXPECT_EQ(checkpoint["format"], "navolg-checkpoint/1");
  EXPECT_EQ(checkpoint["process_id"], id);
  EXPECT_EQ(checkpoint["seq"], 1);
  EXPECT_EQ(checkpoint["at"], "2026-03-02T08:30:00.250Z");
  EXPECT_EQ(checkpoint["key_id"], signing_key_.public_key().id());

  std::istringstream in(exported.body);
  const VerifyReport report = VerifyExport(in, signing_key_.public_key());
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_TRUE(report.signature_verified);
  EXPECT_EQ(report.events, 1);
}

TEST_F(AuditKeyTest, ABrokenStoredChainIsHandedOutUnsigned) {
  const std::string id = NewProcess();
  http::Response before = Get("auditor", "/api/v1/processes/" + id + "/events.jsonl");
  ASSERT_EQ(before.status, 200);
  // A second event that does not link to the first, appended behind navolg's back.
  Result<Event> first = EventFromJson(json::parse(before.body.substr(0, before.body.find('\n'))));
  ASSERT_TRUE(first.ok());
  Event forged = *first;
  forged.seq = 2;
  forged.prev = std::string(64, 'e');
  ASSERT_TRUE(SealEvent(forged).ok());
  {
    auto db_owned = RawWriter(path_);
    storage::sql::Database& db = *db_owned;
    storage::sql::Statement insert(db,
                                   "INSERT INTO events (process_id, seq, type, line) "
                                   "VALUES (?, 2, 'process.created', ?)");
    insert.bind(1, id);
    insert.bind(2, *ExportLine(forged));
    ASSERT_EQ(insert.exec(), 1);
  }
  http::Response exported = Get("auditor", "/api/v1/processes/" + id + "/events.jsonl");
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(std::count(exported.body.begin(), exported.body.end(), '\n'), 2);
  std::istringstream in(exported.body);
  const VerifyReport report = VerifyExport(in, signing_key_.public_key());
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.bad_line, 2);
  EXPECT_NE(report.reason.find("prev is niet de hash van regel 1"), std::string::npos)
      << report.reason;
}

TEST_F(AuditKeyTest, WithoutASignerExportsAreUnsignedAndThereIsNoKey) {
  const std::string id = NewProcess();
  http::App unsigned_app({committer_.get(), reads_.get(), [this] { return now_; }, &metrics_});
  http::Request request;
  request.method = "GET";
  request.headers["Authorization"] = "Bearer " + Token("auditor");
  request.target = "/api/v1/audit/public-key";
  EXPECT_EQ(unsigned_app.Handle(request).status, 404);
  request.target = "/api/v1/processes/" + id + "/events.jsonl";
  http::Response exported = unsigned_app.Handle(request);
  ASSERT_EQ(exported.status, 200);
  std::istringstream in(exported.body);
  const VerifyReport report = VerifyExport(in);
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_FALSE(report.checkpoint.has_value());
}

}  // namespace
}  // namespace navolg::testing
