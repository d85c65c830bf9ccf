// The Borgingshuis view (domain.md): per cell of level x role, the organisation's indicators
// (how many of its processes meet each check placed in that cell) and the improvement points
// its evaluations placed there. docs/borgingshuis.md defines every indicator.
//
// Pure: it places counts of per-process findings (engine/report.h) that storage keeps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/definition.h"
#include "engine/report.h"

namespace navolg {

inline constexpr std::size_t kMaxPointsPerCell = 50;

struct PlacedImprovementPoint {
  std::string text;
  std::string process_id;
  std::string process_title;
  std::int64_t seq = 0;
};

// What storage keeps for an organisation's Borgingshuis: counts that the write path updates
// with every command, and a cell's newest improvement points. Never a row per process.
struct BorgingshuisFindings {
  // Processes with findings (process_findings rows).
  std::int64_t processes = 0;
  // How many processes of a workflow have a status for a check.
  struct StatusCount {
    std::string workflow_key;
    std::string check_key;
    CheckStatus status = CheckStatus::kNietVanToepassing;
    std::int64_t processes = 0;
  };
  std::vector<StatusCount> statuses;
  // A cell's improvement points: how many, and the newest (newest processes first, each
  // process's points in their order; at most kMaxPointsPerCell).
  struct CellPoints {
    BorgingshuisCell cell;
    std::int64_t total = 0;
    std::vector<PlacedImprovementPoint> newest;
  };
  std::vector<CellPoints> points;  // a cell without points may be absent
};

struct Indicator {
  std::string workflow_key;
  std::string workflow_title;
  std::string check_key;
  std::string title;
  std::int64_t voldaan = 0;
  std::int64_t niet_voldaan = 0;
  std::int64_t niet_van_toepassing = 0;
  // voldaan / (voldaan + niet_voldaan) in whole percents, rounded half up; none when no
  // process has reached the check yet.
  std::optional<std::int64_t> percentage;
};

// voldaan / (voldaan + niet_voldaan) in whole percents, rounded half up; none when both are 0.
std::optional<std::int64_t> IndicatorPercentage(std::int64_t voldaan, std::int64_t niet_voldaan);

enum class Signal { kGroen, kOranje, kRood, kGrijs };
const char* SignalName(Signal signal);  // "groen", "oranje", "rood", "grijs"

struct BorgingshuisCellView {
  BorgingshuisCell cell;
  std::vector<Indicator> indicators;  // in definition order, workflows by key
  // The lowest percentage of the cell's indicators: groen >= 80, oranje >= 50, rood below;
  // grijs when no indicator has a percentage.
  Signal signal = Signal::kGrijs;
  std::vector<PlacedImprovementPoint>
      improvement_points;  // newest processes first, at most kMaxPointsPerCell
  std::int64_t improvement_points_total = 0;
};

struct BorgingshuisView {
  std::int64_t processes = 0;
  std::vector<BorgingshuisCellView> cells;  // 9: levels organisatie, vraagstuk, gesprek, each
                                            // by roles bestuur, manager, adviseur
};

// `definitions`: every known version of every workflow; a check's title and cell come from
// the highest version that has it. Counts of unknown workflows or checks, and points of
// unknown cells, are counted nowhere.
BorgingshuisView BuildBorgingshuis(const std::vector<const Definition*>& definitions,
                                   const BorgingshuisFindings& findings);

// An indicator as the Borgingshuis shows it: its workflow, check and cell, from the highest
// version of the workflow that has the check; none when no version has it in a cell.
struct IndicatorSpec {
  std::string workflow_key;
  std::string workflow_title;
  std::string check_key;
  std::string title;
  BorgingshuisCell cell;
};
std::optional<IndicatorSpec> FindIndicator(const std::vector<const Definition*>& definitions,
                                           const std::string& workflow_key,
                                           const std::string& check_key);

}  // namespace navolg
