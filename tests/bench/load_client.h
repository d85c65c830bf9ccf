// An event-driven HTTP/1.1 load generator in the manner of wrk: a few threads, each running
// its own epoll loop over its share of the keep-alive connections to a loopback server, so
// that the generator costs little CPU beside the server it measures. Each connection keeps one
// request in flight (no pipelining); what it sends next is decided by its ConnectionScript
// from the previous answer (for instance the ETag that the next If-Match needs).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace navolg::bench {

// One answer as a script sees it; status 0 when the connection broke before a whole answer
// came (the load client then opens a new connection and asks the script for a request again).
struct Answer {
  int status = 0;
  std::string_view etag;  // with its quotes; empty when absent
  std::string_view body;
};

enum class Outcome {
  kSuccess,     // counted in the rate and the latencies
  kFailure,     // counted in the rate, the latencies and the failures
  kNotCounted,  // a request of the script's own (say, to catch up after a failure)
};

// What one connection sends. Called only from the thread that owns the connection.
class ConnectionScript {
 public:
  virtual ~ConnectionScript() = default;
  // The complete bytes of the next request.
  virtual std::string NextRequest() = 0;
  // Takes the answer to the last request; the answer's views die when this returns.
  virtual Outcome OnAnswer(const Answer& answer) = 0;
};

struct LoadResult {
  std::vector<double> latencies_ms;  // sorted; one per counted answer
  std::size_t failures = 0;          // kFailure answers and broken connections
  double seconds = 0;                // the length of the timed run

  double PerSecond() const;
  // The latency below which `fraction` (0..1) of the counted answers came.
  double PercentileMs(double fraction) const;
};

// Opens one connection per script to 127.0.0.1:`port`, then drives them all for `duration`
// from `threads` threads (connection i belongs to thread i % threads). An answer that arrives
// after `duration` is not counted. A connection that cannot be opened counts as a failure
// and is left out.
LoadResult RunLoad(std::uint16_t port,
                   const std::vector<std::unique_ptr<ConnectionScript>>& scripts, int threads,
                   std::chrono::milliseconds duration);
// The same over several servers: connection i goes to ports[i % ports.size()].
LoadResult RunLoad(const std::vector<std::uint16_t>& ports,
                   const std::vector<std::unique_ptr<ConnectionScript>>& scripts, int threads,
                   std::chrono::milliseconds duration);

}  // namespace navolg::bench
