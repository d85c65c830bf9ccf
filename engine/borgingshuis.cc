#include "engine/borgingshuis.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

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
    case Signal::kGroen: return "groen";
    case Signal::kOranje: return "oranje";
    case Signal::kRood: return "rood";
    case Signal::kGrijs: return "grijs";
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
      indicators.push_back(Indicator{definition->key, definition->title, check.key, check.title,
                                     0, 0, 0, std::nullopt});
    }
  }

  std::vector<const ProcessFindings*> with_points;
  for (const ProcessFindings& row : rows) {
    ++view.processes;
    for (const auto& [check, status] : DecodeStatuses(row.statuses)) {
      auto found = where.find({row.workflow_key, check});
      if (found == where.end()) continue;
      Indicator& indicator = view.cells[found->second.first].indicators[found->second.second];
      switch (status) {
        case CheckStatus::kVoldaan: ++indicator.voldaan; break;
        case CheckStatus::kNietVoldaan: ++indicator.niet_voldaan; break;
        case CheckStatus::kNietVanToepassing: ++indicator.niet_van_toepassing; break;
      }
    }
    if (!row.improvement_points.empty()) with_points.push_back(&row);
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
            [](const ProcessFindings* a, const ProcessFindings* b) { return a->process_id > b->process_id; });
  for (const ProcessFindings* row : with_points) {
    auto points = nlohmann::json::parse(row->improvement_points, nullptr, false);
    if (!points.is_array()) continue;
    for (const auto& point : points) {
      if (!point.is_object()) continue;
      const std::size_t index = CellIndex(BorgingshuisCell{point.value("niveau", ""), point.value("rol", "")});
      if (index >= view.cells.size()) continue;
      BorgingshuisCellView& cell = view.cells[index];
      ++cell.improvement_points_total;
      if (cell.improvement_points.size() >= kMaxPointsPerCell) continue;
      cell.improvement_points.push_back(PlacedImprovementPoint{
          point.value("tekst", ""), row->process_id, row->process_title, point.value("seq", std::int64_t{0})});
    }
  }
  return view;
}

}  // namespace navolg
