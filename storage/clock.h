// The wall clock, at the precision events record (milliseconds, UTC). The engine has no clock
// of its own: whoever submits a command or runs a job reads this and passes the time in.
#pragma once

#include <chrono>

#include "engine/calendar.h"

namespace navolg::storage {

inline Time WallClockNow() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace navolg::storage
