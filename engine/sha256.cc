#include "engine/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace navolg {
namespace {

Status Failed(const char* what) {
  return Status(Code::kInternal, std::string("SHA-256 via OpenSSL failed: ") + what);
}

// Fetching the algorithm by name costs far more than hashing a short event, so it is done
// once per process; the fetched EVP_MD is immutable and may be shared between threads.
// Null when OpenSSL has no SHA-256 (every call then fails the same way).
const EVP_MD* Sha256() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct ContextDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// A digest context is not thread-safe but is reusable, so each thread keeps one. Null when
// there was no memory for it.
EVP_MD_CTX* ThreadContext() {
  thread_local const std::unique_ptr<EVP_MD_CTX, ContextDeleter> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

}  // namespace

Result<std::string> Sha256Hex(std::string_view bytes) {
  const EVP_MD* md = Sha256();
  if (md == nullptr) return Failed("EVP_MD_fetch");
  EVP_MD_CTX* ctx = ThreadContext();
  if (ctx == nullptr) return Failed("EVP_MD_CTX_new");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, digest, &length) != 1 || length != 32) {
    return Failed("digest");
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
