// Signed checkpoints: Ed25519 keys, the checkpoint line, and an export verified with and
// without the public key, including every way of rewriting a trail an auditor must catch.
#include "engine/checkpoint.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/audit_chain.h"
#include "engine/canonical_json.h"
#include "engine/sha256.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using Json = nlohmann::json;
using namespace navolg::testing;

// RFC 8032, section 7.1, TEST 1: the secret key 9d61b19d...7f60 as PKCS#8 PEM (made with
// `openssl pkey -inform DER` from the DER prefix 302e020100300506032b657004220420 and the
// 32 bytes), its public key and the signature of the empty message.
constexpr char kRfcPrivatePem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kRfcPublicPem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
    "-----END PUBLIC KEY-----\n";
constexpr char kRfcPublicHex[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr char kRfcEmptySignatureHex[] =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf"
    "9b46bd25bf5f0595bbe24655141438e7a100b";
// sha256 of the 32 raw bytes (`openssl pkey -pubin -outform DER | tail -c 32 | sha256sum`).
constexpr char kRfcKeyId[] = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";

// A checkpoint signed with the RFC key, produced outside navolg with Python 3 and the
// `cryptography` package: json.dumps(obj, sort_keys=True, separators=(",", ":")) without
// "signature", Ed25519PrivateKey.from_private_bytes(seed).sign(...), base64.b64encode.
constexpr char kKnownCheckpointLine[] =
    R"({"algorithm":"Ed25519","at":"2026-11-28T17:00:00.000Z","format":"navolg-checkpoint/1",)"
    R"("head":"ade5218d968ff24cefa7e8c6521936b2898ef3687e028c0ee2e14c6cfeb12b56",)"
    R"("key_id":"21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9",)"
    R"("process_id":"p-2026-0042","seq":1,)"
    R"("signature":"3HOn/GF+RgyzDfFWnfXMbgQieyojNiQ7r73wxQ1LiYeH6HP+eCe85WnfKegVOHswIIVr5UDU2j08)"
    R"(Le/DxkY+BQ=="})";

// Other kinds of keys, made with `openssl genpkey -algorithm x25519` and `openssl pkcs8
// -topk8 -v2 aes-256-cbc` over an Ed25519 key.
constexpr char kX25519PrivatePem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VuBCIEIICHYxuAMd/mIHtUOQ8b69YiDotCn6BmMTZjDFdCuIZ2\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kX25519PublicPem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VuAyEAL8oGTcfAei4zwnO3emJhPWCUaIQxBNdR7viJ9xxF6Qk=\n"
    "-----END PUBLIC KEY-----\n";
constexpr char kEncryptedPem[] =
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
    "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAilQtfOtNDqjAICCAAw\n"
    "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEDbJky8afDhHldK3iO0/b8QEQBgg\n"
    "SM0zLuFk2pqsMAneNICzmRM8pb3H81v4mbfvgHXIA7EVfOqu995uClk4oM4JVl76\n"
    "beJin9z0mOv8Mf3tOT0=\n"
    "-----END ENCRYPTED PRIVATE KEY-----\n";

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0x0f]);
  }
  return hex;
}

SigningKey RfcKey() {
  Result<SigningKey> key = SigningKey::FromPem(kRfcPrivatePem);
  EXPECT_TRUE(key.ok()) << key.status().message();
  return std::move(key).value();
}

SigningKey NewKey() {
  Result<SigningKey> key = SigningKey::Generate();
  EXPECT_TRUE(key.ok()) << key.status().message();
  return std::move(key).value();
}

TEST(Ed25519Test, MatchesTheRfc8032TestVector) {
  const SigningKey key = RfcKey();
  EXPECT_EQ(Hex(key.public_key().raw()), kRfcPublicHex);
  EXPECT_EQ(key.public_key().id(), kRfcKeyId);
  EXPECT_EQ(key.public_key().pem(), kRfcPublicPem);
  Result<std::string> signature = key.Sign("");
  ASSERT_TRUE(signature.ok()) << signature.status().message();
  EXPECT_EQ(Hex(*signature), kRfcEmptySignatureHex);
  EXPECT_TRUE(key.public_key().Verifies("", *signature));
  EXPECT_FALSE(key.public_key().Verifies("x", *signature));
  Result<std::string> pem = key.PrivatePem();
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(*pem, kRfcPrivatePem);
}

