// Reading /metrics the way an operator's Prometheus does: with the metrics bearer token. Every
// test that looks at /metrics goes through here, and every `navolg serve` a test starts gets
// kTestMetricsToken through NAVOLG_METRICS_TOKEN (see serve_child.h), so /metrics being
// operator-only changes nothing for the tests.
//
// Blocking, one connection per call; safe from any thread.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include "tests/http/http_client.h"

namespace navolg::testing {

// The variable that gives `navolg serve` its metrics token, and the token tests give it.
inline constexpr char kMetricsTokenVariable[] = "NAVOLG_METRICS_TOKEN";
inline constexpr char kTestMetricsToken[] = "navolg-test-metrics-9c41e07a5d2b86f3e1a04c7d";

// One answer to GET /metrics. `status` is 0 when the server did not answer.
struct MetricsScrape {
  int status = 0;
  std::string text;

  // The value of the series `name{labels}` (`labels` as written in the exposition, e.g.
  // `result="delivered"`; empty for a series without labels), or nullopt when the page has
  // no such series.
  std::optional<double> Value(const std::string& name, const std::string& labels = "") const {
    const std::string series = labels.empty() ? name + " " : name + "{" + labels + "} ";
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.compare(0, series.size(), series) != 0) continue;
      const std::string value = line.substr(series.size());
      char* end = nullptr;
      const double number = std::strtod(value.c_str(), &end);
      if (end == value.c_str()) return std::nullopt;
      return number;
    }
    return std::nullopt;
  }
};

inline MetricsScrape ScrapeMetrics(std::uint16_t port) {
  HttpConnection connection(port);
  const HttpResult result = connection.Request(
      "GET", "/metrics", std::string("Authorization: Bearer ") + kTestMetricsToken + "\r\n");
  return {result.status, result.status == 200 ? result.body : ""};
}

// The value of one series on the server at `port`; nullopt when it did not answer 200 or has
// no such series. For polling: `WaitUntil([&] { return MetricValue(...) >= 3; }, ...)`.
inline std::optional<double> MetricValue(std::uint16_t port, const std::string& name,
                                         const std::string& labels = "") {
  return ScrapeMetrics(port).Value(name, labels);
}

}  // namespace navolg::testing
