#include "storage/directory.h"

#include <openssl/rand.h>

#include <algorithm>

#include "engine/canonical_json.h"
#include "engine/role.h"
#include "engine/sha256.h"
#include "engine/text.h"
#include "storage/database.h"
#include "storage/sessions.h"
#include "storage/sql/sql.h"
#include "storage/statement_cache.h"
#include "storage/user_row.h"

namespace navolg::storage {
namespace {

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex.push_back(kHex[bytes[i] >> 4]);
    hex.push_back(kHex[bytes[i] & 0x0f]);
  }
  return hex;
}

Result<std::string> RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
    return Status(Code::kInternal, "OpenSSL RAND_bytes failed");
  }
  return Hex(buffer.data(), buffer.size());
}

bool IsSlug(const std::string& slug) {
  if (slug.empty() || slug.size() > 63 || slug.front() == '-' || slug.back() == '-') return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

bool IsKnownRole(const std::string& role) {
  const std::optional<Role> known = ParseRole(role);
  return known && IsUserRole(*known);
}

Result<std::string> NewToken() {
  auto random = RandomHex(32);
  if (!random.ok()) return random.status();
  return "navolg_" + *random;
}

Result<Organisation> AddOrganisation(Connection& connection, const std::string& slug,
                                     const std::string& name, Time now) {
  sql::Database& db = connection.db();
  if (!IsSlug(slug)) {
    return Status(Code::kInvalidArgument,
                  "'" + slug +
                      "' is geen geldige korte naam: gebruik kleine letters, cijfers en "
                      "'-' (hoogstens 63 tekens).");
  }
  if (name.find_first_not_of(" \t") == std::string::npos) {
    return Status(Code::kInvalidArgument, "Geef de organisatie een naam.");
  }
  try {
    sql::Statement exists(db, "SELECT 1 FROM organisations WHERE slug = ?");
    exists.bind(1, slug);
    if (exists.executeStep()) {
      return Status(Code::kFailedPrecondition, "Organisatie '" + slug + "' bestaat al.");
    }
    sql::Statement insert(
        db, "INSERT INTO organisations (slug, name, created_at) VALUES (?, ?, ?) RETURNING id");
    insert.bind(1, slug);
    insert.bind(2, name);
    insert.bind(3, FormatTime(now));
    insert.executeStep();
    const std::int64_t id = insert.getColumn(0).getInt64();
    insert.exec();  // to the end: SQLite writes a RETURNING row when its statement finishes
    return Organisation{id, slug, name};
  } catch (const sql::Exception& e) {
    return FromSql(e, "organisatie toevoegen");
  }
}

Result<Organisation> FindOrganisation(const Connection& connection, const std::string& slug) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db, "SELECT id, name FROM organisations WHERE slug = ?");
    query.bind(1, slug);
    if (!query.executeStep()) {
      return Status(Code::kNotFound, "Organisatie '" + slug + "' bestaat niet.");
    }
    return Organisation{query.getColumn(0).getInt64(), slug, query.getColumn(1).getString()};
  } catch (const sql::Exception& e) {
    return FromSql(e, "organisatie zoeken");
  }
}

Result<Organisation> FindOrganisationAsTyped(const Connection& connection, std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return Status(Code::kNotFound, "Er is geen organisatie opgegeven.");
  }
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  sql::Database& db = connection.db();
  try {
    // The folding is done here, not by SQLite, whose lower() and NOCASE know only ASCII.
    // An installation has a handful of organisations, not thousands.
    sql::Statement query(db, "SELECT id, slug, name FROM organisations ORDER BY id");
    const std::string wanted = FoldCase(text);
    std::optional<Organisation> by_slug;
    std::vector<Organisation> by_name;
    while (query.executeStep()) {
      Organisation organisation{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                                query.getColumn(2).getString()};
      if (organisation.slug == text) return organisation;
      if (FoldCase(organisation.slug) == wanted) {
        by_slug = organisation;
      } else if (FoldCase(organisation.name) == wanted) {
        by_name.push_back(std::move(organisation));
      }
    }
    if (by_slug) return *by_slug;
    if (by_name.size() == 1) return by_name.front();
    return Status(Code::kNotFound,
                  "Organisatie '" + std::string(text) + "' is niet eenduidig bekend.");
  } catch (const sql::Exception& e) {
    return FromSql(e, "organisatie zoeken");
  }
}

Result<Organisation> OnlyOrganisation(const Connection& connection) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db, "SELECT id, slug, name FROM organisations LIMIT 2");
    if (!query.executeStep()) return Status(Code::kNotFound, "Er is nog geen organisatie.");
    Organisation only{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                      query.getColumn(2).getString()};
    if (query.executeStep()) return Status(Code::kNotFound, "Er zijn meer organisaties.");
    return only;
  } catch (const sql::Exception& e) {
    return FromSql(e, "organisaties tellen");
  }
}