TEST(Ed25519Test, GeneratedKeysRoundTripThroughPem) {
  const SigningKey key = NewKey();
  const SigningKey other = NewKey();
  EXPECT_NE(key.public_key().id(), other.public_key().id());
  Result<std::string> private_pem = key.PrivatePem();
  ASSERT_TRUE(private_pem.ok());
  Result<SigningKey> reloaded = SigningKey::FromPem(*private_pem);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().message();
  EXPECT_EQ(reloaded->public_key().id(), key.public_key().id());
  Result<PublicKey> public_key = PublicKey::FromPem(key.public_key().pem());
  ASSERT_TRUE(public_key.ok()) << public_key.status().message();
  EXPECT_EQ(public_key->id(), key.public_key().id());
  Result<std::string> signature = reloaded->Sign("gesprek op 10 maart");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(public_key->Verifies("gesprek op 10 maart", *signature));
  EXPECT_FALSE(other.public_key().Verifies("gesprek op 10 maart", *signature));
}

// One key serves every request thread of the server at once.
TEST(Ed25519Test, OneKeySignsOnManyThreadsAtOnce) {
  const SigningKey key = NewKey();
  std::vector<std::thread> threads;
  std::atomic<int> verified{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&key, &verified, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string message = "gesprek " + std::to_string(t) + "-" + std::to_string(i);
        Result<std::string> signature = key.Sign(message);
        if (signature.ok() && key.public_key().Verifies(message, *signature)) ++verified;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(verified.load(), 8 * 50);
}

TEST(Ed25519Test, OnlyEd25519KeysInPemAreAccepted) {
  struct Case {
    const char* name;
    std::string pem;
    std::string message_part;
  };
  for (const Case& c : std::vector<Case>{
           {"garbage", "geen sleutel", "geen onversleutelde privesleutel in PEM-vorm"},
           {"public key as private", kRfcPublicPem, "geen onversleutelde privesleutel"},
           {"x25519", kX25519PrivatePem, "geen Ed25519-sleutel"},
           {"encrypted", kEncryptedPem, "geen onversleutelde privesleutel"},
       }) {
    Result<SigningKey> key = SigningKey::FromPem(c.pem);
    ASSERT_FALSE(key.ok()) << c.name;
    EXPECT_EQ(key.status().code(), Code::kInvalidArgument) << c.name;
    EXPECT_NE(key.status().message().find(c.message_part), std::string::npos)
        << c.name << ": " << key.status().message();
  }
  for (const Case& c : std::vector<Case>{
           {"garbage", "", "geen openbare sleutel in PEM-vorm"},
           {"private key as public", kRfcPrivatePem, "geen openbare sleutel in PEM-vorm"},
           {"x25519", kX25519PublicPem, "geen Ed25519-sleutel"},
       }) {
    Result<PublicKey> key = PublicKey::FromPem(c.pem);
    ASSERT_FALSE(key.ok()) << c.name;
    EXPECT_NE(key.status().message().find(c.message_part), std::string::npos)
        << c.name << ": " << key.status().message();
  }
}

TEST(CheckpointTest, KnownCheckpointHasKnownBytes) {
  Result<Checkpoint> checkpoint =
      SignCheckpoint(RfcKey(), "p-2026-0042", 1,
                     "ade5218d968ff24cefa7e8c6521936b2898ef3687e028c0ee2e14c6cfeb12b56",
                     At("2026-11-28T17:00:00.000Z"));
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
  Result<std::string> line = CheckpointLine(*checkpoint);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(*line, kKnownCheckpointLine);

  Result<PublicKey> public_key = PublicKey::FromPem(kRfcPublicPem);
  ASSERT_TRUE(public_key.ok());
  const Json j = Json::parse(kKnownCheckpointLine);
  EXPECT_TRUE(IsCheckpointObject(j));
  Result<Checkpoint> parsed = CheckpointFromJson(j);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, *checkpoint);
  EXPECT_TRUE(VerifyCheckpoint(*parsed, *public_key).ok());
}

