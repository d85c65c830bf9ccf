// Ed25519 keys and signatures (RFC 8032), as the signed checkpoints of an export use them
// (engine/checkpoint.h, docs/audit-format.md). A thin wrapper over OpenSSL's libcrypto; no
// OpenSSL header leaks out of this file.
//
// Keys travel as PEM, the forms `openssl genpkey -algorithm ed25519` and `openssl pkey
// -pubout` write: a private key as PKCS#8 ("-----BEGIN PRIVATE KEY-----"), a public key as
// SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----"). A key's id is the lowercase hex SHA-256
// of its raw 32-byte public key.
//
// Keys are immutable values once they exist and may be shared between threads. Everything
// here is pure except SigningKey::Generate, which draws from OpenSSL's random generator.
// Failures are kInvalidArgument with a Dutch message, or kInternal when OpenSSL itself fails.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "engine/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace navolg {

// Bytes in a raw Ed25519 public key and in a signature.
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

class PublicKey {
 public:
  // Reads a PEM SubjectPublicKeyInfo holding an Ed25519 key (the first PEM block of `pem`).
  // Fails with kInvalidArgument if there is none or it holds another kind of key.
  static Result<PublicKey> FromPem(std::string_view pem);

  // The 32 raw bytes of the key.
  const std::string& raw() const { return raw_; }
  // Lowercase hex SHA-256 of raw().
  const std::string& id() const { return id_; }
  // The key as PEM SubjectPublicKeyInfo, ending in "\n".
  const std::string& pem() const { return pem_; }

  // Whether `signature` (64 raw bytes) is this key's Ed25519 signature of `message`.
  bool Verifies(std::string_view message, std::string_view signature) const;

 private:
  friend class SigningKey;
  PublicKey() = default;
  static Result<PublicKey> FromKey(std::shared_ptr<evp_pkey_st> key);

  std::shared_ptr<evp_pkey_st> key_;
  std::string raw_;
  std::string id_;
  std::string pem_;
};

class SigningKey {
 public:
  // A new random key.
  static Result<SigningKey> Generate();
  // Reads a PEM private key (PKCS#8) holding an Ed25519 key. An encrypted key is refused
  // (there is nobody to ask for its pass phrase), as is any other kind of key.
  static Result<SigningKey> FromPem(std::string_view pem);

  // The private key as PEM PKCS#8, unencrypted, ending in "\n". Write it only to a file
  // nobody else can read.
  Result<std::string> PrivatePem() const;

  const PublicKey& public_key() const { return public_key_; }

  // The 64-byte Ed25519 signature of `message`. Fails (kInternal) only if OpenSSL does.
  Result<std::string> Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  static Result<SigningKey> FromKey(std::shared_ptr<evp_pkey_st> key);

  std::shared_ptr<evp_pkey_st> key_;  // OpenSSL wipes the private key when it frees it
  PublicKey public_key_;
};

}  // namespace navolg
