#include "engine/borgingshuis.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

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

BorgingshuisView BuildBorgingshuis(const std::vector<const Definition*>& definitions,
                                   const std::vector<ProcessFindings>& rows) {
  BorgingshuisView view;
  for (const std::string& level : BorgingshuisLevels()) {
    for (const std::string& role : BorgingshuisRoles()) {
      view.cells.push_back(BorgingshuisCellView{BorgingshuisCell{level, role}, {}, {}, {}, {}});
    }
  }
  // The highest version of each workflow defines the indicators, in its order; checks that
  // only older versions have follow.
  std::vector<const Definition*> newest_first = definitions;
  std::sort(newest_first.begin(), newest_first.end(), [](const Definition* a, const Definition* b) {
    return a->key != b->key ? a->key < b->key : a->version > b->version;
  });
  std::map<std::pair<std::string, std::string>, std::pair<std::size_t, std::size_t>> where;
  for (const Definition* definition : newest_first) {
    for (const CheckSpec& check : definition->checks) {
      const std::size_t cell = CellIndex(check.cell);
      if (cell >= view.cells.size() || where.count({definition->key, check.key})) continue;
      auto& indicators = view.cells[cell].indicators;
      where[{definition->key, check.key}] = {cell, indicators.size()};
      indicators.push_back(Indicator{definition->key, definition->title, check.key, check.title, 0,
                                     0, 0, std::nullopt});
    }
  }

  // Most processes share their statuses with many others: count each distinct combination
  // of workflow and statuses once, then decode it once.
  std::unordered_map<std::string, std::int64_t> tally;
  std::vector<const ProcessFindings*> with_points;
  for (const ProcessFindings& row : rows) {
    view.processes += row.processes;
    if (row.processes > 0) tally[row.workflow_key + '\n' + row.statuses] += row.processes;
    if (!row.improvement_points.empty()) with_points.push_back(&row);
  }
  for (const auto& [key, count] : tally) {
    const std::size_t split = key.find('\n');
    const std::string workflow_key = key.substr(0, split);
    for (const auto& [check, status] : DecodeStatuses(std::string_view(key).substr(split + 1))) {
      auto found = where.find({workflow_key, check});
      if (found == where.end()) continue;
      Indicator& indicator = view.cells[found->second.first].indicators[found->second.second];
      switch (status) {
        case CheckStatus::kVoldaan:
          indicator.voldaan += count;
          break;
        case CheckStatus::kNietVoldaan:
          indicator.niet_voldaan += count;
          break;
        case CheckStatus::kNietVanToepassing:
          indicator.niet_van_toepassing += count;
          break;
      }
    }
  }
  for (BorgingshuisCellView& cell : view.cells) {
    for (Indicator& indicator : cell.indicators) {
      const std::int64_t reached = indicator.voldaan + indicator.niet_voldaan;
      if (reached > 0) indicator.percentage = (indicator.voldaan * 200 + reached) / (2 * reached);
    }
    cell.signal = SignalOf(cell.indicators);
  }

  // Process ids are time-ordered: the newest processes' points first.
  std::sort(with_points.begin(), with_points.end(),
            [](const ProcessFindings* a, const ProcessFindings* b) {
              return a->process_id > b->process_id;
            });
  for (const ProcessFindings* row : with_points) {
    std::vector<ImprovementPoint> texts;  // decoded only when a cell still lists points
    const auto points = DecodeImprovementPoints(row->improvement_points, /*with_text=*/false);
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::size_t index = CellIndex(points[i].cell);
      if (index >= view.cells.size()) continue;
      BorgingshuisCellView& cell = view.cells[index];
      ++cell.improvement_points_total;
      if (cell.improvement_points.size() >= kMaxPointsPerCell) continue;
      if (texts.empty()) texts = DecodeImprovementPoints(row->improvement_points);
      cell.improvement_points.push_back(PlacedImprovementPoint{texts[i].text, row->process_id,
                                                               row->process_title, points[i].seq});
    }
  }
  return view;
}

}  // namespace navolg