TEST(CheckpointTest, AnyChangeToASignedMemberBreaksTheSignature) {
  const SigningKey key = RfcKey();
  Result<Checkpoint> signed_checkpoint =
      SignCheckpoint(key, "p-1", 12, std::string(64, 'a'), At("2026-05-02T09:00:00.000Z"));
  ASSERT_TRUE(signed_checkpoint.ok());
  const std::vector<std::pair<const char*, std::function<void(Checkpoint&)>>> changes = {
      {"process_id", [](Checkpoint& c) { c.process_id = "p-2"; }},
      {"seq", [](Checkpoint& c) { c.seq = 11; }},
      {"head", [](Checkpoint& c) { c.head = std::string(64, 'b'); }},
      {"at", [](Checkpoint& c) { c.at += std::chrono::milliseconds(1); }},
  };
  for (const auto& [name, change] : changes) {
    Checkpoint changed = *signed_checkpoint;
    change(changed);
    Status status = VerifyCheckpoint(changed, key.public_key());
    EXPECT_EQ(status.code(), Code::kFailedPrecondition) << name;
    EXPECT_NE(status.message().find("de handtekening van het checkpoint klopt niet"),
              std::string::npos)
        << name << ": " << status.message();
  }
  const SigningKey other = NewKey();
  Status wrong_key = VerifyCheckpoint(*signed_checkpoint, other.public_key());
  EXPECT_NE(wrong_key.message().find("ondertekend met een andere sleutel (key_id " +
                                     key.public_key().id() + ")"),
            std::string::npos)
      << wrong_key.message();
}

TEST(CheckpointTest, ReadsCheckpointsStrictly) {
  const Json good = Json::parse(kKnownCheckpointLine);
  struct Case {
    const char* name;
    std::function<void(Json&)> change;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"no signature", [](Json& j) { j.erase("signature"); },
       R"(het lid "signature" ontbreekt in het checkpoint)"},
      {"extra member", [](Json& j) { j["note"] = "x"; },
       R"(onbekend lid "note" in het checkpoint)"},
      {"other format", [](Json& j) { j["format"] = "navolg-checkpoint/2"; },
       R"(onbekend checkpointformaat (verwacht "format":"navolg-checkpoint/1"))"},
      {"other algorithm", [](Json& j) { j["algorithm"] = "RSA"; },
       R"(onbekend algoritme in het checkpoint (verwacht "algorithm":"Ed25519"))"},
      {"at without ms", [](Json& j) { j["at"] = "2026-11-28T17:00:00Z"; },
       R"("at" van het checkpoint moet een tijdstip in UTC zijn in de vorm )"
       R"("2026-11-28T17:00:00.000Z")"},
      {"upper-case head", [](Json& j) { j["head"] = std::string(64, 'A'); },
       R"("head" van het checkpoint moet 64 hexadecimale tekens zijn (0-9, a-f))"},
      {"short key_id", [](Json& j) { j["key_id"] = "21fe"; },
       R"("key_id" van het checkpoint moet 64 hexadecimale tekens zijn (0-9, a-f))"},
      {"seq zero", [](Json& j) { j["seq"] = 0; },
       R"("seq" van het checkpoint moet een geheel getal zijn van 1 tot en met 9007199254740991)"},
      {"seq text", [](Json& j) { j["seq"] = "1"; },
       R"("seq" van het checkpoint moet een geheel getal zijn van 1 tot en met 9007199254740991)"},
      {"signature hex", [](Json& j) { j["signature"] = std::string(128, 'a'); },
       R"("signature" van het checkpoint moet de base64-vorm (met opvulling '=') van 64 bytes )"
       "zijn"},
      {"signature unpadded",
       [](Json& j) {
         std::string s = j["signature"];
         j["signature"] = s.substr(0, s.size() - 2);
       },
       R"("signature" van het checkpoint moet de base64-vorm (met opvulling '=') van 64 bytes )"
       "zijn"},
      {"signature with stray bits",
       [](Json& j) {
         std::string s = j["signature"];
         s[s.size() - 3] = 'R';  // "BQ==" -> "BR==": the same bytes, other unused bits
         j["signature"] = s;
       },
       R"("signature" van het checkpoint moet de base64-vorm (met opvulling '=') van 64 bytes )"
       "zijn"},
  };
  for (const Case& c : cases) {
    Json j = good;
    c.change(j);
    Result<Checkpoint> parsed = CheckpointFromJson(j);
    ASSERT_FALSE(parsed.ok()) << c.name;
    EXPECT_EQ(parsed.status().message(), c.message) << c.name;
  }
  EXPECT_FALSE(IsCheckpointObject(Json::parse(R"({"seq":1})")));
  EXPECT_FALSE(IsCheckpointObject(Json::array({"format"})));
}

