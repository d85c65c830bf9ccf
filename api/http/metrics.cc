#include "api/http/metrics.h"

#include <cstdio>
#include <sstream>

namespace navolg::http {

void Metrics::RecordRequest(const std::string& method, const std::string& route, int status,
                            std::chrono::nanoseconds latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  Histogram& histogram = latency_by_route_[route];
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::ConnectionOpened() {
  std::lock_guard lock(mutex_);
  ++open_connections_;
  ++connections_total_;
}

void Metrics::ConnectionClosed() {
  std::lock_guard lock(mutex_);
  --open_connections_;
}

void Metrics::ConnectionRejected() {
  std::lock_guard lock(mutex_);
  ++connections_rejected_;
}

void Metrics::ConnectionEvicted() {
  std::lock_guard lock(mutex_);
  ++connections_evicted_;
}

void Metrics::ConnectionOverAddressLimit() {
  std::lock_guard lock(mutex_);
  ++connections_over_address_limit_;
}

void Metrics::ConnectionIdle(bool idle) {
  std::lock_guard lock(mutex_);
  idle_connections_ += idle ? 1 : -1;
}

void Metrics::RecordSignIn(SignIn outcome) {
  std::lock_guard lock(mutex_);
  ++sign_ins_[static_cast<std::size_t>(outcome)];
}

std::string Metrics::Render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP navolg_http_requests_total HTTP requests by method, route and status.\n"
         "# TYPE navolg_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out << "navolg_http_requests_total{method=\"" << method << "\",route=\"" << route
        << "\",status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP navolg_http_request_duration_seconds Time to handle a request, by route.\n"
         "# TYPE navolg_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_by_route_) {
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      char bound[32];
      std::snprintf(bound, sizeof bound, "%g", kLatencyBuckets[i]);
      out << "navolg_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << bound
          << "\"} " << histogram.buckets[i] << "\n";
    }
    out << "navolg_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << histogram.count << "\n"
        << "navolg_http_request_duration_seconds_sum{route=\"" << route << "\"} " << histogram.sum
        << "\n"
        << "navolg_http_request_duration_seconds_count{route=\"" << route << "\"} "
        << histogram.count << "\n";
  }
  out << "# HELP navolg_http_open_connections Connections open now.\n"
         "# TYPE navolg_http_open_connections gauge\n"
         "navolg_http_open_connections "
      << open_connections_
      << "\n"
         "# HELP navolg_http_idle_connections Open connections waiting for a request.\n"
         "# TYPE navolg_http_idle_connections gauge\n"
         "navolg_http_idle_connections "
      << idle_connections_
      << "\n"
         "# HELP navolg_http_connections_total Connections accepted.\n"
         "# TYPE navolg_http_connections_total counter\n"
         "navolg_http_connections_total "
      << connections_total_
      << "\n"
         "# HELP navolg_http_connections_rejected_total Connections refused over the cap.\n"
         "# TYPE navolg_http_connections_rejected_total counter\n"
         "navolg_http_connections_rejected_total "
      << connections_rejected_
      << "\n"
         "# HELP navolg_http_connections_evicted_total Idle connections closed to make room "
         "at the cap (first those that never sent a byte).\n"
         "# TYPE navolg_http_connections_evicted_total counter\n"
         "navolg_http_connections_evicted_total "
      << connections_evicted_
      << "\n"
         "# HELP navolg_http_connections_over_address_limit_total Connections answered 503 "
         "because their address had too many open.\n"
         "# TYPE navolg_http_connections_over_address_limit_total counter\n"
         "navolg_http_connections_over_address_limit_total "
      << connections_over_address_limit_ << "\n";
  out << "# HELP navolg_sign_ins_total Sign-ins with a password, by outcome (failure: wrong "
         "or unknown name or password; throttled: refused unchecked after repeated failures).\n"
         "# TYPE navolg_sign_ins_total counter\n";
  const char* kOutcomes[] = {"success", "failure", "throttled"};
  for (std::size_t i = 0; i < sign_ins_.size(); ++i) {
    out << "navolg_sign_ins_total{outcome=\"" << kOutcomes[i] << "\"} " << sign_ins_[i] << "\n";
  }
  return out.str();
}

std::string RenderFollowUp(const BackgroundStats* background,
                           const std::optional<storage::ReadStore::OutboxBacklog>& backlog,
                           Time now) {
  std::ostringstream out;
  auto family = [&out](const char* name, const char* type, const char* help) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  };
  if (background != nullptr) {
    const storage::WatcherStats& watcher = background->watcher;
    family("navolg_watcher_runs_total", "counter", "Runs of the deadline watcher.");
    out << "navolg_watcher_runs_total " << watcher.runs << '\n';
    family("navolg_watcher_failed_runs_total", "counter",
           "Watcher runs that stopped on an error (the next run goes on).");
    out << "navolg_watcher_failed_runs_total " << watcher.failed_runs << '\n';
    family("navolg_watcher_deadlines_missed_total", "counter",
           "deadline.missed events the watcher recorded.");
    out << "navolg_watcher_deadlines_missed_total " << watcher.missed << '\n';
    family("navolg_watcher_due_soon_messages_total", "counter",
           "deadline.due_soon webhook messages the watcher wrote.");
    out << "navolg_watcher_due_soon_messages_total " << watcher.due_soon << '\n';
    family("navolg_watcher_last_run_seconds", "gauge", "Duration of the watcher's last run.");
    out << "navolg_watcher_last_run_seconds " << watcher.last_run_seconds << '\n';
    const DeliveryStats& deliveries = background->deliveries;
    family("navolg_webhook_deliveries_total", "counter",
           "Webhook delivery attempts by result: delivered (2xx), rejected (another status), "
           "unreachable (no answer).");
    out << "navolg_webhook_deliveries_total{result=\"delivered\"} " << deliveries.delivered
        << "\nnavolg_webhook_deliveries_total{result=\"rejected\"} " << deliveries.rejected
        << "\nnavolg_webhook_deliveries_total{result=\"unreachable\"} " << deliveries.unreachable
        << '\n';
  }
  if (backlog) {
    family("navolg_outbox_pending", "gauge", "Webhook messages not yet delivered.");
    out << "navolg_outbox_pending " << backlog->pending << '\n';
    double age = 0;
    if (backlog->oldest_created_at) {
      age = std::chrono::duration<double>(now - *backlog->oldest_created_at).count();
      if (age < 0) age = 0;
    }
    family("navolg_outbox_oldest_pending_seconds", "gauge",
           "Age of the oldest undelivered webhook message (0 when there is none).");
    out << "navolg_outbox_oldest_pending_seconds " << age << '\n';
  }
  return out.str();
}

}  // namespace navolg::http
