// The stored form of a ProcessState: what storage keeps as the projection of a process after
// every command (the `process_snapshots` table), so that a read costs the same for the
// thousandth version as for the first.
//
// EncodeState writes every member of the state except the content of the products' current
// versions (those texts can be large and are stored once, per version, in product_versions);
// DecodeState reads it back with each current version's content left null, for the caller to
// fill in. DecodeState(EncodeState(s)) equals s with those contents set to null. Pure and
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/process_state.h"
#include "engine/status.h"

namespace navolg {

// The format version written as member "v"; DecodeState refuses any other.
inline constexpr int kStateCodecVersion = 1;

nlohmann::json EncodeState(const ProcessState& state);

// Fails with kDataLoss (English message) on anything EncodeState would not have written.
Result<ProcessState> DecodeState(const nlohmann::json& encoded);

}  // namespace navolg
