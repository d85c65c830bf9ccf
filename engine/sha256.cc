#include "engine/sha256.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include <openssl/evp.h>

namespace navolg {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "navolg: SHA-256 via OpenSSL failed: %s\n", what);
  std::abort();
}

// Fetching the algorithm by name costs far more than hashing a short event, so it is done
// once per process; the fetched EVP_MD is immutable and may be shared between threads.
const EVP_MD* Sha256() {
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) Die("EVP_MD_fetch");
    return fetched;
  }();
  return md;
}

struct ContextDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// A digest context is not thread-safe but is reusable, so each thread keeps one.
EVP_MD_CTX* ThreadContext() {
  thread_local const std::unique_ptr<EVP_MD_CTX, ContextDeleter> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) Die("EVP_MD_CTX_new");
  return ctx.get();
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  EVP_MD_CTX* ctx = ThreadContext();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestInit_ex2(ctx, Sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, digest, &length) != 1 || length != 32) {
    Die("digest");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(64, '\0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace navolg
