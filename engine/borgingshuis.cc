#include "engine/borgingshuis.h"

#include <algorithm>
#include <map>

namespace navolg {
namespace {

std::size_t CellIndex(const BorgingshuisCell& cell) {
  const auto& levels = BorgingshuisLevels();
  const auto& roles = BorgingshuisRoles();
  const auto level = std::find(levels.begin(), levels.end(), cell.level) - levels.begin();
  const auto role = std::find(roles.begin(), roles.end(), cell.role) - roles.begin();
  if (level >= static_cast<std::ptrdiff_t>(levels.size()) ||
      role >= static_cast<std::ptrdiff_t>(roles.size())) {
    return levels.size() * roles.size();  // no cell
  }
  return static_cast<std::size_t>(level) * roles.size() + static_cast<std::size_t>(role);
}

Signal SignalOf(const std::vector<Indicator>& indicators) {
  std::optional<std::int64_t> lowest;
  for (const Indicator& indicator : indicators) {
    if (indicator.percentage && (!lowest || *indicator.percentage < *lowest)) {
      lowest = indicator.percentage;
    }
  }
  if (!lowest) return Signal::kGrijs;
  if (*lowest >= 80) return Signal::kGroen;
  if (*lowest >= 50) return Signal::kOranje;
  return Signal::kRood;
}

// Every version of every workflow, by key, each workflow's highest version first.
std::vector<const Definition*> NewestFirst(std::vector<const Definition*> definitions) {
  std::sort(definitions.begin(), definitions.end(), [](const Definition* a, const Definition* b) {
    return a->key != b->key ? a->key < b->key : a->version > b->version;
  });
  return definitions;
}

}  // namespace

const char* SignalName(Signal signal) {
  switch (signal) {
    case Signal::kGroen:
      return "groen";
    case Signal::kOranje:
      return "oranje";
    case Signal::kRood:
      return "rood";
    case Signal::kGrijs:
      return "grijs";
  }
  return "grijs";
}

std::optional<std::int64_t> IndicatorPercentage(std::int64_t voldaan, std::int64_t niet_voldaan) {
  const std::int64_t reached = voldaan + niet_voldaan;
  if (reached <= 0) return std::nullopt;
  return (voldaan * 200 + reached) / (2 * reached);
}

BorgingshuisView BuildBorgingshuis(const std::vector<const Definition*>& definitions,
                                   const BorgingshuisFindings& findings) {
  BorgingshuisView view;
  view.processes = findings.processes;
  for (const std::string& level : BorgingshuisLevels()) {
    for (const std::string& role : BorgingshuisRoles()) {
      view.cells.push_back(BorgingshuisCellView{BorgingshuisCell{level, role}, {}, {}, {}, {}});
    }
  }
  // The highest version of each workflow defines the indicators, in its order; checks that
  // only older versions have follow.
  std::map<std::pair<std::string, std::string>, std::pair<std::size_t, std::size_t>> where;
  for (const Definition* definition : NewestFirst(definitions)) {
    for (const CheckSpec& check : definition->checks) {
      const std::size_t cell = CellIndex(check.cell);
      if (cell >= view.cells.size() || where.count({definition->key, check.key})) continue;
      auto& indicators = view.cells[cell].indicators;
      where[{definition->key, check.key}] = {cell, indicators.size()};
      indicators.push_back(Indicator{definition->key, definition->title, check.key, check.title, 0,
                                     0, 0, std::nullopt});
    }
  }

  for (const BorgingshuisFindings::StatusCount& count : findings.statuses) {
    auto found = where.find({count.workflow_key, count.check_key});
    if (found == where.end()) continue;
    Indicator& indicator = view.cells[found->second.first].indicators[found->second.second];
    switch (count.status) {
      case CheckStatus::kVoldaan:
        indicator.voldaan += count.processes;
        break;
      case CheckStatus::kNietVoldaan:
        indicator.niet_voldaan += count.processes;
        break;
      case CheckStatus::kNietVanToepassing:
        indicator.niet_van_toepassing += count.processes;
        break;
    }
  }
  for (BorgingshuisCellView& cell : view.cells) {
    for (Indicator& indicator : cell.indicators) {
      indicator.percentage = IndicatorPercentage(indicator.voldaan, indicator.niet_voldaan);
    }
    cell.signal = SignalOf(cell.indicators);
  }

  for (const BorgingshuisFindings::CellPoints& points : findings.points) {
    const std::size_t index = CellIndex(points.cell);
    if (index >= view.cells.size()) continue;
    BorgingshuisCellView& cell = view.cells[index];
    cell.improvement_points_total += points.total;
    for (const PlacedImprovementPoint& point : points.newest) {
      if (cell.improvement_points.size() >= kMaxPointsPerCell) break;
      cell.improvement_points.push_back(point);
    }
  }
  return view;
}

std::optional<IndicatorSpec> FindIndicator(const std::vector<const Definition*>& definitions,
                                           const std::string& workflow_key,
                                           const std::string& check_key) {
  const std::size_t cells = BorgingshuisLevels().size() * BorgingshuisRoles().size();
  for (const Definition* definition : NewestFirst(definitions)) {
    if (definition->key != workflow_key) continue;
    for (const CheckSpec& check : definition->checks) {
      if (check.key != check_key) continue;
      if (CellIndex(check.cell) >= cells) return std::nullopt;
      return IndicatorSpec{definition->key, definition->title, check.key, check.title, check.cell};
    }
  }
  return std::nullopt;
}

}  // namespace navolg