// --- exports --------------------------------------------------------------------------------

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::string ExportOf(const std::vector<Event>& trail) {
  std::vector<std::string> lines;
  for (const Event& e : trail) lines.push_back(*ExportLine(e));
  return Join(lines);
}

VerifyReport VerifyText(const std::string& text) {
  std::istringstream in(text);
  return VerifyExport(in);
}

VerifyReport VerifyText(const std::string& text, const PublicKey& key) {
  std::istringstream in(text);
  return VerifyExport(in, key);
}

class SignedExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    trail_ = WalkTo(Standard(), "afgerond").trail();
    ASSERT_GE(trail_.size(), 10u);
    events_ = ExportOf(trail_);
    Result<std::string> line = CheckpointLineForExport(events_, key_, signed_at_);
    ASSERT_TRUE(line.ok()) << line.status().message();
    checkpoint_ = *line;
  }

  // The trail with event `index` changed and every event from there on re-hashed: a chain
  // that is consistent again, but not the one that was signed.
  std::vector<Event> Rewritten(std::size_t index) const {
    std::vector<Event> rewritten = trail_;
    rewritten[index].actor = Actor{"u-iemand-anders", rewritten[index].actor.role};
    for (std::size_t i = index; i < rewritten.size(); ++i) {
      if (i > 0) rewritten[i].prev = rewritten[i - 1].hash;
      EXPECT_TRUE(SealEvent(rewritten[i]).ok());
    }
    return rewritten;
  }

  // `checkpoint_` as JSON, changed, and written back in canonical form (signature kept).
  std::string ChangedCheckpoint(const std::function<void(Json&)>& change) const {
    Json j = Json::parse(checkpoint_);
    change(j);
    return *Canonicalize(j) + "\n";
  }

  std::int64_t LastLine() const { return static_cast<std::int64_t>(trail_.size()) + 1; }

  SigningKey key_ = NewKey();
  Time signed_at_ = At("2026-05-03T10:00:00.000Z");
  std::vector<Event> trail_;
  std::string events_;
  std::string checkpoint_;
};

TEST_F(SignedExportTest, IntactSignedExportPassesWithAndWithoutTheKey) {
  const Json j = Json::parse(checkpoint_);
  EXPECT_EQ(j["seq"], trail_.back().seq);
  EXPECT_EQ(j["head"], trail_.back().hash);
  EXPECT_EQ(j["process_id"], trail_.back().process_id);
  EXPECT_EQ(j["at"], "2026-05-03T10:00:00.000Z");
  EXPECT_EQ(j["key_id"], key_.public_key().id());

  const VerifyReport with_key = VerifyText(events_ + checkpoint_, key_.public_key());
  EXPECT_TRUE(with_key.intact) << with_key.reason;
  EXPECT_TRUE(with_key.signature_verified);
  EXPECT_EQ(with_key.events, static_cast<std::int64_t>(trail_.size()));
  ASSERT_TRUE(with_key.checkpoint.has_value());
  EXPECT_EQ(with_key.checkpoint->at, signed_at_);

  const VerifyReport without_key = VerifyText(events_ + checkpoint_);
  EXPECT_TRUE(without_key.intact) << without_key.reason;
  EXPECT_FALSE(without_key.signature_verified);
  EXPECT_TRUE(without_key.checkpoint.has_value());

  const VerifyReport unsigned_export = VerifyText(events_);
  EXPECT_TRUE(unsigned_export.intact);
  EXPECT_FALSE(unsigned_export.checkpoint.has_value());
}

