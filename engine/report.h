// The zorgvuldigheidsrapport (careful-process report): for one process, whether each check of
// its definition ("checks", docs/workflow-format.md) holds, and which events of the trail
// prove it. Computed from the trail alone, so an auditor's conclusion rests on the same
// events they can verify independently.
//
// Pure and thread-safe: no clock (the caller passes `now`), no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/event.h"
#include "engine/process_state.h"

namespace navolg {

enum class CheckStatus { kVoldaan, kNietVoldaan, kNietVanToepassing };

// "voldaan", "niet_voldaan", "niet_van_toepassing".
const char* CheckStatusName(CheckStatus status);
// The status of such a name; none for anything else.
std::optional<CheckStatus> CheckStatusNamed(std::string_view name);
// The status as one letter, as storage keeps it: 'v', 'n', 'x'; and back (none for another).
char StatusLetter(CheckStatus status);
std::optional<CheckStatus> StatusOfLetter(char letter);

struct Finding {
  std::string key;
  std::string title;
  std::optional<BorgingshuisCell> cell;  // none for the built-in chain check
  CheckStatus status = CheckStatus::kNietVanToepassing;
  std::string detail;                // Dutch, for the auditor
  std::vector<std::int64_t> events;  // seq numbers of the events that prove it, ascending
};

// The key of the built-in first finding: the trail's hash chain is intact.
inline constexpr std::string_view kChainCheckKey = "auditketen_intact";

// The definition's checks on `state` at `now`, in definition order.
std::vector<Finding> EvaluateChecks(const Definition& definition, const ProcessState& state,
                                    Time now);

struct CarefulnessReport {
  // The replay of the trail up to its first bad event (all of it when the chain is intact).
  ProcessState state;
  // The chain check first, then EvaluateChecks on `state`.
  std::vector<Finding> findings;
};

// Checks the trail's chain (seq without gaps, prev links, each hash recomputed) and evaluates
// the checks on what it replays to. Fails (kInternal) only when a hash cannot be computed.
Result<CarefulnessReport> BuildCarefulnessReport(const Definition& definition,
                                                 const std::vector<Event>& trail, Time now);

// The statuses of `findings` in a compact, stable text ("key=v;key=n;key=x": voldaan,
// niet_voldaan, niet_van_toepassing), for storage; Decode skips malformed entries.
std::string EncodeStatuses(const std::vector<Finding>& findings);
std::vector<std::pair<std::string, CheckStatus>> DecodeStatuses(std::string_view text);

// The improvement points (verbeterpunten) the process's evaluation placed in Borgingshuis
// cells (definition.improvement_points); empty when the definition names none.
struct ImprovementPoint {
  std::string text;
  BorgingshuisCell cell;
  std::int64_t seq = 0;  // the product.saved event of the evaluation version
};
std::vector<ImprovementPoint> ImprovementPoints(const Definition& definition,
                                                const ProcessState& state);

// Points in a compact, stable text for storage: one per line, "niveau TAB rol TAB seq TAB
// tekst", with backslash, tab and newline in the text escaped as \\, \t and \n. Decode
// skips malformed lines; with_text = false leaves each text empty (for counting).
std::string EncodeImprovementPoints(const std::vector<ImprovementPoint>& points);
std::vector<ImprovementPoint> DecodeImprovementPoints(std::string_view text, bool with_text = true);

}  // namespace navolg
