// The navolg command line as a user meets it: each test runs the real binary in a child
// process and checks its exit code (0 fine, 1 problem found, 2 usage error) and what it
// prints (api.md, "Command line").
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/audit_chain.h"
#include "engine/sha256.h"
#include "tests/cli/cli_runner.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

namespace fs = std::filesystem;
using namespace navolg::testing;
using nlohmann::json;

// --- usage ------------------------------------------------------------------------------

TEST_F(CliTest, HelpListsTheCommands) {
  RunResult r = Navolg({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "navolg check FILE")) << r.out;
  EXPECT_TRUE(Contains(r.out, "navolg audit verify FILE")) << r.out;
}

TEST_F(CliTest, NoArgumentsIsAUsageError) {
  RunResult r = Navolg({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Contains(r.err, "gebruik")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, UnknownCommandIsAUsageError) {
  RunResult r = Navolg({"valideer", "workflows/participatiebeleid.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Contains(r.err, "onbekende opdracht 'valideer'")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, CheckHelp) {
  RunResult r = Navolg({"check", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "gebruik: navolg check FILE")) << r.out;
}

TEST_F(CliTest, CheckUsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"check"},
        std::vector<std::string>{"check", "--strict", "workflows/participatiebeleid.json"}}) {
    RunResult r = Navolg(args);
    EXPECT_EQ(r.exit_code, 2) << args.size();
    EXPECT_TRUE(Contains(r.err, "gebruik: navolg check")) << r.err;
  }
}

TEST_F(CliTest, AuditVerifyHelp) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"audit", "--help"},
        std::vector<std::string>{"audit", "verify", "--help"}}) {
    RunResult r = Navolg(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Contains(r.out, "gebruik: navolg audit verify FILE")) << r.out;
  }
}

TEST_F(CliTest, AuditUsageErrors) {
  WriteAll(File("a.jsonl"), "");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"audit"}, std::vector<std::string>{"audit", "controleer"},
        std::vector<std::string>{"audit", "verify"},
        std::vector<std::string>{"audit", "verify", File("a.jsonl"), File("a.jsonl")}}) {
    RunResult r = Navolg(args);
    EXPECT_EQ(r.exit_code, 2) << args.size();
    EXPECT_TRUE(Contains(r.err, "gebruik: navolg audit verify")) << r.err;
  }
}

// --- check --------------------------------------------------------------------------------

// What `navolg check workflows/*.json` does in a shell: every file of workflows/ in sorted
// order. schema.json lives there too and is skipped, not failed.
TEST_F(CliTest, CheckAcceptsEveryWorkflowFile) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(fs::path(NAVOLG_SOURCE_DIR) / "workflows")) {
    if (entry.path().extension() == ".json") {
      files.push_back("workflows/" + entry.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 2u);
  std::vector<std::string> args = {"check"};
  args.insert(args.end(), files.begin(), files.end());

  RunResult r = Navolg(args);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), files.size()) << r.out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (files[i] == "workflows/schema.json") {
      EXPECT_EQ(lines[i], files[i] + ": overgeslagen (JSON Schema, geen workflowdefinitie)");
    } else {
      EXPECT_EQ(lines[i].rfind(files[i] + ": geldig (", 0), 0u) << lines[i];
    }
  }
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "workflows/standaard-participatie.json: geldig (standaard-participatie "
                      "versie 3)"),
            lines.end())
      << r.out;
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "workflows/participatiebeleid.json: geldig (participatiebeleid versie 2)"),
            lines.end())
      << r.out;
}

TEST_F(CliTest, CheckNamesEachErrorWithFileAndPath) {
  json broken = json::parse(ReadRepoFile("workflows/standaard-participatie.json"));
  broken["transitions"][0]["roles"][1] = "wethouder";
  broken["deadlines"][1]["due"]["add"][0]["unit"] = "weeks";
  broken["products"][0]["adoption"]["role"] = "raad";
  const std::string file = File("kapot.json");
  WriteAll(file, broken.dump(2));

  RunResult r = Navolg({"check", file, "workflows/participatiebeleid.json"});
  EXPECT_EQ(r.exit_code, 1);
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  const std::vector<std::string> expected_starts = {
      file + ": /products/0/adoption/role: onbekende rol 'raad'",
      file + ": /transitions/0/roles/1: onbekende rol 'wethouder'",
      file + ": /deadlines/1/due/add/0/unit: moet \"days\" of \"months\" zijn",
  };
  for (const std::string& start : expected_starts) {
    bool found = false;
    for (std::size_t i = 0; i < 3; ++i) found = found || lines[i].rfind(start, 0) == 0;
    EXPECT_TRUE(found) << "no line starting with: " << start << "\ngot:\n" << r.out;
  }
  // The good file after it is still checked and reported.
  EXPECT_EQ(lines[3], "workflows/participatiebeleid.json: geldig (participatiebeleid versie 2)");
}

TEST_F(CliTest, CheckMissingFile) {
  const std::string file = File("bestaat-niet.json");
  RunResult r = Navolg({"check", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.out + r.err, file + ": kan het bestand niet lezen")) << r.out << r.err;
}

TEST_F(CliTest, CheckDirectoryIsNotAFile) {
  RunResult r = Navolg({"check", "workflows"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.out + r.err, "workflows: kan het bestand niet lezen")) << r.out << r.err;
}

TEST_F(CliTest, CheckInvalidJson) {
  const std::string file = File("half.json");
  WriteAll(file, "{\n  \"key\": \"half\",\n  \"version\": 1,\n");
  RunResult r = Navolg({"check", file});
  EXPECT_EQ(r.exit_code, 1);
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0].rfind(file + ": ", 0), 0u) << lines[0];
  EXPECT_TRUE(Contains(lines[0], "geen geldige JSON (regel 4")) << lines[0];
}

