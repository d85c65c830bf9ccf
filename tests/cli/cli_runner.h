// Runs the real navolg binary in a child process, the way a user would, in a fresh
// temporary folder per test.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace navolg::testing {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;  // -1 when the child did not exit normally
  std::string out;
  std::string err;
};

inline std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteAll(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Each test gets a fresh directory for its files and the child's output, removed afterwards.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "navolg-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern;
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Runs `navolg args...` in `cwd` (the repository by default), stdin from /dev/null.
  RunResult Navolg(const std::vector<std::string>& args,
                   const std::string& cwd = NAVOLG_SOURCE_DIR) {
    return Run(args, cwd, "/dev/null");
  }

  // As Navolg, with `input` as standard input (a file, as from a pipe: not a terminal).
  RunResult NavolgWithInput(const std::vector<std::string>& args, const std::string& input) {
    const fs::path in_path = dir_ / ".stdin";
    WriteAll(in_path, input);
    return Run(args, NAVOLG_SOURCE_DIR, in_path.string());
  }

  fs::path File(const std::string& name) const { return dir_ / name; }

  fs::path dir_;

 private:
  RunResult Run(const std::vector<std::string>& args, const std::string& cwd,
                const std::string& stdin_path) {
    const fs::path out_path = dir_ / ".stdout";
    const fs::path err_path = dir_ / ".stderr";
    std::vector<char*> argv;
    std::string binary = NAVOLG_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copies(args);
    for (std::string& arg : copies) argv.push_back(arg.data());
    argv.push_back(nullptr);

    const pid_t pid = fork();
    if (pid == 0) {
      const int in = open(stdin_path.c_str(), O_RDONLY);
      const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || out < 0 || err < 0 || chdir(cwd.c_str()) != 0 || dup2(in, 0) < 0 ||
          dup2(out, 1) < 0 || dup2(err, 2) < 0) {
        _exit(126);
      }
      execv(argv[0], argv.data());
      _exit(127);
    }
    RunResult result;
    if (pid < 0) {
      ADD_FAILURE() << "fork failed";
      return result;
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) ADD_FAILURE() << "waitpid failed";
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    result.out = ReadAll(out_path);
    result.err = ReadAll(err_path);
    EXPECT_NE(result.exit_code, 126) << "could not set up the child";
    EXPECT_NE(result.exit_code, 127) << "could not run " << NAVOLG_BINARY;
    // A sanitizer report also exits with 1; it must never pass for a finding.
    EXPECT_FALSE(Contains(result.err, "Sanitizer") || Contains(result.err, "runtime error"))
        << result.err;
    return result;
  }
};

}  // namespace navolg::testing
