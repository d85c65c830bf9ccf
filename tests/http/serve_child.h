// Starts `navolg serve` as a child process on a loopback port chosen by the system, the way
// an operator runs it; for tests and benchmarks that need the real binary (signals, memory).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "tests/http/metrics_scrape.h"

namespace navolg::testing {

// Runs a shell command and returns its standard output.
inline std::string Shell(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  for (std::size_t n; pipe && (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    output.append(buffer, n);
  }
  if (pipe) ::pclose(pipe);
  return output;
}

struct ServeChild {
  pid_t pid = -1;
  std::uint16_t port = 0;  // 0 when the server did not come up
  std::string banner;      // its first line of output
  int output = -1;         // the rest of its standard output (kept open: a closed pipe
                           // would kill it with SIGPIPE when it says goodbye)

  // Sends `signal` and waits; returns the wait status.
  int Stop(int signal = SIGTERM) {
    int status = 0;
    if (pid > 0 && ::kill(pid, signal) == 0) ::waitpid(pid, &status, 0);
    if (output >= 0) ::close(output);
    pid = -1;
    output = -1;
    return status;
  }
};

// Runs `binary serve --db db --listen 127.0.0.1:0 --log off` and then `extra` (a later flag
// wins), in this process's environment with NAVOLG_METRICS_TOKEN set to kTestMetricsToken,
// with standard error appended to `stderr_path` when given, and reads the port from its
// banner ("navolg luistert op http://127.0.0.1:PORT (database ...)").
inline ServeChild StartServe(const std::string& binary, const std::string& db,
                             const std::vector<std::string>& extra = {},
                             const std::string& stderr_path = "") {
  ServeChild child;
  // Built before fork: tests fork with threads running, so the child calls nothing that
  // allocates before exec.
  const std::string prefix = std::string(kMetricsTokenVariable) + "=";
  const std::string token_setting = prefix + kTestMetricsToken;
  std::vector<char*> environment;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (!std::string_view(*variable).starts_with(prefix)) environment.push_back(*variable);
  }
  environment.push_back(const_cast<char*>(token_setting.c_str()));
  environment.push_back(nullptr);
  std::vector<const char*> arguments = {binary.c_str(), "serve",       "--db",  db.c_str(),
                                        "--listen",     "127.0.0.1:0", "--log", "off"};
  for (const std::string& argument : extra) arguments.push_back(argument.c_str());
  arguments.push_back(nullptr);
  int err = -1;
  if (!stderr_path.empty()) {
    err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  }
  int out[2];
  if (::pipe(out) != 0) return child;
  child.pid = ::fork();
  if (child.pid == 0) {
    // A test that aborts (an ASan report, a fatal signal) runs no destructors: the server
    // must not outlive it, or it holds the test's output open and CTest waits for its timeout.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(out[1], STDOUT_FILENO);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    ::close(out[0]);
    ::execve(binary.c_str(), const_cast<char* const*>(arguments.data()), environment.data());
    ::_exit(127);
  }
  if (err >= 0) ::close(err);
  ::close(out[1]);
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') child.banner += c;
  child.output = out[0];
  const auto end = child.banner.find(" (database");
  const auto colon = child.banner.rfind(':', end);
  if (end != std::string::npos && colon != std::string::npos) {
    child.port = static_cast<std::uint16_t>(std::stoi(child.banner.substr(colon + 1)));
  }
  return child;
}

// The next line of the child's standard output that contains `text` (lines before it are
// skipped); empty when its output ends first.
inline std::string ReadLineContaining(ServeChild& child, const std::string& text) {
  for (;;) {
    std::string line;
    char c;
    bool any = false;
    while (::read(child.output, &c, 1) == 1) {
      any = true;
      if (c == '\n') break;
      line += c;
    }
    if (line.find(text) != std::string::npos) return line;
    if (!any) return "";
  }
}

}  // namespace navolg::testing
