// What Linux says about a process's CPU time and memory, for benchmarks that show where the
// CPU went: the server's (from /proc/PID/stat and /proc/PID/task/TID/stat) beside the
// benchmark's own (getrusage). Values are 0 or empty when the process is gone.
#pragma once

#include <sys/types.h>

#include <map>

namespace navolg::bench {

// User plus system CPU seconds that process `pid` has used, all its threads together.
double ProcessCpuSeconds(pid_t pid);

// The same per live thread of `pid`, by thread id.
std::map<pid_t, double> ThreadCpuSeconds(pid_t pid);

// User plus system CPU seconds of the calling process.
double OwnCpuSeconds();

// The peak resident memory (VmHWM) of `pid` in KiB, or -1.
long PeakRssKb(pid_t pid);

}  // namespace navolg::bench