Result<std::int64_t> CountOrganisations(const Connection& connection) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db, "SELECT count(*) FROM organisations");
    query.executeStep();
    return query.getColumn(0).getInt64();
  } catch (const sql::Exception& e) {
    return FromSql(e, "organisaties tellen");
  }
}

Result<User> AddUser(Connection& connection, const std::string& organisation_slug,
                     const std::string& role, const std::string& name, const std::string& token,
                     Time now, const std::string& password_hash) {
  sql::Database& db = connection.db();
  if (!IsKnownRole(role)) {
    return Status(Code::kInvalidArgument,
                  "Onbekende rol '" + role + "'; kies " + JoinRoleNames(UserRoles(), " of ") + ".");
  }
  if (name.find_first_not_of(" \t") == std::string::npos || name.size() > 200) {
    return Status(Code::kInvalidArgument, "Geef de gebruiker een naam (hoogstens 200 tekens).");
  }
  auto organisation = FindOrganisation(connection, organisation_slug);
  if (!organisation.ok()) return organisation.status();
  try {
    sql::Statement exists(db, "SELECT 1 FROM users WHERE organisation_id = ? AND name = ?");
    exists.bind(1, organisation->id);
    exists.bind(2, name);
    if (exists.executeStep()) {
      return Status(Code::kFailedPrecondition,
                    "Gebruiker '" + name + "' bestaat al in '" + organisation_slug + "'.");
    }
    auto random = RandomHex(8);
    if (!random.ok()) return random.status();
    auto scope = OrganisationScope::Of(organisation->id);
    if (!scope.ok()) return scope.status();
    User user{"u-" + *random, *scope, organisation_slug, name, role, organisation->name};
    // A savepoint, not a transaction: callers may hold one already (the account store adds
    // the security log's entry in it).
    sql::Savepoint savepoint(db, "add_user");
    sql::Statement insert(
        db,
        "INSERT INTO users (id, organisation_id, name, role, created_at, password_hash) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, user.id);
    insert.bind(2, user.organisation.id());
    insert.bind(3, name);
    insert.bind(4, role);
    insert.bind(5, FormatTime(now));
    if (password_hash.empty()) {
      insert.bind(6);  // NULL: no password
    } else {
      insert.bind(6, password_hash);
    }
    insert.exec();
    Status token_added = AddToken(connection, user.id, token, now);
    if (!token_added.ok()) return token_added;
    savepoint.release();
    return user;
  } catch (const sql::Exception& e) {
    return FromSql(e, "gebruiker toevoegen");
  }
}

Result<User> FindUserByToken(const Connection& connection, const std::string& token) {
  try {
    // The lookup is by hash, so comparing against the stored value reveals nothing about
    // tokens through timing.
    Query query(connection,
                "SELECT u.id, u.organisation_id, o.slug, u.name, u.role, o.name "
                "FROM tokens t JOIN users u ON u.id = t.user_id "
                "JOIN organisations o ON o.id = u.organisation_id "
                "WHERE t.hash = ? AND t.revoked_at IS NULL AND u.deactivated_at IS NULL");
    auto hash = Sha256Hex(token);
    if (!hash.ok()) return hash.status();
    query->bind(1, *hash);
    if (!query->executeStep()) return Status(Code::kNotFound, "Onbekend of ingetrokken token.");
    return UserFromRow(*query, 0);
  } catch (const sql::Exception& e) {
    return FromSql(e, "token controleren");
  }
}

Result<User> FindUserByName(const Connection& connection, const std::string& organisation_slug,
                            const std::string& name) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db,
                         "SELECT u.id, u.organisation_id, u.role, o.name FROM users u "
                         "JOIN organisations o ON o.id = u.organisation_id "
                         "WHERE o.slug = ? AND u.name = ?");
    query.bind(1, organisation_slug);
    query.bind(2, name);
    if (!query.executeStep()) {
      return Status(Code::kNotFound,
                    "Organisatie '" + organisation_slug + "' heeft geen gebruiker '" + name + "'.");
    }
    auto organisation = OrganisationScope::Of(query.getColumn(1).getInt64());
    if (!organisation.ok()) return organisation.status();
    return User{query.getColumn(0).getString(),
                *organisation,
                organisation_slug,
                name,
                query.getColumn(2).getString(),
                query.getColumn(3).getString()};
  } catch (const sql::Exception& e) {
    return FromSql(e, "gebruiker zoeken");
  }
}

