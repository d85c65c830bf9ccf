// The checkpoints navolg has signed (engine/checkpoint.h), kept in the database so that an
// auditor can compare what they were given before with what they get now, and so that navolg
// itself never vouches for a chain that was rewritten after it signed an earlier head.
//
// A checkpoint is kept once per (process, seq, key): asking again for the same head with the
// same key gives the checkpoint signed the first time (same `at`, same signature), not a new
// one per request. Before signing, every kept checkpoint of the process must still match: the
// event at its seq must still have its head as hash. Otherwise the chain was rewritten (even
// if re-hashed throughout), and navolg refuses to sign.
//
// The writes go through the group committer (one writer) or, for the command line, on the
// connection it holds. Thread-safe as the committer and a Connection are.
#pragma once

#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/checkpoint.h"
#include "engine/ed25519.h"
#include "engine/status.h"
#include "storage/connection.h"

namespace navolg::storage {

class GroupCommitter;

// The checkpoint line (ending in "\n") that ends `export_text`, an export without a
// checkpoint of a process in this database, as ReadStore::ExportTrail writes it: the kept
// one for its head and the key, or one signed now with `key` at `at` and kept. Fails with
// kDataLoss when the export is not intact (as CheckpointLineForExport), with
// kFailedPrecondition and a Dutch message naming the seq, both hashes and when the earlier
// checkpoint was signed when the stored chain no longer matches a kept checkpoint, or as the
// database does.
Result<std::string> KeepCheckpoint(GroupCommitter& writer, const std::string& export_text,
                                   const SigningKey& key, Time at);
Result<std::string> KeepCheckpoint(Connection& connection, const std::string& export_text,
                                   const SigningKey& key, Time at);

// The kept checkpoints of process `id`, by seq, then key; empty when there are none. The
// caller has checked that the process may be read.
Result<std::vector<Checkpoint>> KeptCheckpoints(const Connection& connection,
                                                const std::string& id);

}  // namespace navolg::storage
