#include "api/cli/command_support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace navolg::cli {

bool IsHelp(const std::string& arg) { return arg == "--help" || arg == "-h"; }

int Usage(const char* usage, const std::optional<std::string>& error) {
  if (error) std::cerr << "navolg: " << *error << "\n\n";
  std::cerr << usage;
  return 2;
}

int Fail(const Status& status) {
  std::cerr << "navolg: " << status.message() << "\n";
  return 1;
}

std::string DatabasePath(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("NAVOLG_DB"); env != nullptr && *env != '\0') return env;
  return "data/navolg.db";
}

Result<storage::ConnectionHandle> OpenDatabase(const std::string& path) {
  const auto folder = std::filesystem::path(path).parent_path();
  std::error_code ignored;
  if (!folder.empty()) std::filesystem::create_directories(folder, ignored);
  return storage::OpenConnection({path});
}

Result<storage::ConnectionHandle> OpenExistingDatabase(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return Status(Code::kNotFound, "database '" + path + "' bestaat niet");
  }
  return storage::OpenConnection({path});
}

std::optional<std::string> ReadTextFile(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return buffer.str();
}

}  // namespace navolg::cli
