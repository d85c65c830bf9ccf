// Signed checkpoints as an operator and an auditor meet them: the real `navolg serve` makes
// its signing key at first start (mode 0600, beside the database), keeps it across restarts,
// publishes the public key, and ends every export with a checkpoint that `navolg audit verify
// --key` accepts; keeps each checkpoint it signs, lists them for auditors, and refuses to
// sign a chain rewritten since.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/http/served_organisation.h"
#include "tests/rewrite_chain.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using namespace navolg::testing;
using nlohmann::json;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class CheckpointHttpTest : public ServedOrganisationTest {
 protected:
  CheckpointHttpTest() : ServedOrganisationTest("checkpoint") {}

  HttpResult Get(const std::string& target, const std::string& token,
                 const std::string& headers = "") {
    return Send("GET", target, token, "", headers);
  }

  // Starts navolg serve and reads the line after its banner, which names the key.
  std::string Start() {
    server_ = StartServe(Navolg(), db_);
    EXPECT_NE(server_.port, 0) << server_.banner;
    std::string line;
    char c;
    while (::read(server_.output, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }
};

TEST_F(CheckpointHttpTest, ExportsVerifyWithThePublishedKeyWhichSurvivesARestart) {
  const fs::path key_file = dir_ / "navolg-signing.key";
  const std::string announced = Start();
  ASSERT_NE(server_.port, 0);
  EXPECT_NE(announced.find("Exports worden ondertekend met " + key_file.string()),
            std::string::npos)
      << announced;
  EXPECT_NE(announced.find("nieuw aangemaakt"), std::string::npos) << announced;
  struct stat info {};
  ASSERT_EQ(::stat(key_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string key_bytes = ReadAll(key_file);

  HttpResult created;
  {
    HttpConnection connection(server_.port);
    created = connection.Request("POST", "/api/v1/processes",
                                 "Authorization: Bearer " + adviseur_ + "\r\n",
                                 R"({"workflow":"standaard-participatie","title":"Marktplein"})");
  }
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json::parse(created.body).value("id", "");

  HttpResult published = Get("/api/v1/audit/public-key", auditor_);
  ASSERT_EQ(published.status, 200) << published.body;
  const json key = json::parse(published.body);
  EXPECT_EQ(key["algorithm"], "Ed25519");
  EXPECT_NE(announced.find(key["key_id"].get<std::string>()), std::string::npos) << announced;
  // The auditor needs no account for the key: fetched without signing in, as a PEM file.
  HttpResult pem =
      HttpConnection(server_.port)
          .Request("GET", "/api/v1/audit/public-key", "Accept: application/x-pem-file\r\n");
  ASSERT_EQ(pem.status, 200);
  EXPECT_EQ(pem.Header("content-type"), "application/x-pem-file");
  EXPECT_EQ(pem.body, key["public_key_pem"]);
  std::ofstream(dir_ / "navolg.pub", std::ios::binary) << pem.body;

  HttpResult exported = Get("/api/v1/processes/" + id + "/events.jsonl", auditor_);
  ASSERT_EQ(exported.status, 200);
  const fs::path trail = dir_ / "trail.jsonl";
  std::ofstream(trail, std::ios::binary) << exported.body;
  const std::string verify =
      Navolg() + " audit verify " + trail.string() + " --key " + (dir_ / "navolg.pub").string();
  const std::string verified = Shell(verify + "; echo exit=$?");
  EXPECT_NE(verified.find(": intact: 1 gebeurtenissen van proces " + id), std::string::npos)
      << verified;
  EXPECT_NE(verified.find("handtekening geldig"), std::string::npos) << verified;
  EXPECT_NE(verified.find("exit=0"), std::string::npos) << verified;

  // After a restart the same key signs: the auditor's copy still fits.
  const int status = server_.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  const std::string announced_again = Start();
  ASSERT_NE(server_.port, 0);
  EXPECT_EQ(announced_again.find("nieuw aangemaakt"), std::string::npos) << announced_again;
  EXPECT_EQ(ReadAll(key_file), key_bytes);
  ASSERT_EQ(::stat(key_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  HttpResult republished = Get("/api/v1/audit/public-key", auditor_);
  ASSERT_EQ(republished.status, 200);
  EXPECT_EQ(json::parse(republished.body), key);
  HttpResult reexported = Get("/api/v1/processes/" + id + "/events.jsonl", auditor_);
  ASSERT_EQ(reexported.status, 200);
  std::ofstream(trail, std::ios::binary | std::ios::trunc) << reexported.body;
  const std::string reverified = Shell(verify + "; echo exit=$?");
  EXPECT_NE(reverified.find("exit=0"), std::string::npos) << reverified;
}

TEST_F(CheckpointHttpTest, CheckpointsAreKeptListedAndARewrittenChainIsRefused) {
  Start();
  ASSERT_NE(server_.port, 0);
  std::string id;
  {
    HttpConnection connection(server_.port);
    HttpResult created = connection.Request(
        "POST", "/api/v1/processes", "Authorization: Bearer " + adviseur_ + "\r\n",
        R"({"workflow":"standaard-participatie","title":"Marktplein"})");
    ASSERT_EQ(created.status, 201) << created.body;
    id = json::parse(created.body).value("id", "");
  }
  {
    HttpConnection connection(server_.port);
    HttpResult saved =
        connection.Request("PUT", "/api/v1/processes/" + id + "/products/kadernotitie",
                           "Authorization: Bearer " + adviseur_ + "\r\nIf-Match: \"1\"\r\n",
                           R"({"onderwerp":"Markt"})");
    ASSERT_EQ(saved.status, 200) << saved.body;
  }
  const std::string base = "/api/v1/processes/" + id;
  EXPECT_EQ(json::parse(Get(base + "/checkpoints", auditor_).body), json::array());

  HttpResult first = Get(base + "/events.jsonl", auditor_);
  ASSERT_EQ(first.status, 200);
  const std::string checkpoint_line = first.body.substr(first.body.rfind("{\"algorithm\""));
  // Asked again: the checkpoint kept the first time, not a new one.
  EXPECT_EQ(Get(base + "/events.jsonl", adviseur_).body, first.body);
  HttpResult listed = Get(base + "/checkpoints", auditor_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(json::parse(listed.body).size(), 1u);
  EXPECT_EQ(json::parse(listed.body)[0], json::parse(checkpoint_line));
  EXPECT_EQ(Get(base + "/checkpoints", adviseur_).status, 403);

  RewriteStoredChain(db_, id);
  ASSERT_FALSE(HasFailure());
  HttpResult refused = Get(base + "/events.jsonl", auditor_);
  EXPECT_EQ(refused.status, 409) << refused.body;
  const std::string detail = json::parse(refused.body).value("detail", "");
  EXPECT_NE(detail.find("is herschreven"), std::string::npos) << detail;
  EXPECT_NE(detail.find("bij volgnummer 2"), std::string::npos) << detail;
  // Nothing new was signed.
  EXPECT_EQ(json::parse(Get(base + "/checkpoints", auditor_).body).size(), 1u);

  // The auditor's older checkpoint shows the rewrite in the stored chain as well.
  std::ofstream(dir_ / "oud.json", std::ios::binary) << checkpoint_line;
  const std::string exported = Shell(Navolg() + " audit export --db '" + db_ + "' --process " + id +
                                     " --out " + (dir_ / "nu.jsonl").string() + " 2>&1");
  EXPECT_NE(exported.find("is herschreven"), std::string::npos) << exported;
  const std::string since = Shell(Navolg() + " audit verify " + (dir_ / "nu.jsonl").string() +
                                  " --since " + (dir_ / "oud.json").string() + "; echo exit=$?");
  EXPECT_NE(since.find("NIET INTACT sinds"), std::string::npos) << since;
  EXPECT_NE(since.find("exit=1"), std::string::npos) << since;
}

TEST_F(CheckpointHttpTest, ServeRefusesAKeyOthersCanRead) {
  const fs::path key_file = dir_ / "navolg-signing.key";
  Start();
  ASSERT_NE(server_.port, 0);
  server_.Stop(SIGTERM);
  ASSERT_EQ(::chmod(key_file.c_str(), 0640), 0);
  const std::string output = Shell(Navolg() + " serve --db '" + db_ +
                                   "' --listen 127.0.0.1:0 --log off 2>&1; echo exit=$?");
  EXPECT_NE(output.find("ondertekensleutel '" + key_file.string() +
                        "': anderen dan de eigenaar hebben toegang (rechten 0640)"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("exit=1"), std::string::npos) << output;
  EXPECT_EQ(output.find("navolg luistert"), std::string::npos) << output;
}

}  // namespace
}  // namespace navolg
