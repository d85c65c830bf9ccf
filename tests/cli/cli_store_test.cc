// navolg org add, user add and audit export against a real database file, run as a user
// would; the export is then checked with navolg audit verify.
#include <sys/stat.h>

#include "engine/audit_chain.h"
#include "engine/canonical_json.h"
#include "engine/ed25519.h"
#include "engine/sha256.h"
#include "storage/directory.h"
#include "storage/group_committer.h"
#include "storage/sql/sqlite.h"
#include "tests/cli/cli_runner.h"
#include "tests/engine/test_support.h"
#include "tests/rewrite_chain.h"

namespace navolg {
namespace {

using namespace navolg::testing;
using nlohmann::json;

class CliStoreTest : public CliTest {
 protected:
  std::string Db() const { return File("navolg.db").string(); }

  // Organisation utrecht with one standard process of three events, run through the store as
  // navolg serve would; returns the process id.
  std::string ProcessWithThreeEvents() {
    EXPECT_EQ(Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"}).exit_code, 0);
    auto db = storage::OpenConnection({Db()});
    EXPECT_TRUE(db.ok());
    EXPECT_TRUE(storage::RegisterWorkflow(**db, LoadWorkflow("standaard-participatie"),
                                          At("2026-01-01T00:00:00.000Z"))
                    .ok());
    auto committer = storage::GroupCommitter::Start({Db()}, {});
    EXPECT_TRUE(committer.ok()) << committer.status().message();
    const std::string process_id = storage::NewProcessId(At("2026-03-01T09:00:00.000Z")).value();
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
    return process_id;
  }
};

TEST_F(CliStoreTest, UserAddPrintsATokenOnceAndStoresOnlyItsHash) {
  RunResult org = Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"});
  ASSERT_EQ(org.exit_code, 0) << org.err;
  RunResult user = Navolg(
      {"user", "add", "--db", Db(), "--org", "utrecht", "--role", "adviseur", "Anna de Vries"});
  ASSERT_EQ(user.exit_code, 0) << user.err;
  const std::vector<std::string> lines = Lines(user.out);
  ASSERT_FALSE(lines.empty());
  const std::string token = lines.back();
  ASSERT_EQ(token.rfind("navolg_", 0), 0u) << token;
  EXPECT_EQ(token.size(), 7u + 64u);

  storage::sql::SqliteDatabase db(Db());
  storage::sql::Statement stored(db, "SELECT hash FROM tokens");
  ASSERT_TRUE(stored.executeStep());
  EXPECT_EQ(stored.getColumn(0).getString(), Sha256Hex(token).value());
  // The token itself is nowhere in the file.
  std::ifstream file(Db(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(token.substr(7)), std::string::npos);

  // A second user gets a different token.
  RunResult other =
      Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "bestuur", "Bert"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(Lines(other.out).back(), token);
}

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// The database holds every trail and password hash: a new one is its owner's alone, in a
// folder of its own; an existing looser one is left as it is, with the command to close it.
TEST_F(CliStoreTest, TheDatabaseIsCreatedForItsOwnerOnly) {
  const fs::path db = File("data") / "navolg" / "navolg.db";
  ::umask(022);  // the usual umask, which would give 0644 and 0755 (the child inherits it)
  RunResult added = Navolg({"org", "add", "--db", db.string(), "utrecht", "Gemeente Utrecht"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(added.err, "");
  EXPECT_EQ(ModeOf(db.string()), 0600u);
  EXPECT_EQ(ModeOf(db.parent_path().string()), 0700u);
  EXPECT_EQ(ModeOf(File("data").string()), 0700u);
  {
    // While a connection is open, SQLite keeps its -wal and -shm files beside the database.
    auto connection = storage::OpenConnection({db.string()});
    ASSERT_TRUE(connection.ok());
    auto organisation = storage::AddOrganisation(**connection, "leiden", "Gemeente Leiden",
                                                 At("2026-01-01T00:00:00.000Z"));
    ASSERT_TRUE(organisation.ok());
    EXPECT_EQ(ModeOf(db.string() + "-wal"), 0600u);
    EXPECT_EQ(ModeOf(db.string() + "-shm"), 0600u);
  }

  ASSERT_EQ(::chmod(db.c_str(), 0644), 0);
  ASSERT_EQ(::chmod(db.parent_path().c_str(), 0755), 0);
  RunResult loose = Navolg({"org", "add", "--db", db.string(), "delft", "Gemeente Delft"});
  EXPECT_EQ(loose.exit_code, 0) << loose.err;
  EXPECT_TRUE(Contains(loose.err, "chmod 600 '" + db.string() + "'")) << loose.err;
  EXPECT_TRUE(Contains(loose.err, "chmod 700 '" + db.parent_path().string() + "'")) << loose.err;
  EXPECT_EQ(ModeOf(db.string()), 0644u);  // warned about, not changed
}

TEST_F(CliStoreTest, BadInputIsRefusedClearly) {
  ASSERT_EQ(Navolg({"org", "add", "--db", Db(), "utrecht", "Gemeente Utrecht"}).exit_code, 0);
  RunResult duplicate = Navolg({"org", "add", "--db", Db(), "utrecht", "Nog eens"});
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_TRUE(Contains(duplicate.err, "bestaat al")) << duplicate.err;
  RunResult slug = Navolg({"org", "add", "--db", Db(), "Utrecht!", "Gemeente"});
  EXPECT_EQ(slug.exit_code, 1);
  EXPECT_TRUE(Contains(slug.err, "geen geldige korte naam")) << slug.err;
  RunResult role =
      Navolg({"user", "add", "--db", Db(), "--org", "utrecht", "--role", "koning", "Willem"});
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_TRUE(Contains(role.err, "Onbekende rol 'koning'")) << role.err;
  RunResult org =
      Navolg({"user", "add", "--db", Db(), "--org", "amsterdam", "--role", "adviseur", "Anna"});
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
  const std::string process_id = ProcessWithThreeEvents();
  ASSERT_FALSE(HasFailure());
  RunResult to_stdout = Navolg({"audit", "export", "--db", Db(), "--process", process_id});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_EQ(Lines(to_stdout.out).size(), 3u + 1u);  // and the checkpoint

  const std::string file = File("trail.jsonl").string();
  RunResult exported =
      Navolg({"audit", "export", "--db", Db(), "--process", process_id, "--out", file});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  // The same events; the checkpoints differ only in when they were signed.
  const std::vector<std::string> printed = Lines(to_stdout.out), written = Lines(ReadAll(file));
  ASSERT_EQ(written.size(), printed.size());
  EXPECT_TRUE(std::equal(printed.begin(), printed.end() - 1, written.begin()));
  RunResult verified = Navolg({"audit", "verify", file});
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_TRUE(Contains(verified.out, "intact: 3 gebeurtenissen")) << verified.out;

  RunResult unknown = Navolg({"audit", "export", "--db", Db(), "--process", "p-bestaat-niet"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(Contains(unknown.err, "bestaat niet")) << unknown.err;
  EXPECT_EQ(Navolg({"audit", "export", "--db", Db()}).exit_code, 2);
}

// --- signed checkpoints ----------------------------------------------------------------------

class SignedExportCliTest : public CliStoreTest {
 protected:
  void SetUp() override {
    CliStoreTest::SetUp();
    process_id_ = ProcessWithThreeEvents();
    ASSERT_FALSE(HasFailure());
    RunResult exported =
        Navolg({"audit", "export", "--db", Db(), "--process", process_id_, "--out", Export()});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    // At first use the key is made beside the database, readable by its owner only.
    EXPECT_TRUE(Contains(exported.err, "nieuwe ondertekensleutel aangemaakt in " + KeyFile()))
        << exported.err;
    EXPECT_EQ(ModeOf(KeyFile()), 0600u);
    lines_ = Lines(ReadAll(Export()));
    ASSERT_EQ(lines_.size(), 4u);
    // The auditor's copy of the public key.
    auto key = SigningKey::FromPem(ReadAll(KeyFile()));
    ASSERT_TRUE(key.ok()) << key.status().message();
    key_id_ = key->public_key().id();
    WriteAll(PublicKeyFile(), key->public_key().pem());
  }

  std::string Export() const { return File("trail.jsonl").string(); }
  std::string KeyFile() const { return File("navolg-signing.key").string(); }
  std::string PublicKeyFile() const { return File("navolg.pub").string(); }

  RunResult Verify(const std::vector<std::string>& lines, const std::string& key = "") {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    WriteAll(File("checked.jsonl"), text);
    std::vector<std::string> args = {"audit", "verify", File("checked.jsonl").string()};
    if (!key.empty()) args.insert(args.end(), {"--key", key});
    return Navolg(args);
  }

  std::string process_id_;
  std::vector<std::string> lines_;
  std::string key_id_;
};

TEST_F(SignedExportCliTest, IntactExportPassesWithTheKey) {
  const json checkpoint = json::parse(lines_.back());
  EXPECT_EQ(checkpoint["format"], "navolg-checkpoint/1");
  EXPECT_EQ(checkpoint["seq"], 3);
  EXPECT_EQ(checkpoint["head"], json::parse(lines_[2])["hash"]);
  EXPECT_EQ(checkpoint["key_id"], key_id_);

  RunResult with_key = Navolg({"audit", "verify", Export(), "--key", PublicKeyFile()});
  EXPECT_EQ(with_key.exit_code, 0) << with_key.out << with_key.err;
  EXPECT_TRUE(
      Contains(with_key.out, Export() + ": intact: 3 gebeurtenissen van proces " + process_id_))
      << with_key.out;
  EXPECT_TRUE(Contains(with_key.out, "handtekening geldig (ondertekend " +
                                         checkpoint["at"].get<std::string>() + " met sleutel " +
                                         key_id_ + ")"))
      << with_key.out;

  RunResult without_key = Navolg({"audit", "verify", Export()});
  EXPECT_EQ(without_key.exit_code, 0) << without_key.out;
  EXPECT_TRUE(Contains(without_key.out, "handtekening niet gecontroleerd: geef --key"))
      << without_key.out;

  // The next export reuses the key.
  RunResult again = Navolg({"audit", "export", "--db", Db(), "--process", process_id_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(Contains(again.err, "nieuwe ondertekensleutel")) << again.err;
  EXPECT_EQ(json::parse(Lines(again.out).back())["key_id"], key_id_);
}

TEST_F(SignedExportCliTest, RehashedRewriteIsRejectedWithTheKeyOnly) {
  // Someone changes who wrote the kadernotitie, re-hashes the chain from there and moves the
  // checkpoint's head along. The chain is consistent again.
  std::vector<std::string> forged = lines_;
  std::string prev = json::parse(lines_[0])["hash"];
  for (std::size_t i = 1; i < 3; ++i) {
    Result<Event> event = EventFromJson(json::parse(lines_[i]));
    ASSERT_TRUE(event.ok()) << event.status().message();
    if (i == 1) event->actor.user = "u-iemand-anders";
    event->prev = prev;
    ASSERT_TRUE(SealEvent(*event).ok());
    forged[i] = *ExportLine(*event);
    prev = event->hash;
  }
  json checkpoint = json::parse(lines_.back());
  checkpoint["head"] = prev;
  forged.back() = *Canonicalize(checkpoint);

  RunResult chain_only = Verify(forged);
  EXPECT_EQ(chain_only.exit_code, 0) << "the chain alone cannot tell: " << chain_only.out;

  RunResult with_key = Verify(forged, PublicKeyFile());
  EXPECT_EQ(with_key.exit_code, 1) << with_key.out;
  EXPECT_TRUE(Contains(with_key.out,
                       "NIET INTACT: regel 4: de handtekening van het checkpoint "
                       "klopt niet met de opgegeven openbare sleutel"))
      << with_key.out;
}

TEST_F(SignedExportCliTest, AnotherKeyIsRejected) {
  auto other = SigningKey::Generate();
  ASSERT_TRUE(other.ok());
  WriteAll(File("other.pub"), other->public_key().pem());
  RunResult r = Verify(lines_, File("other.pub").string());
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(Contains(r.out,
                       "NIET INTACT: regel 4: het checkpoint is ondertekend met een "
                       "andere sleutel (key_id " +
                           key_id_ + ")"))
      << r.out;
}

TEST_F(SignedExportCliTest, MissingCheckpointIsRejectedWithTheKey) {
  std::vector<std::string> unsigned_lines(lines_.begin(), lines_.end() - 1);
  RunResult without_key = Verify(unsigned_lines);
  EXPECT_EQ(without_key.exit_code, 0) << without_key.out;
  EXPECT_TRUE(Contains(without_key.out, "zonder checkpoint, dus niet ondertekend"))
      << without_key.out;

  RunResult with_key = Verify(unsigned_lines, PublicKeyFile());
  EXPECT_EQ(with_key.exit_code, 1) << with_key.out;
  EXPECT_TRUE(Contains(with_key.out,
                       "NIET INTACT: regel 4: het ondertekende checkpoint "
                       "ontbreekt"))
      << with_key.out;

  // Cutting events off the end and keeping the checkpoint does not help either.
  std::vector<std::string> cut = {lines_[0], lines_[1], lines_.back()};
  RunResult shortened = Verify(cut, PublicKeyFile());
  EXPECT_EQ(shortened.exit_code, 1) << shortened.out;
  EXPECT_TRUE(Contains(shortened.out,
                       "regel 3: het checkpoint ondertekent de keten tot en met "
                       "seq 3, maar de laatste gebeurtenis in het bestand heeft "
                       "seq 2"))
      << shortened.out;
}

TEST_F(SignedExportCliTest, BadKeyFilesAreRefusedClearly) {
  // The public key file an auditor passes must be an Ed25519 public key.
  RunResult private_as_public = Verify(lines_, KeyFile());
  EXPECT_EQ(private_as_public.exit_code, 1);
  EXPECT_TRUE(Contains(private_as_public.err, "geen openbare sleutel in PEM-vorm"))
      << private_as_public.err;
  RunResult missing = Verify(lines_, File("weg.pub").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Contains(missing.err, "kan de openbare sleutel niet lezen")) << missing.err;
  EXPECT_EQ(Navolg({"audit", "verify", Export(), "--key"}).exit_code, 2);

  // A signing key others can read is refused, not used and not changed.
  const std::string before = ReadAll(KeyFile());
  ASSERT_EQ(::chmod(KeyFile().c_str(), 0644), 0);
  RunResult loose = Navolg({"audit", "export", "--db", Db(), "--process", process_id_});
  EXPECT_EQ(loose.exit_code, 1);
  EXPECT_TRUE(Contains(loose.err, "rechten 0644")) << loose.err;
  EXPECT_TRUE(Contains(loose.err, "chmod 600 '" + KeyFile() + "'")) << loose.err;
  EXPECT_EQ(loose.out, "");
  EXPECT_EQ(ModeOf(KeyFile()), 0644u);
  EXPECT_EQ(ReadAll(KeyFile()), before);

  // Something that is not a key is refused too.
  WriteAll(File("kapot.key"), "geen sleutel\n");
  ASSERT_EQ(::chmod(File("kapot.key").c_str(), 0600), 0);
  RunResult broken = Navolg({"audit", "export", "--db", Db(), "--process", process_id_,
                             "--signing-key", File("kapot.key").string()});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_TRUE(Contains(broken.err, "ondertekensleutel '" + File("kapot.key").string() +
                                       "': geen onversleutelde privesleutel"))
      << broken.err;
}

TEST_F(SignedExportCliTest, ABrokenStoredChainIsExportedButNotSigned) {
  // A fourth event whose prev does not point at the third: appended behind navolg's back.
  Result<Event> event = EventFromJson(json::parse(lines_[2]));
  ASSERT_TRUE(event.ok());
  event->seq = 4;
  event->prev = std::string(64, 'f');
  ASSERT_TRUE(SealEvent(*event).ok());
  {
    storage::sql::SqliteDatabase db(Db(), SQLite::OPEN_READWRITE);
    storage::sql::Statement insert(db,
                                   "INSERT INTO events (process_id, seq, type, line) "
                                   "VALUES (?, 4, 'product.saved', ?)");
    insert.bind(1, process_id_);
    insert.bind(2, *ExportLine(*event));
    ASSERT_EQ(insert.exec(), 1);
  }
  RunResult exported =
      Navolg({"audit", "export", "--db", Db(), "--process", process_id_, "--out", Export()});
  EXPECT_EQ(exported.exit_code, 1);
  EXPECT_TRUE(Contains(exported.err,
                       "het opgeslagen audittrail is niet intact (regel 4: prev "
                       "is niet de hash van regel 3"))
      << exported.err;
  const std::vector<std::string> lines = Lines(ReadAll(Export()));
  ASSERT_EQ(lines.size(), 4u);  // the four events, as evidence, and no checkpoint
  EXPECT_FALSE(json::parse(lines.back()).contains("format"));
  RunResult verified = Navolg({"audit", "verify", Export(), "--key", PublicKeyFile()});
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_TRUE(Contains(verified.out, "NIET INTACT: regel 4: prev is niet de hash van regel 3"))
      << verified.out;
}

// --- kept checkpoints and verify --since -------------------------------------------------------

// Adds `count` events to the process through the store, as navolg serve would.
void AddEvents(const std::string& db_path, const std::string& process_id, int count) {
  auto committer = storage::GroupCommitter::Start({db_path}, {});
  ASSERT_TRUE(committer.ok()) << committer.status().message();
  for (int i = 0; i < count; ++i) {
    storage::CommandRequest request;
    request.organisation_id = 1;
    request.process_id = process_id;
    json capaciteit = CompleteCapaciteit();
    capaciteit["uren"] = 100 + i;
    request.command = SaveProduct{"capaciteit", 0, capaciteit};
    request.actor = Manager();
    request.at = At("2026-03-04T09:00:00.000Z");
    ASSERT_TRUE((*committer)->Submit(std::move(request)).committed());
  }
}

TEST_F(SignedExportCliTest, ACheckpointIsKeptOncePerHead) {
  // The same head again: the very checkpoint of the first export, not a new signature.
  RunResult again = Navolg({"audit", "export", "--db", Db(), "--process", process_id_});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Lines(again.out).back(), lines_.back());
  {
    storage::sql::SqliteDatabase db(Db(), SQLite::OPEN_READONLY);
    storage::sql::Statement count(db, "SELECT count(*), min(seq) FROM checkpoints");
    ASSERT_TRUE(count.executeStep());
    EXPECT_EQ(count.getColumn(0).getInt(), 1);
    EXPECT_EQ(count.getColumn(1).getInt(), 3);
  }
  AddEvents(Db(), process_id_, 2);
  ASSERT_FALSE(HasFailure());
  RunResult later = Navolg({"audit", "export", "--db", Db(), "--process", process_id_});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(json::parse(Lines(later.out).back())["seq"], 5);
  storage::sql::SqliteDatabase db(Db(), SQLite::OPEN_READONLY);
  storage::sql::Statement kept(db, "SELECT seq FROM checkpoints ORDER BY seq");
  std::vector<int> seqs;
  while (kept.executeStep()) seqs.push_back(kept.getColumn(0).getInt());
  EXPECT_EQ(seqs, (std::vector<int>{3, 5}));
}

TEST_F(SignedExportCliTest, SinceAnOlderCheckpointTheChainWasKept) {
  WriteAll(File("oud-checkpoint.json"), lines_.back() + "\n");
  AddEvents(Db(), process_id_, 2);
  ASSERT_FALSE(HasFailure());
  const std::string newer = File("nieuw.jsonl").string();
  ASSERT_EQ(
      Navolg({"audit", "export", "--db", Db(), "--process", process_id_, "--out", newer}).exit_code,
      0);
  // From a checkpoint file, and from the older export itself.
  for (const std::string& older : {File("oud-checkpoint.json").string(), Export()}) {
    RunResult r = Navolg({"audit", "verify", newer, "--key", PublicKeyFile(), "--since", older});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(Contains(r.out, "intact: 5 gebeurtenissen")) << r.out;
    EXPECT_TRUE(Contains(r.out, "ongewijzigd sinds volgnummer 3")) << r.out;
  }
  // An older head of another process, or past the end, is refused.
  json other = json::parse(lines_.back());
  other["seq"] = 9;
  WriteAll(File("te-ver.json"), other.dump());
  RunResult too_far = Navolg({"audit", "verify", newer, "--since", File("te-ver.json").string()});
  EXPECT_EQ(too_far.exit_code, 1) << too_far.out;
  EXPECT_TRUE(Contains(too_far.out, "er zijn gebeurtenissen verdwenen")) << too_far.out;
  // With the key, an older checkpoint of this key must carry its signature.
  RunResult forged = Navolg({"audit", "verify", newer, "--key", PublicKeyFile(), "--since",
                             File("te-ver.json").string()});
  EXPECT_EQ(forged.exit_code, 1) << forged.out;
  EXPECT_TRUE(Contains(forged.out, "het oudere checkpoint")) << forged.out;
  WriteAll(File("geen.json"), "{\"hallo\": 1}\n");
  RunResult garbage = Navolg({"audit", "verify", newer, "--since", File("geen.json").string()});
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_TRUE(Contains(garbage.err, "geen checkpoint en geen intacte export")) << garbage.err;
  EXPECT_EQ(Navolg({"audit", "verify", newer, "--since"}).exit_code, 2);
}

// The attack of issue 13, item 8: the whole stored chain rewritten and re-hashed. navolg
// refuses to sign it, and an auditor's older checkpoint shows it even for an export signed
// with a key of the attacker's choosing.
TEST_F(SignedExportCliTest, ARewrittenChainIsRefusedASignatureAndFailsSince) {
  WriteAll(File("oud-checkpoint.json"), lines_.back() + "\n");
  RewriteStoredChain(Db(), process_id_);
  ASSERT_FALSE(HasFailure());

  const std::string newer = File("nieuw.jsonl").string();
  RunResult refused =
      Navolg({"audit", "export", "--db", Db(), "--process", process_id_, "--out", newer});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Contains(refused.err, "is herschreven")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "bij volgnummer 3")) << refused.err;
  const std::vector<std::string> written = Lines(ReadAll(newer));
  ASSERT_EQ(written.size(), 3u);  // the events, as evidence, without a checkpoint
  EXPECT_FALSE(json::parse(written.back()).contains("format"));

  // The rewritten chain is consistent in itself ...
  EXPECT_EQ(Navolg({"audit", "verify", newer}).exit_code, 0);
  // ... but not since the older checkpoint.
  RunResult since =
      Navolg({"audit", "verify", newer, "--since", File("oud-checkpoint.json").string()});
  EXPECT_EQ(since.exit_code, 1) << since.out;
  EXPECT_TRUE(Contains(since.out, "NIET INTACT sinds")) << since.out;
  EXPECT_TRUE(Contains(since.out, "bij volgnummer 3 had het trail eerder hash " +
                                      json::parse(lines_[2])["hash"].get<std::string>()))
      << since.out;

  // Signed anyway, with a fresh key the attacker controls: still caught by --since.
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  std::string text;
  for (const std::string& line : written) text += line + "\n";
  Result<std::string> checkpoint =
      CheckpointLineForExport(text, *key, At("2026-04-01T00:00:00.000Z"));
  ASSERT_TRUE(checkpoint.ok());
  WriteAll(File("vervalst.jsonl"), text + *checkpoint);
  WriteAll(File("aanvaller.pub"), key->public_key().pem());
  RunResult forged =
      Navolg({"audit", "verify", File("vervalst.jsonl").string(), "--key",
              File("aanvaller.pub").string(), "--since", File("oud-checkpoint.json").string()});
  EXPECT_EQ(forged.exit_code, 1) << forged.out;
  EXPECT_TRUE(Contains(forged.out, "herschreven")) << forged.out;
}

TEST_F(SignedExportCliTest, SigningKeyPathFromOptionAndEnvironment) {
  const std::string elsewhere = File("sleutels/export.key").string();
  RunResult exported = Navolg({"audit", "export", "--db", Db(), "--process", process_id_,
                               "--signing-key", elsewhere, "--out", Export()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_TRUE(Contains(exported.err, "nieuwe ondertekensleutel aangemaakt in " + elsewhere))
      << exported.err;
  EXPECT_EQ(ModeOf(elsewhere), 0600u);
  // Signed with the new key, so the old public key no longer fits.
  RunResult r = Navolg({"audit", "verify", Export(), "--key", PublicKeyFile()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(Contains(r.out, "andere sleutel")) << r.out;

  // $NAVOLG_SIGNING_KEY names it when --signing-key does not.
  ASSERT_EQ(::setenv("NAVOLG_SIGNING_KEY", elsewhere.c_str(), 1), 0);
  RunResult from_env = Navolg({"audit", "export", "--db", Db(), "--process", process_id_});
  ::unsetenv("NAVOLG_SIGNING_KEY");
  ASSERT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(from_env.err, "");
  auto key = SigningKey::FromPem(ReadAll(elsewhere));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(json::parse(Lines(from_env.out).back())["key_id"], key->public_key().id());
}

}  // namespace
}  // namespace navolg
