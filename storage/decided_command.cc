#include "storage/decided_command.h"

#include "engine/assignee.h"
#include "engine/audit_chain.h"
#include "engine/canonical_json.h"
#include "engine/report.h"
#include "engine/state_codec.h"

namespace navolg::storage {

Result<DecidedCommand> Decide(const Definition& definition,
                              std::shared_ptr<const ProcessState> before, Command command,
                              const Actor& actor, Reach reach, Time at) {
  DecidedCommand decided;
  decided.definition = &definition;
  decided.before = std::move(before);
  // After the engine's own "does it exist" (a version-0 state): an unknown process stays 404.
  if (decided.before->version > 0 && !WithinReach(definition, *decided.before, actor, reach)) {
    decided.refusal = OutOfReach();
    return decided;
  }
  Decision decision = Execute(definition, *decided.before, std::move(command), actor, at);
  if (auto* refusal = std::get_if<Refusal>(&decision)) {
    decided.refusal = std::move(*refusal);
    return decided;
  }
  Accepted& accepted = std::get<Accepted>(decision);
  if (accepted.events.empty()) return decided;  // e.g. the same content saved again

  decided.lines.reserve(accepted.events.size());
  decided.contents.reserve(accepted.events.size());
  for (const Event& event : accepted.events) {
    auto line = ExportLine(event);
    if (!line.ok()) return line.status();
    decided.lines.push_back(std::move(*line));
    if (event.type == "product.saved") {
      auto content = Canonicalize(event.data.at("content"));
      if (!content.ok()) return content.status();
      decided.contents.push_back(std::move(*content));
    } else {
      decided.contents.emplace_back();
    }
  }
  const ProcessState& after = accepted.state;
  decided.statuses = EncodeStatuses(EvaluateChecks(definition, after, at));
  decided.improvement_points = EncodeImprovementPoints(ImprovementPoints(definition, after));
  decided.assignee = CurrentAssignee(definition, after);
  decided.snapshot = EncodeState(after).dump();
  decided.events = std::move(accepted.events);
  decided.after = std::make_shared<const ProcessState>(std::move(accepted.state));
  return decided;
}

}  // namespace navolg::storage
