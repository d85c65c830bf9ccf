#include "engine/ed25519.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <climits>
#include <utility>

#include "engine/sha256.h"

namespace navolg {
namespace {

// OpenSSL reports failures on a per-thread error queue; a failure handled here must not be
// left behind for an unrelated later call to find.
Status OpenSslFailure(const char* what) {
  ERR_clear_error();
  return Status(Code::kInternal, std::string("Ed25519 via OpenSSL: ") + what + " failed");
}

Status Invalid(std::string message) {
  ERR_clear_error();
  return Status(Code::kInvalidArgument, std::move(message));
}

std::shared_ptr<evp_pkey_st> Own(EVP_PKEY* key) {
  return std::shared_ptr<evp_pkey_st>(key, &EVP_PKEY_free);
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using OwnedBio = std::unique_ptr<BIO, BioDeleter>;

struct ContextDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using OwnedContext = std::unique_ptr<EVP_MD_CTX, ContextDeleter>;

OwnedBio ReadBio(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  return OwnedBio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// What a memory BIO holds.
std::string Contents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

// Never asks anybody for a pass phrase: an encrypted key simply fails to load.
int NoPassPhrase(char*, int, int, void*) { return -1; }

bool IsEd25519(EVP_PKEY* key) { return EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519; }

}  // namespace

Result<PublicKey> PublicKey::FromKey(std::shared_ptr<evp_pkey_st> key) {
  PublicKey public_key;
  public_key.raw_.resize(kEd25519PublicKeySize);
  std::size_t length = public_key.raw_.size();
  if (EVP_PKEY_get_raw_public_key(
          key.get(), reinterpret_cast<unsigned char*>(public_key.raw_.data()), &length) != 1 ||
      length != kEd25519PublicKeySize) {
    return OpenSslFailure("EVP_PKEY_get_raw_public_key");
  }
  OwnedBio out(BIO_new(BIO_s_mem()));
  if (out == nullptr || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) {
    return OpenSslFailure("PEM_write_bio_PUBKEY");
  }
  public_key.pem_ = Contents(out.get());
  auto id = Sha256Hex(public_key.raw_);
  if (!id.ok()) return id.status();
  public_key.id_ = std::move(id).value();
  // Only the public half is kept: a PublicKey never holds a private key.
  EVP_PKEY* public_only = EVP_PKEY_new_raw_public_key_ex(
      nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char*>(public_key.raw_.data()),
      public_key.raw_.size());
  if (public_only == nullptr) return OpenSslFailure("EVP_PKEY_new_raw_public_key_ex");
  public_key.key_ = Own(public_only);
  return public_key;
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  OwnedBio in = ReadBio(pem);
  if (in == nullptr) return Invalid("de openbare sleutel is te groot");
  EVP_PKEY* key = PEM_read_bio_PUBKEY(in.get(), nullptr, &NoPassPhrase, nullptr);
  if (key == nullptr) {
    return Invalid(
        "geen openbare sleutel in PEM-vorm gevonden (verwacht \"-----BEGIN PUBLIC KEY-----\")");
  }
  std::shared_ptr<evp_pkey_st> owned = Own(key);
  if (!IsEd25519(key)) return Invalid("de openbare sleutel is geen Ed25519-sleutel");
  return FromKey(std::move(owned));
}

bool PublicKey::Verifies(std::string_view message, std::string_view signature) const {
  if (signature.size() != kEd25519SignatureSize) return false;
  OwnedContext ctx(EVP_MD_CTX_new());
  // Ed25519 hashes the message itself (PureEdDSA): no digest, one-shot only.
  const bool valid =
      ctx != nullptr &&
      EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, key_.get(), nullptr) ==
          1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  return valid;
}

Result<SigningKey> SigningKey::FromKey(std::shared_ptr<evp_pkey_st> key) {
  Result<PublicKey> public_key = PublicKey::FromKey(key);
  if (!public_key.ok()) return public_key.status();
  SigningKey signing_key;
  signing_key.key_ = std::move(key);
  signing_key.public_key_ = std::move(*public_key);
  return signing_key;
}

Result<SigningKey> SigningKey::Generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) return OpenSslFailure("EVP_PKEY_Q_keygen");
  return FromKey(Own(key));
}

Result<SigningKey> SigningKey::FromPem(std::string_view pem) {
  OwnedBio in = ReadBio(pem);
  if (in == nullptr) return Invalid("de privesleutel is te groot");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(in.get(), nullptr, &NoPassPhrase, nullptr);
  if (key == nullptr) {
    return Invalid(
        "geen onversleutelde privesleutel in PEM-vorm gevonden (verwacht \"-----BEGIN PRIVATE "
        "KEY-----\")");
  }
  std::shared_ptr<evp_pkey_st> owned = Own(key);
  if (!IsEd25519(key)) return Invalid("de privesleutel is geen Ed25519-sleutel");
  return FromKey(std::move(owned));
}

Result<std::string> SigningKey::PrivatePem() const {
  OwnedBio out(BIO_new(BIO_s_mem()));
  if (out == nullptr ||
      PEM_write_bio_PrivateKey(out.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslFailure("PEM_write_bio_PrivateKey");
  }
  return Contents(out.get());
}

Result<std::string> SigningKey::Sign(std::string_view message) const {
  OwnedContext ctx(EVP_MD_CTX_new());
  std::string signature(kEd25519SignatureSize, '\0');
  std::size_t length = signature.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, key_.get(), nullptr) !=
          1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      length != kEd25519SignatureSize) {
    return OpenSslFailure("EVP_DigestSign");
  }
  return signature;
}

}  // namespace navolg
