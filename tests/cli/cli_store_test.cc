// navolg org add, user add and audit export against a real database file, run as a user
// would; the export is then checked with navolg audit verify.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "engine/sha256.h"
#include "storage/group_committer.h"
#include "tests/cli/cli_runner.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;

class CliStoreTest : public CliTest {
 protected:
  std::string Db() const { return File("navolg.db").string(); }
};

TEST_F(CliStoreTest, UserAddPrintsATokenOnceAndStoresOnlyItsHash) {
  RunResult org = Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  RunResult user = Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "adviseur",
                           "Anna de Vries"});
  ASSERT_EQ(user.exit_code, 0) << user.err;
  const std::vector<std::string> lines = Lines(user.out);
  ASSERT_FALSE(lines.empty());
  const std::string token = lines.back();
  ASSERT_EQ(token.rfind("navolg_", 0), 0u) << token;
  EXPECT_EQ(token.size(), 7u + 64u);

  SQLite::Database db(Db());
  SQLite::Statement stored(db, "SELECT hash FROM tokens");
  ASSERT_TRUE(stored.executeStep());
  EXPECT_EQ(stored.getColumn(0).getString(), Sha256Hex(token));
  // The token itself is nowhere in the file.
  std::ifstream file(Db(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(token.substr(7)), std::string::npos);

  // A second user gets a different token.
  RunResult other = Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role",
                            "bestuur", "Bert"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(Lines(other.out).back(), token);
}

TEST_F(CliStoreTest, BadInputIsRefusedClearly) {
  ASSERT_EQ(Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"}).exit_code, 0);
  RunResult duplicate = Navolg({"org", "add", "--db", Db(), "utrecht", "Nog eens"});
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_TRUE(Contains(duplicate.err, "bestaat al")) << duplicate.err;
  RunResult slug = Navolg({"org", "add", "--db", Db(), "Utrecht!", "Gemeente"});
  EXPECT_EQ(slug.exit_code, 1);
  EXPECT_TRUE(Contains(slug.err, "geen geldige korte naam")) << slug.err;
  RunResult role = Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "koning",
                           "Willem"});
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_TRUE(Contains(role.err, "Onbekende rol 'koning'")) << role.err;
  RunResult org = Navolg({"user", "add", "--db", Db(), "--org", "amsterdam", "--role",
                          "adviseur", "Anna"});
  EXPECT_EQ(org.exit_code, 1);
  EXPECT_TRUE(Contains(org.err, "Organisatie 'amsterdam' bestaat niet")) << org.err;
  EXPECT_EQ(Navolg({"user", "add", "--db", Db(), "Anna"}).exit_code, 2);
  EXPECT_EQ(Navolg({"org", "add", "--db", Db(), "alleen-slug"}).exit_code, 2);
  EXPECT_EQ(Navolg({"org", "add", "--wat", "x", "a", "b"}).exit_code, 2);

  // A file that is not a database is refused and left as it was.
  WriteAll(File("notes.txt"), "boodschappen: brood, kaas\n");
  RunResult not_db = Navolg({"org", "add", "--db", File("notes.txt").string(), "a", "A"});
  EXPECT_EQ(not_db.exit_code, 1);
  EXPECT_TRUE(Contains(not_db.err, "geen SQLite-database")) << not_db.err;
  EXPECT_EQ(ReadAll(File("notes.txt")), "boodschappen: brood, kaas\n");
}

TEST_F(CliStoreTest, ExportedTrailVerifies) {
  ASSERT_EQ(Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"}).exit_code, 0);
  // Run a few commands through the store as navolg serve would.
  std::string process_id;
  {
    auto db = storage::OpenForWriting({Db()});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(storage::RegisterWorkflow(**db, LoadWorkflow("standaard-participatie"),
                                          At("2026-01-01T00:00:00.000Z")).ok());
    auto committer = storage::GroupCommitter::Start({Db()}, {});
    ASSERT_TRUE(committer.ok()) << committer.status().message();
    process_id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z"));
    auto submit = [&](Command command, Actor actor) {
      storage::CommandRequest request;
      request.organisation_id = 1;
      request.process_id = process_id;
      request.workflow_key = "standaard-participatie";
      request.command = std::move(command);
      request.actor = std::move(actor);
      request.at = At("2026-03-02T09:00:00.000Z");
      EXPECT_TRUE((*committer)->Submit(std::move(request)).committed());
    };
    submit(CreateProcess{process_id, "Marktplein"}, Adviseur());
    submit(SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur());
    submit(AdoptProduct{"kadernotitie", 0, ""}, Bestuur());
  }
  RunResult to_stdout = Navolg({"audit", "export", "--db", Db(), "--process", process_id});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_EQ(Lines(to_stdout.out).size(), 3u);

  const std::string file = File("trail.jsonl").string();
  RunResult exported =
      Navolg({"audit", "export", "--db", Db(), "--process", process_id, "--out", file});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(ReadAll(file), to_stdout.out);
  RunResult verified = Navolg({"audit", "verify", file});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_TRUE(Contains(verified.out, "intact: 3 gebeurtenissen")) << verified.out;

  RunResult unknown = Navolg({"audit", "export", "--db", Db(), "--process", "p-bestaat-niet"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(Contains(unknown.err, "bestaat niet")) << unknown.err;
  EXPECT_EQ(Navolg({"audit", "export", "--db", Db()}).exit_code, 2);
}

}  // namespace
}  // namespace navolg
