// Signed checkpoints: the last line of an export, in which navolg vouches with its Ed25519
// key for the head of a process's hash chain at a moment (docs/audit-format.md has the
// format for auditors, with the steps to check it in any language).
//
// A checkpoint is a JSON object with exactly these members, one line of the export in the
// canonical form of RFC 8785:
//   algorithm   "Ed25519"
//   at          when it was signed, UTC with milliseconds: "2026-11-28T17:00:00.000Z"
//   format      "navolg-checkpoint/1"; an event never has a `format` member, so this is what
//               tells a checkpoint line from an event line
//   head        the `hash` of the last event (64 lowercase hex digits)
//   key_id      lowercase hex SHA-256 of the raw 32-byte public key that verifies it
//   process_id  the process
//   seq         the `seq` of the last event
//   signature   base64 (RFC 4648, with padding) of the 64-byte Ed25519 signature over the
//               canonical form of the object without `signature`
//
// Pure functions over values; thread-safe. The time is the caller's: the engine has no clock.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/calendar.h"
#include "engine/ed25519.h"
#include "engine/status.h"

namespace navolg {

inline constexpr const char* kCheckpointFormat = "navolg-checkpoint/1";
inline constexpr const char* kCheckpointAlgorithm = "Ed25519";

struct Checkpoint {
  std::string process_id;
  std::int64_t seq = 0;
  std::string head;
  Time at{};
  std::string key_id;
  std::string signature;  // base64; empty until signed

  bool operator==(const Checkpoint&) const = default;
};

// The signed bytes: the canonical form of the checkpoint without `signature`. Fails with
// kInvalidArgument (English message) if a member cannot be written in the format: a string
// that is not valid UTF-8, seq outside 1..2^53 - 1, or `at` outside the years 0000..9999.
Result<std::string> CheckpointSigningInput(const Checkpoint& checkpoint);

// The export line: the canonical form with `signature`, without a line ending. Fails as
// CheckpointSigningInput does.
Result<std::string> CheckpointLine(const Checkpoint& checkpoint);

// A checkpoint for (process_id, seq, head) at `at`, signed with `key`: key_id and signature
// filled in. Fails with kInvalidArgument if head is not 64 lowercase hex digits or as
// CheckpointSigningInput does, with kInternal if signing does.
Result<Checkpoint> SignCheckpoint(const SigningKey& key, std::string process_id, std::int64_t seq,
                                  std::string head, Time at);

// Whether `j` is meant as a checkpoint: an object with a `format` member. Such a line is
// then read with CheckpointFromJson, never as an event.
bool IsCheckpointObject(const nlohmann::json& j);

// Reads a checkpoint strictly: exactly the eight members above, each of its type and form
// (format and algorithm with exactly those values; signature the base64 of 64 bytes).
// Fails with kInvalidArgument and a Dutch message naming the member. Checks no signature.
Result<Checkpoint> CheckpointFromJson(const nlohmann::json& j);

// Ok if `checkpoint` was signed with the private half of `key`: its key_id is key.id() and
// its signature verifies over CheckpointSigningInput. Otherwise kFailedPrecondition with a
// Dutch message for an auditor saying which of the two failed.
Status VerifyCheckpoint(const Checkpoint& checkpoint, const PublicKey& key);

}  // namespace navolg