TEST_F(SignedExportTest, RehashedRewriteIsCaughtOnlyWithTheKey) {
  const std::vector<Event> rewritten = Rewritten(3);
  const std::string events = ExportOf(rewritten);
  // The forger moves the checkpoint's head to the new chain; the signature cannot follow.
  const std::string checkpoint =
      ChangedCheckpoint([&](Json& j) { j["head"] = rewritten.back().hash; });

  const VerifyReport chain_only = VerifyText(events + checkpoint);
  EXPECT_TRUE(chain_only.intact) << "a consistent rewrite passes the chain checks: "
                                 << chain_only.reason;

  const VerifyReport with_key = VerifyText(events + checkpoint, key_.public_key());
  EXPECT_FALSE(with_key.intact);
  EXPECT_EQ(with_key.bad_line, LastLine());
  EXPECT_EQ(with_key.reason, "regel " + std::to_string(LastLine()) +
                                 ": de handtekening van het checkpoint klopt niet met de "
                                 "opgegeven openbare sleutel (het checkpoint of de keten is na "
                                 "het ondertekenen gewijzigd)");

  // Left as signed, the checkpoint no longer matches the rewritten head, key or not.
  for (const VerifyReport& report :
       {VerifyText(events + checkpoint_), VerifyText(events + checkpoint_, key_.public_key())}) {
    EXPECT_FALSE(report.intact);
    EXPECT_EQ(report.bad_line, LastLine());
    EXPECT_NE(report.reason.find("het checkpoint ondertekent hash " + trail_.back().hash +
                                 ", maar de laatste gebeurtenis heeft hash " +
                                 rewritten.back().hash + " (de keten is herschreven)"),
              std::string::npos)
        << report.reason;
  }
}

TEST_F(SignedExportTest, EventsCutOffTheEndAreCaught) {
  std::vector<std::string> lines = Lines(events_);
  lines.resize(lines.size() - 2);
  const std::string cut = Join(lines);
  const VerifyReport kept_checkpoint = VerifyText(cut + checkpoint_, key_.public_key());
  EXPECT_FALSE(kept_checkpoint.intact);
  EXPECT_EQ(kept_checkpoint.bad_line, LastLine() - 2);
  EXPECT_NE(kept_checkpoint.reason.find("het checkpoint ondertekent de keten tot en met seq " +
                                        std::to_string(trail_.size()) +
                                        ", maar de laatste gebeurtenis in het bestand "
                                        "heeft seq " +
                                        std::to_string(trail_.size() - 2)),
            std::string::npos)
      << kept_checkpoint.reason;
  EXPECT_FALSE(VerifyText(cut + checkpoint_).intact);

  // Without the checkpoint the shorter chain is consistent; only the key shows it is unsigned.
  EXPECT_TRUE(VerifyText(cut).intact);
  const VerifyReport missing = VerifyText(cut, key_.public_key());
  EXPECT_FALSE(missing.intact);
  EXPECT_EQ(missing.bad_line, LastLine() - 2);
  EXPECT_NE(missing.reason.find("het ondertekende checkpoint ontbreekt"), std::string::npos)
      << missing.reason;
}

