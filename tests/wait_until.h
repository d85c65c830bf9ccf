// Waiting in tests on a fact instead of on the clock: a test that needs something to have
// happened (a watcher run, a delivery, a number of acknowledged commands) polls for it with a
// deadline, and fails when the deadline passes. A fixed sleep passes without testing anything
// when the machine is slow, and only wastes time when it is fast.
//
// Header-only, for every test suite; `fact` is called on the caller's thread only.
#pragma once

#include <chrono>
#include <thread>

namespace navolg::testing {

// Calls `fact` until it returns true or `limit` has passed, pausing `interval` between calls;
// true when the fact held. `fact` is called once more at the deadline, so a slow last poll
// still counts.
template <typename Fact>
[[nodiscard]] bool WaitUntil(Fact&& fact, std::chrono::milliseconds limit,
                             std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fact()) return true;
    std::this_thread::sleep_for(interval);
  }
  return fact();
}

}  // namespace navolg::testing
