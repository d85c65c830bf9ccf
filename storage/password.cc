#include "storage/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <optional>
#include <vector>

#include "engine/base64.h"

namespace navolg::storage {
namespace {

constexpr std::string_view kPrefix = "$pbkdf2-sha256$i=";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
// A stored count beyond this is damage, not caution: it would tie up a thread for minutes.
constexpr std::int64_t kMaxIterations = 10'000'000;

Status OpenSslFailed(const char* what) {
  return Status(Code::kInternal, std::string("OpenSSL ") + what + " failed");
}

// Fails when OpenSSL does (out of memory, a broken provider): nothing sensible to compare.
Result<std::string> Pbkdf2(std::string_view password, std::string_view salt,
                           std::int64_t iterations) {
  std::string hash(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                        static_cast<int>(hash.size()),
                        reinterpret_cast<unsigned char*>(hash.data())) != 1) {
    return OpenSslFailed("PKCS5_PBKDF2_HMAC");
  }
  return hash;
}

std::string Unpadded(std::string text) {
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

std::optional<std::string> DecodeUnpadded(std::string_view text) {
  if (text.find('=') != std::string_view::npos) return std::nullopt;
  std::string padded(text);
  while (padded.size() % 4 != 0) padded.push_back('=');
  return Base64Decode(padded);
}

struct StoredHash {
  std::int64_t iterations = 0;
  std::string salt;
  std::string hash;
};

std::optional<StoredHash> Parse(std::string_view stored) {
  if (stored.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  stored.remove_prefix(kPrefix.size());
  const std::size_t salt_start = stored.find('$');
  if (salt_start == std::string_view::npos) return std::nullopt;
  const std::size_t hash_start = stored.find('$', salt_start + 1);
  if (hash_start == std::string_view::npos) return std::nullopt;
  StoredHash parsed;
  const std::string_view count = stored.substr(0, salt_start);
  const auto [end, error] =
      std::from_chars(count.data(), count.data() + count.size(), parsed.iterations);
  if (error != std::errc() || end != count.data() + count.size() || count.front() == '0' ||
      parsed.iterations < kPasswordIterations || parsed.iterations > kMaxIterations) {
    return std::nullopt;
  }
  auto salt = DecodeUnpadded(stored.substr(salt_start + 1, hash_start - salt_start - 1));
  auto hash = DecodeUnpadded(stored.substr(hash_start + 1));
  if (!salt || salt->size() < kSaltBytes || !hash || hash->size() != kHashBytes) {
    return std::nullopt;
  }
  parsed.salt = std::move(*salt);
  parsed.hash = std::move(*hash);
  return parsed;
}

// The number of characters (code points) of valid UTF-8 without control characters;
// nullopt for anything else.
std::optional<std::size_t> PrintableCharacters(std::string_view text) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      length = 1;
      code = lead;
    } else if ((lead & 0xe0) == 0xc0) {
      length = 2;
      code = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
      code = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4;
      code = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + length > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return std::nullopt;
      code = (code << 6) | (next & 0x3f);
    }
    constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return std::nullopt;  // overlong, beyond Unicode, or a surrogate
    }
    if (code < 0x20 || code == 0x7f || (code >= 0x80 && code < 0xa0)) return std::nullopt;
    ++characters;
    i += length;
  }
  return characters;
}

}  // namespace

Status CheckNewPassword(std::string_view password) {
  if (password.empty()) {
    return Status(Code::kInvalidArgument, "Het wachtwoord is leeg; kies er een van minstens " +
                                              std::to_string(kMinPasswordCharacters) + " tekens.");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status(Code::kInvalidArgument, "Het wachtwoord is te lang (hoogstens " +
                                              std::to_string(kMaxPasswordBytes) + " bytes).");
  }
  const auto characters = PrintableCharacters(password);
  if (!characters) {
    return Status(Code::kInvalidArgument,
                  "Het wachtwoord bevat een stuurteken (zoals een tab) of is geen geldige "
                  "UTF-8-tekst; gebruik letters, cijfers, spaties en leestekens.");
  }
  if (*characters < kMinPasswordCharacters) {
    return Status(Code::kInvalidArgument,
                  "Het wachtwoord is te kort (" + std::to_string(*characters) +
                      " tekens); gebruik minstens " + std::to_string(kMinPasswordCharacters) +
                      " tekens, bijvoorbeeld een zin van een paar woorden.");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
      1) {
    return OpenSslFailed("RAND_bytes");
  }
  const auto hash = Pbkdf2(password, salt, kPasswordIterations);
  if (!hash.ok()) return hash.status();
  return std::string(kPrefix) + std::to_string(kPasswordIterations) + "$" +
         Unpadded(Base64Encode(salt)) + "$" + Unpadded(Base64Encode(*hash));
}

Result<bool> VerifyPassword(std::string_view password, std::string_view stored) {
  const auto parsed = Parse(stored);
  if (!parsed) return false;  // our own data, damaged: nothing to hide by timing
  const auto computed = Pbkdf2(password, parsed->salt, parsed->iterations);
  if (!computed.ok()) return computed.status();
  return CRYPTO_memcmp(computed->data(), parsed->hash.data(), kHashBytes) == 0;
}

Result<std::string> NewInitialPassword() {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";  // 32 characters
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return OpenSslFailed("RAND_bytes");
  std::string password;
  for (std::size_t i = 0; i < sizeof bytes; ++i) {
    if (i > 0 && i % 4 == 0) password.push_back('-');
    password.push_back(kAlphabet[bytes[i] % 32]);  // 256 is a multiple of 32: no bias
  }
  return password;
}

Status SpendPasswordTime(std::string_view password) {
  static constexpr char kSalt[kSaltBytes] = {'n', 'a', 'v', 'o', 'l', 'g', '-', 'n',
                                             'i', 'e', 'm', 'a', 'n', 'd', '-', '-'};
  return Pbkdf2(password, std::string_view(kSalt, kSaltBytes), kPasswordIterations).status();
}

}  // namespace navolg::storage
