// The Borgingshuis view (domain.md): per cell of level x role, the organisation's indicators
// (how many of its processes meet each check placed in that cell) and the improvement points
// its evaluations placed there. docs/borgingshuis.md defines every indicator.
//
// Pure: it aggregates per-process findings (engine/report.h) that storage keeps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/definition.h"
#include "engine/report.h"

namespace navolg {

// One process's findings as storage keeps them (process_findings).
struct ProcessFindings {
  std::string process_id;
  std::string process_title;  // needed only where improvement_points is non-empty
  std::string workflow_key;
  std::string statuses;            // EncodeStatuses
  std::string improvement_points;  // EncodeImprovementPoints, or empty
  // How many processes the row counts: storage hands the statuses over as one row per
  // distinct workflow and statuses (process_id empty), and the improvement points as rows of
  // their own that count 0.
  std::int64_t processes = 1;
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

struct PlacedImprovementPoint {
  std::string text;
  std::string process_id;
  std::string process_title;
  std::int64_t seq = 0;
};

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

inline constexpr std::size_t kMaxPointsPerCell = 50;

struct BorgingshuisView {
  std::int64_t processes = 0;
  std::vector<BorgingshuisCellView> cells;  // 9: levels organisatie, vraagstuk, gesprek, each
                                            // by roles bestuur, manager, adviseur
};

// `definitions`: every known version of every workflow; a check's title and cell come from
// the highest version that has it. Rows of unknown workflows or checks are counted nowhere.
BorgingshuisView BuildBorgingshuis(const std::vector<const Definition*>& definitions,
                                   const std::vector<ProcessFindings>& rows);

}  // namespace navolg