namespace {

// ListUsers and GetUserListing: `user_id` empty for every user of the organisation.
Result<std::vector<UserListing>> QueryListings(sql::Database& db,
                                               const OrganisationScope& organisation,
                                               const std::string& user_id, Time now) {
  const auto ms = [](Time t) { return static_cast<std::int64_t>(t.time_since_epoch().count()); };
  try {
    sql::Statement query(
        db,
        "SELECT u.id, o.slug, u.name, u.role, u.created_at, u.password_hash IS NOT NULL, "
        "  (SELECT count(*) FROM tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL), "
        "  (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?1 "
        "     AND s.last_seen_at > ?2), "
        "  coalesce(u.deactivated_at, ''), coalesce(u.email, ''), o.name "
        "FROM users u JOIN organisations o ON o.id = u.organisation_id "
        "WHERE u.organisation_id = ?3 AND (?4 = '' OR u.id = ?4) ORDER BY u.name, u.id");
    query.bind(1, ms(now));
    query.bind(2, ms(now - kSessionIdleTimeout));
    query.bind(3, organisation.id());
    query.bind(4, user_id);
    std::vector<UserListing> listings;
    while (query.executeStep()) {
      listings.push_back(
          UserListing{User{query.getColumn(0).getString(), organisation,
                           query.getColumn(1).getString(), query.getColumn(2).getString(),
                           query.getColumn(3).getString(), query.getColumn(10).getString()},
                      query.getColumn(4).getString(), query.getColumn(5).getInt() != 0,
                      query.getColumn(6).getInt64(), query.getColumn(7).getInt64(),
                      query.getColumn(8).getString(), query.getColumn(9).getString()});
    }
    return listings;
  } catch (const sql::Exception& e) {
    return FromSql(e, "gebruikers opvragen");
  }
}

}  // namespace

Result<std::vector<UserListing>> ListUsers(const Connection& connection,
                                           const OrganisationScope& organisation, Time now) {
  sql::Database& db = connection.db();
  return QueryListings(db, organisation, "", now);
}

Result<UserListing> GetUserListing(const Connection& connection,
                                   const OrganisationScope& organisation,
                                   const std::string& user_id, Time now) {
  sql::Database& db = connection.db();
  if (user_id.empty()) return Status(Code::kNotFound, "Gebruiker '' bestaat niet.");
  auto listings = QueryListings(db, organisation, user_id, now);
  if (!listings.ok()) return listings.status();
  if (listings->empty()) {
    return Status(Code::kNotFound, "Gebruiker '" + user_id + "' bestaat niet.");
  }
  return std::move(listings->front());
}

Status AddToken(Connection& connection, const std::string& user_id, const std::string& token,
                Time now) {
  sql::Database& db = connection.db();
  try {
    sql::Statement insert(db, "INSERT INTO tokens (hash, user_id, created_at) VALUES (?, ?, ?)");
    auto hash = Sha256Hex(token);
    if (!hash.ok()) return hash.status();
    insert.bind(1, *hash);
    insert.bind(2, user_id);
    insert.bind(3, FormatTime(now));
    insert.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "token vastleggen");
  }
}

Result<std::int64_t> RevokeTokens(Connection& connection, const std::string& user_id, Time now) {
  sql::Database& db = connection.db();
  try {
    sql::Statement update(
        db, "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    update.bind(1, FormatTime(now));
    update.bind(2, user_id);
    return static_cast<std::int64_t>(update.exec());
  } catch (const sql::Exception& e) {
    return FromSql(e, "tokens intrekken");
  }
}

Status SetPasswordHash(Connection& connection, const std::string& user_id,
                       const std::string& password_hash) {
  sql::Database& db = connection.db();
  try {
    sql::Statement update(db, "UPDATE users SET password_hash = ? WHERE id = ?");
    if (password_hash.empty()) {
      update.bind(1);
    } else {
      update.bind(1, password_hash);
    }
    update.bind(2, user_id);
    if (update.exec() != 1) {
      return Status(Code::kNotFound, "Gebruiker '" + user_id + "' bestaat niet.");
    }
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "wachtwoord vastleggen");
  }
}

Status SetEmail(Connection& connection, const std::string& user_id, const std::string& email) {
  sql::Database& db = connection.db();
  try {
    sql::Statement update(db, "UPDATE users SET email = ? WHERE id = ?");
    if (email.empty()) {
      update.bind(1);
    } else {
      update.bind(1, email);
    }
    update.bind(2, user_id);
    if (update.exec() != 1) {
      return Status(Code::kNotFound, "Gebruiker '" + user_id + "' bestaat niet.");
    }
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "e-mailadres vastleggen");
  }
}

Result<std::string> PasswordHashOf(const Connection& connection, const std::string& user_id) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db, "SELECT password_hash FROM users WHERE id = ?");
    query.bind(1, user_id);
    if (!query.executeStep()) {
      return Status(Code::kNotFound, "Gebruiker '" + user_id + "' bestaat niet.");
    }
    return query.getColumn(0).isNull() ? std::string() : query.getColumn(0).getString();
  } catch (const sql::Exception& e) {
    return FromSql(e, "wachtwoord opvragen");
  }
}

