#include "api/first_start.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "api/http/embedded.h"
#include "engine/definition.h"
#include "storage/clock.h"
#include "storage/connection.h"
#include "storage/directory.h"
#include "storage/password.h"

namespace navolg {
namespace {

// Creates the password file, empty, before anything is created in the database; fails when
// it exists or cannot be made. The descriptor is the caller's.
Result<int> CreatePasswordFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) return fd;
  const int error = errno;
  if (error == EEXIST) {
    return Status(Code::kFailedPrecondition,
                  "--first-password-file (NAVOLG_FIRST_PASSWORD_FILE): " + path +
                      " bestaat al; navolg overschrijft het niet. Verwijder of verplaats het, of "
                      "kies een ander pad.");
  }
  return Status(Code::kFailedPrecondition,
                "--first-password-file (NAVOLG_FIRST_PASSWORD_FILE): kan " + path +
                    " niet aanmaken: " + std::strerror(error));
}

Status WritePasswordFile(int fd, const std::string& path, const FirstStart& first) {
  const std::string text =
      "navolg: de eerste beheerder van een nieuwe database\n"
      "Aanmelden in de browser met organisatie 'demo', naam 'beheerder' en dit wachtwoord:\n"
      "  " +
      first.password +
      "\n"
      "Token van de beheerder voor de API:\n"
      "  " +
      first.token +
      "\n"
      "Wijzig het wachtwoord na het aanmelden (navolg user passwd) en verwijder dan dit "
      "bestand.\n";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool ok = written == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (ok) return Status::Ok();
  return Status(Code::kInternal, "kan het eerste wachtwoord niet in " + path +
                                     " schrijven; geef de beheerder een wachtwoord met navolg "
                                     "user passwd --org demo beheerder");
}

Status SetUp(storage::Connection& db, FirstStart& first) {
  for (const auto& [file, text] : embedded::Workflows()) {
    ParsedDefinition parsed = ParseDefinitionText(std::string(text));
    if (!parsed.definition) {
      return Status(Code::kInternal, "ingebouwde workflow " + std::string(file) + " is ongeldig");
    }
    Status registered = storage::RegisterWorkflow(db, *parsed.definition, storage::WallClockNow());
    if (!registered.ok()) return registered;
  }
  auto organisations = storage::CountOrganisations(db);
  if (!organisations.ok()) return organisations.status();
  if (*organisations > 0) {
    auto with_password = storage::CountUsersWithPassword(db);
    if (!with_password.ok()) return with_password.status();
    first.nobody_has_a_password = *with_password == 0;
    return Status::Ok();
  }
  int file = -1;
  if (!first.password_file.empty()) {
    auto created = CreatePasswordFile(first.password_file);
    if (!created.ok()) return created.status();
    file = *created;
  }
  // Until the beheerder exists, a file made for it goes again when something fails.
  const auto failed = [&](const Status& status) {
    if (file >= 0) {
      ::close(file);
      ::unlink(first.password_file.c_str());
    }
    return status;
  };
  auto token = storage::NewToken();
  if (!token.ok()) return failed(token.status());
  auto password = storage::NewInitialPassword();
  if (!password.ok()) return failed(password.status());
  auto hash = storage::HashPassword(*password);
  if (!hash.ok()) return failed(hash.status());
  auto demo = storage::AddOrganisation(db, "demo", "Demo-organisatie", storage::WallClockNow());
  if (!demo.ok()) return failed(demo.status());
  auto beheerder = storage::AddUser(db, "demo", "beheerder", "beheerder", *token,
                                    storage::WallClockNow(), *hash);
  if (!beheerder.ok()) return failed(beheerder.status());
  first.token = std::move(*token);
  first.password = std::move(*password);
  if (file >= 0) return WritePasswordFile(file, first.password_file, first);
  return Status::Ok();
}

}  // namespace

Status SetUpDatabase(const std::string& address, FirstStart& first) {
  auto db = storage::OpenConnection({address});
  if (!db.ok()) return db.status();
  // Nodes starting together on one PostgreSQL database: the first sets it up, the others
  // find it set up.
  return storage::WithSetupLock(**db, [&] { return SetUp(**db, first); });
}

void PrintFirstStart(const FirstStart& first, const std::string& url,
                     const std::string& address_for_display) {
  if (!first.token.empty()) {
    std::cout << "Nieuwe database: organisatie 'demo' en gebruiker 'beheerder' aangemaakt.\n";
    if (!first.password_file.empty()) {
      std::cout << "Het eerste wachtwoord en het token van de beheerder staan in "
                << first.password_file << " (alleen leesbaar voor deze gebruiker).\nMeld u aan op "
                << url << "/, wijzig het wachtwoord en verwijder dan dat bestand.\n";
      return;
    }
    std::cout << "Aanmelden in de browser: open " << url
              << "/ en meld u aan met organisatie 'demo', naam 'beheerder' en dit wachtwoord\n"
              << "(wordt maar een keer getoond; wijzig het met: navolg user passwd --db "
              << address_for_display << " --org demo beheerder):\n"
              << "  " << first.password << "\n"
              << "Token van de beheerder voor de API (wordt maar een keer getoond):\n"
              << first.token << "\n"
              << "Probeer: curl -H 'Authorization: Bearer " << first.token << "' " << url
              << "/api/v1/me\n";
  } else if (first.nobody_has_a_password) {
    std::cout << "Nog geen enkele gebruiker heeft een wachtwoord. Geef er een met:\n"
              << "  navolg user passwd --db " << address_for_display << " --org ORGANISATIE NAAM\n";
  }
}

}  // namespace navolg
