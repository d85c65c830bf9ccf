#include "storage/signing_key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>

#include "storage/database_address.h"

namespace navolg::storage {
namespace {

constexpr const char* kDefaultFileName = "navolg-signing.key";
constexpr off_t kMaxKeyFileSize = 64 * 1024;  // a PEM Ed25519 key is 119 bytes

Status Failed(const std::string& path, const std::string& what) {
  return Status(Code::kFailedPrecondition, "ondertekensleutel '" + path + "': " + what);
}

std::string SystemError() { return std::strerror(errno); }

// Closes a file descriptor on every path out.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

bool WriteAll(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Reads the key from an open file after checking what kind of file it is and who may read it.
Result<SigningKey> ReadKey(const std::string& path, int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return Failed(path, "kan de rechten niet lezen: " + SystemError());
  if (!S_ISREG(info.st_mode)) return Failed(path, "is geen gewoon bestand");
  if ((info.st_mode & 077) != 0) {
    return Failed(path, "anderen dan de eigenaar hebben toegang (rechten " +
                            OctalMode(info.st_mode) +
                            "); wie deze sleutel kan lezen, kan exports ondertekenen. Maak hem "
                            "alleen voor de eigenaar toegankelijk: chmod 600 '" +
                            path + "'");
  }
  if (info.st_size > kMaxKeyFileSize) return Failed(path, "is te groot voor een sleutel");
  std::string pem(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t read = 0;
  while (read < pem.size()) {
    const ssize_t n = ::read(fd, pem.data() + read, pem.size() - read);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failed(path, "kan niet worden gelezen: " + SystemError());
    if (n == 0) break;
    read += static_cast<std::size_t>(n);
  }
  pem.resize(read);
  Result<SigningKey> key = SigningKey::FromPem(pem);
  if (!key.ok()) return Failed(path, key.status().message());
  return key;
}

// Writes a new key to a private temporary file beside `path` and links it into place, which
// fails if `path` appeared in the meantime. Returns the key if this call created the file,
// nullopt if another process created it first.
Result<std::optional<SigningKey>> CreateKeyFile(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code ignored;
  if (!folder.empty()) std::filesystem::create_directories(folder, ignored);

  Result<SigningKey> key = SigningKey::Generate();
  if (!key.ok()) return key.status();
  Result<std::string> pem = key->PrivatePem();
  if (!pem.ok()) return pem.status();

  std::string temporary = path + ".tmp-XXXXXX";
  Descriptor fd(::mkostemp(temporary.data(), O_CLOEXEC));  // mode 0600
  if (fd.get() < 0) return Failed(path, "kan niet worden aangemaakt: " + SystemError());
  const auto abandon = [&temporary](Status status) {
    ::unlink(temporary.c_str());
    return status;
  };
  if (::fchmod(fd.get(), 0600) != 0 || !WriteAll(fd.get(), *pem) || ::fsync(fd.get()) != 0 ||
      ::close(fd.Release()) != 0) {
    return abandon(Failed(path, "kan niet worden geschreven: " + SystemError()));
  }
  if (::link(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    if (error == EEXIST) return std::optional<SigningKey>();
    errno = error;
    return Failed(path, "kan niet worden aangemaakt: " + SystemError());
  }
  ::unlink(temporary.c_str());
  // The new name must survive a crash as well as the bytes.
  Descriptor directory(
      ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() >= 0) ::fsync(directory.get());
  return std::optional<SigningKey>(std::move(*key));
}

}  // namespace

Result<std::string> SigningKeyPath(const std::string& option, const std::string& database_path) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("NAVOLG_SIGNING_KEY"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  if (auto address = ParseDatabaseAddress(database_path);
      address.ok() && address->kind == DatabaseKind::kPostgres) {
    return Status(Code::kInvalidArgument,
                  "bij een PostgreSQL-database hoort een sleutelbestand dat elke navolg-node "
                  "leest: geef het pad met --signing-key PAD of NAVOLG_SIGNING_KEY (het bestand "
                  "wordt aangemaakt als het er nog niet is)");
  }
  return (std::filesystem::path(database_path).parent_path() / kDefaultFileName).string();
}

Result<LoadedSigningKey> LoadOrCreateSigningKey(const std::string& path) {
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 && errno != ENOENT) {
    return Failed(path, "kan niet worden gelezen: " + SystemError());
  }
  if (fd.get() < 0) {
    Result<std::optional<SigningKey>> created = CreateKeyFile(path);
    if (!created.ok()) return created.status();
    if (created->has_value()) return LoadedSigningKey{std::move(**created), true};
    // Another process created it first: use that one.
    Descriptor raced(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (raced.get() < 0) return Failed(path, "kan niet worden gelezen: " + SystemError());
    Result<SigningKey> key = ReadKey(path, raced.get());
    if (!key.ok()) return key.status();
    return LoadedSigningKey{std::move(*key), false};
  }
  Result<SigningKey> key = ReadKey(path, fd.get());
  if (!key.ok()) return key.status();
  return LoadedSigningKey{std::move(*key), false};
}

}  // namespace navolg::storage
