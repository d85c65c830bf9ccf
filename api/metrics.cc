#include "api/metrics.h"

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
      out << "navolg_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << bound << "\"} " << histogram.buckets[i] << "\n";
    }
    out << "navolg_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << histogram.count << "\n"
        << "navolg_http_request_duration_seconds_sum{route=\"" << route << "\"} "
        << histogram.sum << "\n"
        << "navolg_http_request_duration_seconds_count{route=\"" << route << "\"} "
        << histogram.count << "\n";
  }
  out << "# HELP navolg_http_open_connections Connections open now.\n"
         "# TYPE navolg_http_open_connections gauge\n"
         "navolg_http_open_connections " << open_connections_ << "\n"
         "# HELP navolg_http_connections_total Connections accepted.\n"
         "# TYPE navolg_http_connections_total counter\n"
         "navolg_http_connections_total " << connections_total_ << "\n"
         "# HELP navolg_http_connections_rejected_total Connections refused over the cap.\n"
         "# TYPE navolg_http_connections_rejected_total counter\n"
         "navolg_http_connections_rejected_total " << connections_rejected_ << "\n";
  out << "# HELP navolg_sign_ins_total Sign-ins with a password, by outcome (failure: wrong "
         "or unknown name or password; throttled: refused unchecked after repeated failures).\n"
         "# TYPE navolg_sign_ins_total counter\n";
  const char* kOutcomes[] = {"success", "failure", "throttled"};
  for (std::size_t i = 0; i < sign_ins_.size(); ++i) {
    out << "navolg_sign_ins_total{outcome=\"" << kOutcomes[i] << "\"} " << sign_ins_[i] << "\n";
  }
  return out.str();
}

}  // namespace navolg::http
