// The routes without authentication: health, metrics and the OpenAPI document.
#include <cstdint>
#include <sstream>
#include <string>
#include <type_traits>

#include "api/http/authentication.h"
#include "api/http/embedded.h"
#include "api/http/handlers/handlers.h"

namespace navolg::http {
namespace {

void Counter(std::ostringstream& out, const char* name, const char* help, std::uint64_t value) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " counter\n"
      << name << ' ' << value << '\n';
}

void Gauge(std::ostringstream& out, const char* name, const char* help, std::int64_t value) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n"
      << name << ' ' << value << '\n';
}

// The group committer's figures. The batch-size histogram has buckets and a count but no
// _sum: CommitterStats does not count the commands of all batches together.
void RenderCommitter(const storage::CommitterStats& stats, std::ostringstream& out) {
  Counter(out, "navolg_commits_total", "Transactions committed by the group committer.",
          stats.transactions);
  Counter(out, "navolg_commands_total", "Commands that recorded events.", stats.commands);
  Counter(out, "navolg_commands_refused_total", "Commands refused by the engine or stale.",
          stats.refused);
  Counter(out, "navolg_commands_failed_total", "Commands that failed with an error.", stats.failed);
  Counter(out, "navolg_commands_busy_total", "Commands not queued because the queue was full.",
          stats.rejected_busy);
  Counter(out, "navolg_commands_deferred_total",
          "Commands put back for the next batch: another node held a lock they needed.",
          stats.deferred);
  out << "# HELP navolg_commit_batch_size Commands per group commit.\n"
         "# TYPE navolg_commit_batch_size histogram\n";
  std::uint64_t cumulative = 0;
  constexpr std::size_t kBounded =
      std::extent_v<decltype(storage::CommitterStats::batch_size_buckets)> - 1;
  for (std::size_t i = 0; i < kBounded; ++i) {
    cumulative += stats.batch_size_buckets[i];
    out << "navolg_commit_batch_size_bucket{le=\"" << (std::uint64_t{1} << i) << "\"} "
        << cumulative << '\n';
  }
  cumulative += stats.batch_size_buckets[kBounded];
  out << "navolg_commit_batch_size_bucket{le=\"+Inf\"} " << cumulative << '\n'
      << "navolg_commit_batch_size_sum " << stats.batched_commands << '\n'
      << "navolg_commit_batch_size_count " << cumulative << '\n';
}

}  // namespace

Response GetHealth(Services&, const PublicCall&) {
  return JsonResponse(200, nlohmann::json{{"status", "ok"}});
}

Response GetMetrics(Services& services, const PublicCall& call) {
  if (auto refused = RefuseUnlessOperator(call.request, services.metrics_token)) return *refused;
  return MetricsPage(services);
}

Response MetricsPage(Services& services) {
  std::ostringstream out;
  if (services.metrics != nullptr) out << services.metrics->Render();
  RenderCommitter(services.committer->stats(), out);
  auto deadlines = services.reads->CountDeadlines(services.clock());
  if (deadlines.ok()) {
    Gauge(out, "navolg_deadlines_open", "Open deadlines, all organisations.", deadlines->open);
    Gauge(out, "navolg_deadlines_overdue", "Open deadlines that are overdue.", deadlines->overdue);
  }  // else: leave the gauges out rather than report a wrong zero
  std::optional<BackgroundStats> background;
  if (services.background) background = services.background();
  auto backlog = services.reads->CountOutbox();
  out << RenderFollowUp(background ? &*background : nullptr,
                        backlog.ok() ? std::optional(*backlog) : std::nullopt, services.clock());
  Response response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = out.str();
  return response;
}

Response GetOpenApi(Services&, const PublicCall&) {
  Response response;
  response.content_type = "application/json";
  response.body = std::string(embedded::OpenApiJson());
  return response;
}

}  // namespace navolg::http
