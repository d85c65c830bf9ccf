#include "storage/database_address.h"

#include <cctype>
#include <optional>

#include "storage/sql/postgres.h"

namespace navolg::storage {
namespace {

constexpr const char* kAcceptedForms =
    "navolg neemt het pad van een SQLite-bestand (zoals ./data/navolg.db of "
    "/var/lib/navolg/navolg.db) of een PostgreSQL-adres (postgresql://GEBRUIKER@HOST:POORT/"
    "DATABASE of postgres://...)";

// The scheme of `text` in lower case when it starts with `scheme://` (RFC 3986: a letter,
// then letters, digits, '+', '-' or '.'); none for a path, including "file:name.db".
std::optional<std::string> SchemeOf(std::string_view text) {
  const std::size_t end = text.find("://");
  if (end == std::string_view::npos || end == 0) return std::nullopt;
  std::string scheme;
  for (std::size_t i = 0; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool allowed = std::isalpha(c) != 0 ||
                         (i > 0 && (std::isdigit(c) != 0 || c == '+' || c == '-' || c == '.'));
    if (!allowed) return std::nullopt;
    scheme += static_cast<char>(std::tolower(c));
  }
  return scheme;
}

}  // namespace

Result<DatabaseAddress> ParseDatabaseAddress(std::string_view text) {
  if (text.empty()) {
    return Status(Code::kInvalidArgument,
                  std::string("het database-adres is leeg; ") + kAcceptedForms);
  }
  if (text == ":memory:") {
    return Status(Code::kInvalidArgument,
                  std::string("':memory:' is een database in het geheugen, die verdwijnt zodra "
                              "navolg stopt; ") +
                      kAcceptedForms);
  }
  const std::optional<std::string> scheme = SchemeOf(text);
  if (!scheme) return DatabaseAddress{DatabaseKind::kSqlite, std::string(text)};
  if (*scheme == "postgresql" || *scheme == "postgres") {
    return DatabaseAddress{DatabaseKind::kPostgres,
                           *scheme + std::string(text.substr(scheme->size()))};
  }
  return Status(Code::kInvalidArgument, "een database-adres met '" + *scheme +
                                            "://' wordt niet ondersteund; " + kAcceptedForms);
}

std::string AddressForDisplay(std::string_view text) { return sql::WithoutPassword(text); }

}  // namespace navolg::storage
