#include "engine/checkpoint.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "engine/base64.h"
#include "engine/canonical_json.h"

namespace navolg {
namespace {

using Json = nlohmann::json;

bool IsLowerHex64(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The checkpoint as a JSON object, with `signature` only when asked for.
Result<Json> ToJson(const Checkpoint& checkpoint, bool with_signature) {
  if (checkpoint.seq < 1 || checkpoint.seq > kMaxSafeInteger) {
    return Status(Code::kInvalidArgument, "checkpoint seq is outside 1..2^53 - 1");
  }
  const std::string at = FormatTime(checkpoint.at);
  if (ParseTime(at) != checkpoint.at) {
    return Status(Code::kInvalidArgument, "checkpoint at lies outside the years 0000..9999");
  }
  Json j = {{"algorithm", kCheckpointAlgorithm},
            {"at", at},
            {"format", kCheckpointFormat},
            {"head", checkpoint.head},
            {"key_id", checkpoint.key_id},
            {"process_id", checkpoint.process_id},
            {"seq", checkpoint.seq}};
  if (with_signature) j["signature"] = checkpoint.signature;
  return j;
}

Result<std::string> Serialise(const Checkpoint& checkpoint, bool with_signature) {
  Result<Json> j = ToJson(checkpoint, with_signature);
  if (!j.ok()) return j.status();
  Result<std::string> canonical = Canonicalize(*j);
  if (!canonical.ok()) {
    return Status(Code::kInvalidArgument, "checkpoint: " + canonical.status().message());
  }
  return canonical;
}

Status Invalid(std::string message) { return Status(Code::kInvalidArgument, std::move(message)); }

// The format checks of CheckpointFromJson: the Dutch reason, or "" if `j` is well-formed.
std::string FormatProblem(const Json& j) {
  static constexpr std::array<const char*, 8> kMembers = {
      "algorithm", "at", "format", "head", "key_id", "process_id", "seq", "signature"};
  if (!j.is_object()) return "een checkpoint moet een JSON-object zijn";
  for (const auto& [name, value] : j.items()) {
    bool known = false;
    for (const char* member : kMembers) known = known || name == member;
    if (!known) {
      std::string quoted;
      if (!AppendCanonicalString(name, quoted).ok()) quoted = "(naam in ongeldige UTF-8)";
      return "onbekend lid " + quoted + " in het checkpoint";
    }
  }
  for (const char* member : kMembers) {
    if (!j.contains(member)) {
      return std::string("het lid \"") + member + "\" ontbreekt in het checkpoint";
    }
  }
  const auto text = [&j](const char* member) -> const std::string* {
    const Json& value = j.at(member);
    return value.is_string() ? value.get_ptr<const std::string*>() : nullptr;
  };
  if (const std::string* format = text("format");
      format == nullptr || *format != kCheckpointFormat) {
    return std::string("onbekend checkpointformaat (verwacht \"format\":\"") + kCheckpointFormat +
           "\")";
  }
  if (const std::string* algorithm = text("algorithm");
      algorithm == nullptr || *algorithm != kCheckpointAlgorithm) {
    return std::string("onbekend algoritme in het checkpoint (verwacht \"algorithm\":\"") +
           kCheckpointAlgorithm + "\")";
  }
  if (const std::string* at = text("at"); at == nullptr || !ParseTime(*at).has_value()) {
    return R"("at" van het checkpoint moet een tijdstip in UTC zijn in de vorm )"
           R"("2026-11-28T17:00:00.000Z")";
  }
  for (const char* member : {"head", "key_id"}) {
    if (const std::string* value = text(member); value == nullptr || !IsLowerHex64(*value)) {
      return std::string("\"") + member +
             "\" van het checkpoint moet 64 hexadecimale tekens zijn (0-9, a-f)";
    }
  }
  if (text("process_id") == nullptr) return R"("process_id" van het checkpoint moet tekst zijn)";
  const Json& seq = j.at("seq");
  const bool seq_ok =
      seq.is_number_integer() &&
      (seq.is_number_unsigned()
           ? seq.get<std::uint64_t>() >= 1 &&
                 seq.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxSafeInteger)
           : seq.get<std::int64_t>() >= 1 && seq.get<std::int64_t>() <= kMaxSafeInteger);
  if (!seq_ok) {
    return R"("seq" van het checkpoint moet een geheel getal zijn van 1 tot en met )"
           "9007199254740991";
  }
  const std::string* signature = text("signature");
  const std::optional<std::string> bytes =
      signature == nullptr ? std::nullopt : Base64Decode(*signature);
  if (!bytes || bytes->size() != kEd25519SignatureSize) {
    return R"("signature" van het checkpoint moet de base64-vorm (met opvulling '=') van 64 )"
           "bytes zijn";
  }
  return "";
}

}  // namespace

Result<std::string> CheckpointSigningInput(const Checkpoint& checkpoint) {
  return Serialise(checkpoint, /*with_signature=*/false);
}

Result<std::string> CheckpointLine(const Checkpoint& checkpoint) {
  return Serialise(checkpoint, /*with_signature=*/true);
}

Result<Checkpoint> SignCheckpoint(const SigningKey& key, std::string process_id, std::int64_t seq,
                                  std::string head, Time at) {
  if (!IsLowerHex64(head)) {
    return Status(Code::kInvalidArgument, "checkpoint head is not 64 lowercase hex digits");
  }
  Checkpoint checkpoint{std::move(process_id), seq, std::move(head), at, key.public_key().id(), ""};
  Result<std::string> input = CheckpointSigningInput(checkpoint);
  if (!input.ok()) return input.status();
  Result<std::string> signature = key.Sign(*input);
  if (!signature.ok()) return signature.status();
  checkpoint.signature = Base64Encode(*signature);
  return checkpoint;
}

bool IsCheckpointObject(const nlohmann::json& j) { return j.is_object() && j.contains("format"); }

Result<Checkpoint> CheckpointFromJson(const nlohmann::json& j) {
  if (std::string problem = FormatProblem(j); !problem.empty()) return Invalid(problem);
  // FormatProblem found every member present and of its form.
  Checkpoint checkpoint;
  checkpoint.process_id = j.at("process_id").get<std::string>();
  checkpoint.seq = j.at("seq").get<std::int64_t>();
  checkpoint.head = j.at("head").get<std::string>();
  checkpoint.at = *ParseTime(j.at("at").get<std::string>());
  checkpoint.key_id = j.at("key_id").get<std::string>();
  checkpoint.signature = j.at("signature").get<std::string>();
  return checkpoint;
}

Status VerifyCheckpoint(const Checkpoint& checkpoint, const PublicKey& key) {
  const auto refuse = [](std::string message) {
    return Status(Code::kFailedPrecondition, std::move(message));
  };
  if (checkpoint.key_id != key.id()) {
    return refuse("het checkpoint is ondertekend met een andere sleutel (key_id " +
                  checkpoint.key_id + ") dan de opgegeven openbare sleutel (key_id " + key.id() +
                  ")");
  }
  Result<std::string> input = CheckpointSigningInput(checkpoint);
  const std::optional<std::string> signature = Base64Decode(checkpoint.signature);
  if (!input.ok() || !signature || !key.Verifies(*input, *signature)) {
    return refuse(
        "de handtekening van het checkpoint klopt niet met de opgegeven openbare sleutel (het "
        "checkpoint of de keten is na het ondertekenen gewijzigd)");
  }
  return Status::Ok();
}

}  // namespace navolg
