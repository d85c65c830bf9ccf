#include "api/cli/command_support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "storage/database_files.h"

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

namespace {

// Opens for writing (a missing file is created 0600, a missing folder 0700), and tells the
// operator about database files that others may read.
Result<storage::ConnectionHandle> OpenAndWarn(const std::string& path) {
  auto address = UsableDatabaseAddress(path);
  if (!address.ok()) return address.status();
  auto connection = storage::OpenConnection({path});
  if (connection.ok()) {
    for (const std::string& warning : storage::LooseDatabaseModes(path)) {
      std::cerr << "navolg: waarschuwing: " << warning << "\n";
    }
  }
  return connection;
}

}  // namespace

Result<storage::DatabaseAddress> UsableDatabaseAddress(const std::string& address) {
  return storage::ParseDatabaseAddress(address);
}

Result<storage::ConnectionHandle> OpenDatabase(const std::string& path) {
  return OpenAndWarn(path);
}

Result<storage::ConnectionHandle> OpenExistingDatabase(const std::string& path) {
  auto address = UsableDatabaseAddress(path);
  if (!address.ok()) return address.status();
  if (address->kind == storage::DatabaseKind::kSqlite && !std::filesystem::exists(path)) {
    return Status(Code::kNotFound, "database '" + path + "' bestaat niet");
  }
  return OpenAndWarn(path);
}

void PrintVerdicts(const storage::IntegrityReport& report) {
  for (const storage::ProcessVerdict& verdict : report.processes) {
    std::cout << (verdict.damage ? "BESCHADIGD " : "in orde     ") << verdict.process_id << "  "
              << verdict.organisation << "  \"" << verdict.title << "\"  ";
    if (verdict.damage) {
      std::cout << *verdict.damage << " (" << verdict.events << " gebeurtenissen kloppen)\n";
    } else {
      std::cout << verdict.events << " gebeurtenissen\n";
    }
  }
  std::cout << report.processes.size() << " processen gecontroleerd, " << report.damaged
            << " beschadigd\n";
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
