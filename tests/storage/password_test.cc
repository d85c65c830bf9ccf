// Passwords: what is stored (a PHC string of PBKDF2-HMAC-SHA256 with 600,000 rounds and a
// fresh salt, never the password), what verifies, what is refused, and the rules for a new
// password. Each hash costs about a second, so each test hashes at most once or twice.
#include "storage/password.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "engine/base64.h"
#include "tests/storage/known_password.h"

namespace navolg {
namespace {

using namespace navolg::testing;

TEST(PasswordTest, StoredFormIsSaltedPbkdf2WithAtLeast600000Rounds) {
  const std::string stored = storage::HashPassword(kKnownPassword).value();
  std::smatch parts;
  ASSERT_TRUE(std::regex_match(
      stored, parts,
      std::regex(R"(\$pbkdf2-sha256\$i=([0-9]+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+))")))
      << stored;
  EXPECT_GE(std::stoll(parts[1]), 600'000);
  auto salt = Base64Decode(parts[2].str() + "==");
  auto hash = Base64Decode(parts[3].str() + "=");
  ASSERT_TRUE(salt && hash) << stored;
  EXPECT_EQ(salt->size(), 16u);
  EXPECT_EQ(hash->size(), 32u);
  EXPECT_EQ(stored.find(kKnownPassword), std::string::npos);
  EXPECT_EQ(stored.find("batterij"), std::string::npos);

  // The same password again gets another salt, so another string.
  EXPECT_NE(storage::HashPassword(kKnownPassword).value(), stored);
}

// The stored form is standard PBKDF2: a hash computed by another tool verifies.
TEST(PasswordTest, VerifiesAHashComputedByAnotherTool) {
  EXPECT_TRUE(storage::VerifyPassword(kKnownPassword, kKnownPasswordHash).value());
}

TEST(PasswordTest, WrongPasswordsDoNotVerify) {
  // One hash per candidate: keep the list short.
  for (const std::string& wrong : {std::string("correct paard batterij nietjes"),
                                   std::string("Correct paard batterij nietje")}) {
    EXPECT_FALSE(storage::VerifyPassword(wrong, kKnownPasswordHash).value()) << "'" << wrong << "'";
  }
}

// Stored strings navolg does not accept never verify, whatever the password: they are
// rejected before any hashing that could match.
TEST(PasswordTest, UnacceptableStoredFormsNeverVerify) {
  const std::string good = kKnownPasswordHash;
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string copy = good;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"another algorithm", replaced("pbkdf2-sha256", "pbkdf2-sha1")},
      {"fewer rounds", replaced("i=600000", "i=1000")},
      {"implausibly many rounds", replaced("i=600000", "i=999999999")},
      {"rounds with a leading zero", replaced("i=600000", "i=0600000")},
      {"rounds not a number", replaced("i=600000", "i=6e5")},
      {"salt with padding", replaced("DQ4PEA$", "DQ4PEA==$")},
      {"hash too short", good.substr(0, good.size() - 4)},
      {"no hash", good.substr(0, good.rfind('$'))},
      {"not base64", replaced("$4Jca", "$4J*a")},
  };
  for (const auto& [what, stored] : cases) {
    EXPECT_FALSE(storage::VerifyPassword(kKnownPassword, stored).value()) << what << ": " << stored;
  }
}

TEST(PasswordTest, NewPasswordRules) {
  struct Case {
    std::string password;
    bool allowed;
    std::string words;  // in the refusal
  };
  const std::vector<Case> cases = {
      {"", false, "leeg"},
      {"kort", false, "te kort (4 tekens)"},
      {"elf tekens!", false, "te kort (11 tekens)"},
      {"twaalf tekens", true, ""},
      {"twaalf\ttekens", false, "stuurteken"},
      {"met een\nnieuwe regel", false, "stuurteken"},
      {std::string("nul\0byte in het midden", 22), false, "stuurteken"},
      {"\xff\xfe ongeldige utf-8 tekens", false, "UTF-8"},
      // Characters, not bytes, are counted: 12 characters, 24 bytes.
      {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
       "\xc3\xa9",
       true, ""},
      {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
       false, "te kort (11 tekens)"},
      {std::string(1024, 'a'), true, ""},
      {std::string(1025, 'a'), false, "te lang"},
  };
  for (const Case& c : cases) {
    const Status status = storage::CheckNewPassword(c.password);
    EXPECT_EQ(status.ok(), c.allowed) << "'" << c.password << "'";
    if (!c.allowed) {
      EXPECT_EQ(status.code(), Code::kInvalidArgument);
      EXPECT_NE(status.message().find(c.words), std::string::npos) << status.message();
    }
  }
}

TEST(PasswordTest, InitialPasswordsAreRandomAndFollowTheRules) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string password = storage::NewInitialPassword().value();
    EXPECT_TRUE(std::regex_match(password, std::regex("[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}")))
        << password;
    EXPECT_TRUE(storage::CheckNewPassword(password).ok()) << password;
    seen.insert(password);
  }
  EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace navolg