TEST_F(SignedExportTest, ACheckpointOfAnotherKeyIsRefused) {
  const SigningKey forger = NewKey();
  const std::vector<Event> rewritten = Rewritten(1);
  const std::string events = ExportOf(rewritten);
  Result<std::string> forged = CheckpointLineForExport(events, forger, signed_at_);
  ASSERT_TRUE(forged.ok());
  const VerifyReport other_key = VerifyText(events + *forged, key_.public_key());
  EXPECT_FALSE(other_key.intact);
  EXPECT_EQ(other_key.bad_line, LastLine());
  EXPECT_NE(other_key.reason.find("ondertekend met een andere sleutel"), std::string::npos)
      << other_key.reason;
  // Claiming the real key's id does not help: the signature is still the forger's.
  Result<Checkpoint> forged_checkpoint = CheckpointFromJson(Json::parse(*forged));
  ASSERT_TRUE(forged_checkpoint.ok());
  forged_checkpoint->key_id = key_.public_key().id();
  const VerifyReport claimed =
      VerifyText(events + *CheckpointLine(*forged_checkpoint) + "\n", key_.public_key());
  EXPECT_FALSE(claimed.intact);
  EXPECT_NE(claimed.reason.find("de handtekening van het checkpoint klopt niet"), std::string::npos)
      << claimed.reason;
}

TEST_F(SignedExportTest, ACheckpointOnlyEndsAnExport) {
  const std::vector<std::string> events = Lines(events_);
  const std::string checkpoint_line = Lines(checkpoint_)[0];

  std::vector<std::string> in_the_middle = events;
  in_the_middle.insert(in_the_middle.begin() + 2, checkpoint_line);
  const VerifyReport middle = VerifyText(Join(in_the_middle));
  EXPECT_FALSE(middle.intact);
  EXPECT_EQ(middle.bad_line, 3);

  const VerifyReport twice = VerifyText(events_ + checkpoint_ + checkpoint_);
  EXPECT_FALSE(twice.intact);
  EXPECT_EQ(twice.reason, "regel " + std::to_string(LastLine() + 1) +
                              ": na het checkpoint op regel " + std::to_string(LastLine()) +
                              " mag geen regel meer volgen");

  const VerifyReport alone = VerifyText(checkpoint_, key_.public_key());
  EXPECT_FALSE(alone.intact);
  EXPECT_EQ(alone.bad_line, 1);
  EXPECT_NE(alone.reason.find("er gaat geen gebeurtenis aan vooraf"), std::string::npos)
      << alone.reason;

  std::string spaced = checkpoint_;
  spaced.insert(1, " ");
  const VerifyReport not_canonical = VerifyText(events_ + spaced);
  EXPECT_FALSE(not_canonical.intact);
  EXPECT_NE(not_canonical.reason.find("het checkpoint staat niet in de canonieke vorm"),
            std::string::npos)
      << not_canonical.reason;

  std::string cut = checkpoint_;
  cut.pop_back();
  const VerifyReport truncated = VerifyText(events_ + cut, key_.public_key());
  EXPECT_FALSE(truncated.intact);
  EXPECT_NE(truncated.reason.find("afgebroken"), std::string::npos) << truncated.reason;

  const std::string other_process = ChangedCheckpoint([](Json& j) { j["process_id"] = "p-ander"; });
  const VerifyReport wrong_process = VerifyText(events_ + other_process);
  EXPECT_FALSE(wrong_process.intact);
  EXPECT_NE(wrong_process.reason.find("het checkpoint hoort bij proces \"p-ander\""),
            std::string::npos)
      << wrong_process.reason;
}

TEST_F(SignedExportTest, OnlyAnIntactUnsignedChainIsSigned) {
  std::vector<std::string> lines = Lines(events_);
  std::swap(lines[1], lines[2]);
  Result<std::string> broken = CheckpointLineForExport(Join(lines), key_, signed_at_);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), Code::kDataLoss);
  EXPECT_NE(broken.status().message().find("niet intact (regel 2: "), std::string::npos)
      << broken.status().message();

  Result<std::string> twice = CheckpointLineForExport(events_ + checkpoint_, key_, signed_at_);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), Code::kDataLoss);

  EXPECT_FALSE(CheckpointLineForExport("", key_, signed_at_).ok());
}

}  // namespace
}  // namespace navolg