Result<std::string> DeactivatedAt(const Connection& connection, const std::string& user_id) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db, "SELECT coalesce(deactivated_at, '') FROM users WHERE id = ?");
    query.bind(1, user_id);
    if (!query.executeStep()) {
      return Status(Code::kNotFound, "Gebruiker '" + user_id + "' bestaat niet.");
    }
    return query.getColumn(0).getString();
  } catch (const sql::Exception& e) {
    return FromSql(e, "gebruiker opvragen");
  }
}

Status SetActivity(Connection& connection, const std::string& user_id, Activity activity,
                   Time now) {
  sql::Database& db = connection.db();
  try {
    sql::Statement update(db, "UPDATE users SET deactivated_at = ? WHERE id = ?");
    if (activity == Activity::kActive) {
      update.bind(1);
    } else {
      update.bind(1, FormatTime(now));
    }
    update.bind(2, user_id);
    if (update.exec() != 1) {
      return Status(Code::kNotFound, "Gebruiker '" + user_id + "' bestaat niet.");
    }
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "gebruiker (de)activeren");
  }
}

Result<std::int64_t> CountActiveBeheerders(const Connection& connection,
                                           const OrganisationScope& organisation) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db,
                         "SELECT count(*) FROM users WHERE organisation_id = ? AND "
                         "role = 'beheerder' AND deactivated_at IS NULL");
    query.bind(1, organisation.id());
    query.executeStep();
    return query.getColumn(0).getInt64();
  } catch (const sql::Exception& e) {
    return FromSql(e, "beheerders tellen");
  }
}

Result<std::int64_t> CountUsersWithPassword(const Connection& connection) {
  sql::Database& db = connection.db();
  try {
    sql::Statement query(db, "SELECT count(*) FROM users WHERE password_hash IS NOT NULL");
    query.executeStep();
    return query.getColumn(0).getInt64();
  } catch (const sql::Exception& e) {
    return FromSql(e, "gebruikers tellen");
  }
}

Status RegisterWorkflow(Connection& connection, const Definition& definition, Time now) {
  sql::Database& db = connection.db();
  try {
    sql::Statement existing(db, "SELECT hash FROM workflows WHERE key = ? AND version = ?");
    existing.bind(1, definition.key);
    existing.bind(2, definition.version);
    if (existing.executeStep()) {
      if (existing.getColumn(0).getString() == definition.hash) return Status::Ok();
      return Status(Code::kFailedPrecondition,
                    "Workflow '" + definition.key + "' versie " +
                        std::to_string(definition.version) +
                        " is al vastgelegd met een andere inhoud; verhoog het versienummer.");
    }
    auto content = Canonicalize(definition.source);
    if (!content.ok()) return content.status();
    sql::Statement insert(
        db, "INSERT INTO workflows (key, version, hash, content, created_at) VALUES (?,?,?,?,?)");
    insert.bind(1, definition.key);
    insert.bind(2, definition.version);
    insert.bind(3, definition.hash);
    insert.bind(4, *content);
    insert.bind(5, FormatTime(now));
    insert.exec();
    return Status::Ok();
  } catch (const sql::Exception& e) {
    return FromSql(e, "workflow vastleggen");
  }
}

Result<std::shared_ptr<const WorkflowCatalog>> WorkflowCatalog::Load(const Connection& connection) {
  sql::Database& db = connection.db();
  auto catalog = std::make_shared<WorkflowCatalog>();
  try {
    sql::Statement query(db, "SELECT key, version, content FROM workflows ORDER BY key, version");
    while (query.executeStep()) {
      ParsedDefinition parsed = ParseDefinitionText(query.getColumn(2).getString());
      if (!parsed.definition) {
        return Status(Code::kDataLoss,
                      "Workflow '" + query.getColumn(0).getString() + "' versie " +
                          query.getColumn(1).getString() + " in de database is ongeldig: " +
                          parsed.errors.front().path + " " + parsed.errors.front().message);
      }
      catalog->definitions_.push_back(
          std::make_shared<const Definition>(std::move(*parsed.definition)));
    }
  } catch (const sql::Exception& e) {
    return FromSql(e, "workflows laden");
  }
  return std::shared_ptr<const WorkflowCatalog>(std::move(catalog));
}

const Definition* WorkflowCatalog::Find(const std::string& key, std::int64_t version) const {
  for (const auto& definition : definitions_) {
    if (definition->key == key && definition->version == version) return definition.get();
  }
  return nullptr;
}

const Definition* WorkflowCatalog::Latest(const std::string& key) const {
  const Definition* latest = nullptr;
  for (const auto& definition : definitions_) {
    if (definition->key == key && (!latest || definition->version > latest->version)) {
      latest = definition.get();
    }
  }
  return latest;
}

}  // namespace navolg::storage
