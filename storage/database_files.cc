#include "storage/database_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace navolg::storage {
namespace {

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// The folder, for messages and checks: "." when the path has none.
std::filesystem::path FolderOf(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return folder.empty() ? std::filesystem::path(".") : folder;
}

// Creates `folder` and its missing parents, each with mode 0700 (mkdir -p -m 0700).
Status CreateFolders(const std::filesystem::path& folder) {
  std::filesystem::path built;
  for (const auto& part : folder) {
    built /= part;
    if (::mkdir(built.c_str(), 0700) != 0 && errno != EEXIST) {
      return Status(
          Code::kFailedPrecondition,
          "map '" + built.string() + "' kan niet worden aangemaakt: " + std::strerror(errno));
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsDatabaseFile(const std::string& path) {
  return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

Status CreateDatabaseFile(const std::string& path) {
  if (!IsDatabaseFile(path)) return Status::Ok();
  std::error_code error;
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (!folder.empty() && !std::filesystem::exists(folder, error)) {
    if (Status created = CreateFolders(folder); !created.ok()) return created;
  }
  auto created = CreateOwnerOnlyFile(path);
  return created.ok() ? Status::Ok() : created.status();
}

Result<bool> CreateOwnerOnlyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    return Status(Code::kFailedPrecondition,
                  "'" + path + "' kan niet worden aangemaakt: " + std::strerror(errno));
  }
  // The umask can only have narrowed 0600; this keeps it exact either way.
  const bool exact = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  if (!exact) {
    return Status(Code::kFailedPrecondition,
                  "'" + path + "': de rechten kunnen niet op 0600 worden gezet");
  }
  return true;
}

std::vector<std::string> LooseDatabaseModes(const std::string& path) {
  std::vector<std::string> warnings;
  if (!IsDatabaseFile(path)) return warnings;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path + suffix;
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0 || (info.st_mode & 077) == 0) continue;
    warnings.push_back("'" + file + "' is ook voor anderen dan de eigenaar toegankelijk (rechten " +
                       OctalMode(info.st_mode) + "); sluit het af met: chmod 600 '" + file + "'");
  }
  const std::string folder = FolderOf(path).string();
  struct stat info {};
  if (::stat(folder.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    warnings.push_back("de map '" + folder + "' van de database is ook voor anderen dan de " +
                       "eigenaar toegankelijk (rechten " + OctalMode(info.st_mode) +
                       "); sluit haar af met: chmod 700 '" + folder + "'");
  }
  return warnings;
}

}  // namespace navolg::storage