// --- audit verify ---------------------------------------------------------------------------

// A real trail: the standard process from creation to the first conversation report.
std::vector<Event> StandardTrail() {
  Definition d = LoadWorkflow("standaard-participatie");
  ProcessState state;
  std::vector<Event> trail;
  auto run = [&](const Command& command, const Actor& actor, const char* at) {
    Accepted accepted = ExpectAccepted(Execute(d, state, command, actor, At(at)));
    for (Event& e : accepted.events) trail.push_back(e);
    if (!accepted.events.empty()) state = std::move(accepted.state);
  };
  run(CreateProcess{"p-cli", "Marktplein"}, Adviseur(), "2026-03-01T09:00:00.000Z");
  run(SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
      "2026-03-02T09:00:00.000Z");
  run(AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), "2026-03-03T09:00:00.000Z");
  run(SaveProduct{"capaciteit", 0, CompleteCapaciteit()}, Manager(), "2026-03-03T10:00:00.000Z");
  run(TakeTransition{"naar_gesprek", std::nullopt}, Adviseur(), "2026-03-04T09:00:00.000Z");
  run(SaveProduct{"gespreksplan", 0, CompleteGespreksplan()}, Adviseur(),
      "2026-03-05T09:00:00.000Z");
  run(SaveProduct{"gespreksverslag", 1, CompleteGespreksverslag("2026-03-10")}, Adviseur(),
      "2026-03-11T09:00:00.000Z");
  return trail;
}

std::string Export(const std::vector<Event>& trail) {
  std::string text;
  for (const Event& e : trail) {
    Result<std::string> line = ExportLine(e);
    EXPECT_TRUE(line.ok()) << line.status().message();
    if (line.ok()) text += *line + "\n";
  }
  return text;
}

class AuditVerifyTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    trail_ = StandardTrail();
    ASSERT_GE(trail_.size(), 7u);
  }

  // Writes `text` to a file and verifies it; a broken trail must exit 1 and name `bad_line`.
  void ExpectBroken(const std::string& text, int bad_line, const std::string& reason_part) {
    const std::string file = File("trail.jsonl");
    WriteAll(file, text);
    RunResult r = Navolg({"audit", "verify", file});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(Contains(r.out, file + ": NIET INTACT: regel " + std::to_string(bad_line) + ": "))
        << r.out << r.err;
    EXPECT_TRUE(Contains(r.out, reason_part)) << r.out;
    EXPECT_FALSE(Contains(r.out, ": intact:")) << r.out;
  }

  std::vector<Event> trail_;
};

TEST_F(AuditVerifyTest, IntactExport) {
  const std::string file = File("trail.jsonl");
  WriteAll(file, Export(trail_));
  RunResult r = Navolg({"audit", "verify", file});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, file + ": intact: " + std::to_string(trail_.size()) +
                       " gebeurtenissen van proces p-cli, laatste hash " + trail_.back().hash +
                       "; zonder checkpoint, dus niet ondertekend\n");
}

TEST_F(AuditVerifyTest, ChangedFieldIsNamedByItsLine) {
  trail_[2].actor.user = "u-iemand-anders";  // hash left as it was
  ExpectBroken(Export(trail_), 3, "de hash klopt niet");
}

TEST_F(AuditVerifyTest, ChangedContentIsNamedByItsLine) {
  trail_[5].data["content"]["uitnodiging"] = "Kom NIET naar het buurthuis";
  ExpectBroken(Export(trail_), 6, "de hash klopt niet");
}

TEST_F(AuditVerifyTest, RemovedLineIsNamed) {
  trail_.erase(trail_.begin() + 3);
  ExpectBroken(Export(trail_), 4, "verwacht seq 4, gevonden seq 5");
}

TEST_F(AuditVerifyTest, SwappedLinesAreNamed) {
  std::swap(trail_[1], trail_[2]);
  ExpectBroken(Export(trail_), 2, "verwacht seq 2, gevonden seq 3");
}

TEST_F(AuditVerifyTest, TruncatedFileIsNamedByItsLastLine) {
  std::string text = Export(trail_);
  text.resize(text.size() - 20);
  ExpectBroken(text, static_cast<int>(trail_.size()), "afgebroken");
}

TEST_F(AuditVerifyTest, WrongPrevIsNamedEvenWithAMatchingHash) {
  // Resealed, so the line's own hash is right and only the chain link is wrong.
  trail_[3].prev = Sha256Hex("iets anders").value();
  ASSERT_TRUE(SealEvent(trail_[3]).ok());
  ExpectBroken(Export(trail_), 4, "prev is niet de hash van regel 3");
}

TEST_F(AuditVerifyTest, NonCanonicalLineIsNamed) {
  std::vector<std::string> lines = Lines(Export(trail_));
  lines[1].insert(1, " ");  // the same JSON value, but not the bytes that were hashed
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  ExpectBroken(text, 2, "canonieke vorm");
}

TEST_F(AuditVerifyTest, EmptyFileIsNotIntact) {
  const std::string file = File("leeg.jsonl");
  WriteAll(file, "");
  RunResult r = Navolg({"audit", "verify", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, file + ": NIET INTACT: het bestand bevat geen gebeurtenissen\n") << r.err;
}

TEST_F(AuditVerifyTest, MissingFile) {
  const std::string file = File("weg.jsonl");
  RunResult r = Navolg({"audit", "verify", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.out + r.err, file + ": kan het bestand niet lezen")) << r.out << r.err;
}

}  // namespace
}  // namespace navolg
