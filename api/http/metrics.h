// Request metrics for GET /metrics (Prometheus text format 0.0.4).
//
// Thread-safe: counters are updated under a mutex held only for a map update; Render takes
// a consistent snapshot. Figures from the group committer and the deadlines are added by
// the caller at render time.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "engine/calendar.h"
#include "storage/deadline_watcher.h"
#include "storage/read_store.h"

namespace navolg::http {

// Webhook delivery attempts since start, by result.
struct DeliveryStats {
  std::uint64_t delivered = 0;    // answered 2xx
  std::uint64_t rejected = 0;     // answered, not 2xx
  std::uint64_t unreachable = 0;  // no answer (connection, TLS, timeout)
};

// The figures of navolg serve's background jobs: the deadline watcher and the webhook sender.
struct BackgroundStats {
  storage::WatcherStats watcher;
  DeliveryStats deliveries;
};

// Prometheus text of the background jobs, and of the outbox backlog at `now` (nullopt when
// it could not be read: the gauges are left out rather than reported as a wrong zero).
std::string RenderFollowUp(const BackgroundStats* background,
                           const std::optional<storage::ReadStore::OutboxBacklog>& backlog,
                           Time now);

class Metrics {
 public:
  // Latency histogram bucket upper bounds, in seconds.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

  // `route` is the route pattern ("/api/v1/processes/{id}"), never the raw path, so labels
  // stay few and ids never leak into metrics.
  void RecordRequest(const std::string& method, const std::string& route, int status,
                     std::chrono::nanoseconds latency);
  void ConnectionOpened();
  void ConnectionClosed();
  void ConnectionRejected();          // over the connection cap, with nothing idle to make room
  void ConnectionEvicted();           // idle (nothing sent) and closed to make room at the cap
  void ConnectionOverAddressLimit();  // answered 503: too many from one address
  // A connection begins (true) or ends (false) waiting for the first byte of a request.
  void ConnectionIdle(bool idle);

  // Sign-ins with a password (POST /api/v1/session), by how they ended.
  enum class SignIn { kSucceeded, kFailed, kThrottled };
  void RecordSignIn(SignIn outcome);

  // The request metrics in Prometheus text format, each family with HELP and TYPE.
  std::string Render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_by_route_;
  std::int64_t open_connections_ = 0;
  std::int64_t idle_connections_ = 0;
  std::uint64_t connections_total_ = 0;
  std::uint64_t connections_rejected_ = 0;
  std::uint64_t connections_evicted_ = 0;
  std::uint64_t connections_over_address_limit_ = 0;
  std::array<std::uint64_t, 3> sign_ins_{};  // by SignIn
};

}  // namespace navolg::http
