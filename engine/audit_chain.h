// The audit chain: canonical bytes, hashes and verification of a process's event trail
// (architecture.md, "The audit trail").
//
// An event's hash is the lowercase hex SHA-256 of its canonical form (RFC 8785) without the
// `hash` member; each event's `prev` is the previous event's hash (64 zeros for seq 1). An
// export is JSON Lines: per line the canonical form *with* `hash`, in seq order, each line
// ending in "\n", optionally followed by one last line: a signed checkpoint
// (engine/checkpoint.h) over the chain's head. Everything here is pure and thread-safe;
// VerifyExport only reads the stream it is given.
#pragma once

#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/checkpoint.h"
#include "engine/ed25519.h"
#include "engine/event.h"
#include "engine/status.h"

namespace navolg {

// The canonical serialisation of `e` without `hash`: the bytes that are hashed. Members in
// RFC 8785 order: actor{role,user}, at, data, prev, process_id, seq, type. Fails with
// kInvalidArgument (English message) if the event cannot be written in the trail's format:
// `data` is not an object or holds a floating-point number, an integer outside
// +-(2^53 - 1) or invalid UTF-8; a string member is not valid UTF-8; `seq` is outside
// +-(2^53 - 1); or `at` lies outside the years 0000..9999.
Result<std::string> CanonicalEvent(const Event& e);

// The canonical serialisation of `e` with `hash` (between data and prev), without a line
// ending: one line of an export. Writes e.hash as it is, so export only sealed events. Fails
// as CanonicalEvent does, or if e.hash is not valid UTF-8.
Result<std::string> ExportLine(const Event& e);

// Sets e.hash to the SHA-256 of CanonicalEvent(e). Fails with kInvalidArgument, leaving `e`
// unchanged, if CanonicalEvent fails, seq is below 1, or prev is not 64 lowercase hex digits.
Status SealEvent(Event& e);

// Whether e.hash is the SHA-256 of CanonicalEvent(e): ok, or kDataLoss with a Dutch reason
// naming the event's seq and both hashes. For events read back from storage.
Status VerifySeal(const Event& e);

// The event as a JSON object with all eight members, including `hash`.
nlohmann::json EventToJson(const Event& e);

// Reads an event strictly: `j` must be an object with exactly the members actor (an object
// with exactly the string members role and user), at (a string ParseTime accepts), data (an
// object), hash and prev (64 lowercase hex digits each), process_id and type (strings) and seq
// (an integer from 1 to 2^53 - 1). Fails with kInvalidArgument and a Dutch message naming the
// member. Does not check `data` for values CanonicalEvent refuses, nor anything about the
// chain (seq order, prev, hash).
Result<Event> EventFromJson(const nlohmann::json& j);

// The verdict on one exported trail.
struct VerifyReport {
  bool intact = false;
  // Events verified: all of them if intact, otherwise those before bad_line. A checkpoint
  // line is not an event.
  std::int64_t events = 0;
  // The process of the trail, from line 1 once that line verified; empty otherwise.
  std::string process_id;
  // The hash of the last verified event (the chain's head if intact); empty if none.
  std::string head_hash;
  // The 1-based line at which verification stopped; 0 if intact. An empty file reports 1.
  std::int64_t bad_line = 0;
  // Why, in Dutch for an auditor, e.g. "regel 3: de hash klopt niet (berekend ..., in het
  // bestand ...)"; empty if intact.
  std::string reason;
  // The checkpoint on the last line, if the export has one and it agrees with the chain.
  std::optional<Checkpoint> checkpoint;
  // Whether the checkpoint's signature was verified with a public key (only VerifyExport with
  // a key does that; without one an intact export's checkpoint is consistent but unproven).
  bool signature_verified = false;
};

// Verifies an export read from `in` and stops at the first bad line. A line is good when it
// is JSON; is an event EventFromJson accepts; is byte for byte its own canonical
// serialisation (ExportLine); has seq equal to its line number; has the process_id of line 1;
// has prev equal to the previous line's hash (64 zeros on line 1); has a hash equal to the
// recomputed one; and ends in "\n" (a last line without it means the file was cut off). An
// empty file is not intact.
//
// A line whose object has a `format` member is a checkpoint (IsCheckpointObject). It may only
// be the last line, after at least one event, and is good when CheckpointFromJson accepts it,
// it is byte for byte its own canonical form (CheckpointLine), and its process_id, seq and
// head are those of the last event. Its signature is not checked here; an export without a
// checkpoint is intact as well.
VerifyReport VerifyExport(std::istream& in);

// VerifyExport, and moreover the export must end with a checkpoint whose signature
// VerifyCheckpoint accepts under `key`: a missing checkpoint, one signed with another key, or
// one whose signed members were changed (a chain rewritten and re-hashed, events cut off the
// end) makes the export not intact, with bad_line the checkpoint's line (or the line after
// the last event when it is missing).
VerifyReport VerifyExport(std::istream& in, const PublicKey& key);

// The checkpoint line (ending in "\n") that ends `export_text`, an export without a
// checkpoint, signed with `key` at `at`. navolg vouches only for a chain it has verified
// itself: fails with kDataLoss and a Dutch message naming the bad line if VerifyExport does
// not find `export_text` intact, or if it already ends with a checkpoint; with kInternal if
// signing fails.
Result<std::string> CheckpointLineForExport(const std::string& export_text, const SigningKey& key,
                                            Time at);

// A head of a process's chain that an auditor kept from earlier: a checkpoint navolg gave
// them, or the last event of an older export.
struct EarlierHead {
  std::string process_id;
  std::int64_t seq = 0;
  std::string hash;
  std::optional<Checkpoint> checkpoint;  // set when the head came from a checkpoint
};

// Reads an earlier head from `text`: one JSON object that is a checkpoint (IsCheckpointObject;
// as the last line of an export or an entry of GET .../checkpoints gives it), read with
// CheckpointFromJson; anything else is read as an export, which must verify intact
// (VerifyExport), and its last event is the head. Fails with kInvalidArgument and a Dutch
// message saying what is wrong with the text. Checks no signature.
Result<EarlierHead> ReadEarlierHead(const std::string& text);

// Ok when the chain in `export_text` (an export the caller verified intact) still holds the
// earlier head: the same process, at least earlier.seq events, and the event at earlier.seq
// has earlier.hash. Otherwise kFailedPrecondition with a Dutch message for an auditor saying
// which: another process, events gone, or the hash at that seq changed (a rewritten chain,
// even one re-hashed and signed anew).
Status VerifySince(const std::string& export_text, const EarlierHead& earlier);

}  // namespace navolg
