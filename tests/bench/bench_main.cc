#include "tests/bench/bench_main.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <vector>

namespace navolg::bench {
namespace {

struct Ratio {
  std::string name, numerator, denominator, goal;
};

std::vector<Ratio>& Ratios() {
  static std::vector<Ratio> ratios;
  return ratios;
}

// Keeps nanoseconds per item for every benchmark while printing as usual.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.iterations == 0) continue;
      double items = 1.0;
      auto it = run.counters.find("items_per_iteration");
      if (it != run.counters.end() && it->second.value > 0) items = it->second.value;
      // CPU time for single-threaded benchmarks (steadier on a busy machine); wall time for
      // those that asked for it (several threads, disk waits).
      const bool real = run.benchmark_name().find("/real_time") != std::string::npos;
      ns_per_item_[run.benchmark_name()] =
          (real ? run.GetAdjustedRealTime() : run.GetAdjustedCPUTime()) *
          Multiplier(run.time_unit) / items;
    }
    ConsoleReporter::ReportRuns(runs);
  }

  const std::map<std::string, double>& ns_per_item() const { return ns_per_item_; }

 private:
  static double Multiplier(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kSecond:
        return 1e9;
      case benchmark::kMillisecond:
        return 1e6;
      case benchmark::kMicrosecond:
        return 1e3;
      default:
        return 1.0;
    }
  }
  std::map<std::string, double> ns_per_item_;
};

}  // namespace

void AddRatio(const std::string& name, const std::string& numerator, const std::string& denominator,
              const std::string& goal_text) {
  Ratios().push_back({name, numerator, denominator, goal_text});
}

}  // namespace navolg::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  navolg::bench::RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const auto& times = reporter.ns_per_item();
  std::printf("\nRatios against the baseline measured in this run:\n");
  for (const auto& ratio : navolg::bench::Ratios()) {
    auto num = times.find(ratio.numerator), den = times.find(ratio.denominator);
    if (num == times.end() || den == times.end()) {
      std::printf("  %-44s (not measured in this run)\n", ratio.name.c_str());
      continue;
    }
    std::printf("  %-44s %10.1f ns / %10.1f ns = %6.2fx   (goal: %s)\n", ratio.name.c_str(),
                num->second, den->second, num->second / den->second, ratio.goal.c_str());
  }
  benchmark::Shutdown();
  return 0;
}
