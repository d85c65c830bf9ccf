#include "storage/wal_sync.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace navolg::storage {
namespace {

Status SystemError(const std::string& what, int error) {
  return Status(Code::kUnavailable, what + ": " + std::strerror(error));
}

}  // namespace

WalSync::WalSync(std::string database_path) : wal_path_(std::move(database_path) + "-wal") {}

WalSync::~WalSync() {
  if (fd_ >= 0) ::close(fd_);
}

Status WalSync::Open() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return SystemError("WAL-bestand '" + wal_path_ + "' openen", errno);
  std::string folder = std::filesystem::path(wal_path_).parent_path().string();
  if (folder.empty()) folder = ".";
  const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd < 0) return SystemError("map '" + folder + "' openen", errno);
  const int synced = ::fsync(folder_fd);
  const int error = errno;
  ::close(folder_fd);
  if (synced != 0) return SystemError("map '" + folder + "' op schijf vastleggen", error);
  return Status();
}

Status WalSync::Sync() {
  struct stat named {}, open_file {};
  const bool same_file = fd_ >= 0 && ::stat(wal_path_.c_str(), &named) == 0 &&
                         ::fstat(fd_, &open_file) == 0 && named.st_ino == open_file.st_ino &&
                         named.st_dev == open_file.st_dev;
  if (!same_file) {
    Status opened = Open();
    if (!opened.ok()) return opened;
  }
  if (::fdatasync(fd_) != 0) {
    return SystemError("WAL-bestand '" + wal_path_ + "' op schijf vastleggen (fdatasync)", errno);
  }
  return Status();
}

}  // namespace navolg::storage
