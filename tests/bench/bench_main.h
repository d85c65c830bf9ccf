// A benchmark main that, after the usual console report, prints each ratio registered with
// AddRatio: the time per item of one benchmark over that of its baseline in the same run,
// so figures from these noisy shared machines are read against each other.
#pragma once

#include <string>

namespace navolg::bench {

// Prints "name: numerator / denominator = ratio (goal: goal_text)" after the run, using the
// benchmarks' time per iteration (CPU time, or wall time for */real_time benchmarks) divided
// by their items per iteration.
void AddRatio(const std::string& name, const std::string& numerator, const std::string& denominator,
              const std::string& goal_text);

}  // namespace navolg::bench
