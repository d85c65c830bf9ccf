#include "api/cli/password_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "storage/password.h"

namespace navolg {
namespace {

// Reads one line; false at end of input before any character.
bool ReadLine(std::string& line) {
  line.clear();
  if (!std::getline(std::cin, line) && line.empty()) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

// Asks on standard error with the terminal's echo off, restoring it afterwards.
bool AskWithoutEcho(const char* question, std::string& answer) {
  std::cerr << question << std::flush;
  termios saved{};
  const bool terminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  const bool read = ReadLine(answer);
  if (terminal) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::cerr << "\n";
  return read;
}

}  // namespace

Result<std::string> ReadNewPassword() {
  std::string password;
  if (::isatty(STDIN_FILENO) == 1) {
    std::string again;
    if (!AskWithoutEcho("Nieuw wachtwoord: ", password) ||
        !AskWithoutEcho("Nog een keer: ", again)) {
      return Status(Code::kInvalidArgument, "Geen wachtwoord ingevoerd; er is niets gewijzigd.");
    }
    if (password != again) {
      return Status(Code::kInvalidArgument,
                    "De twee wachtwoorden verschillen; er is niets gewijzigd.");
    }
  } else if (!ReadLine(password)) {
    return Status(Code::kInvalidArgument,
                  "Geen wachtwoord ontvangen op standaardinvoer; geef het als eerste regel, "
                  "bijvoorbeeld: printf '%s\\n' \"$WACHTWOORD\" | navolg user passwd ... "
                  "Er is niets gewijzigd.");
  }
  if (Status allowed = storage::CheckNewPassword(password); !allowed.ok()) {
    return Status(Code::kInvalidArgument, allowed.message() + " Er is niets gewijzigd.");
  }
  return password;
}

}  // namespace navolg
