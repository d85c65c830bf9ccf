#include "storage/directory.h"

#include <openssl/rand.h>

#include <algorithm>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "engine/canonical_json.h"
#include "engine/sha256.h"
#include "storage/database.h"

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

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
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
  return role == "bestuur" || role == "manager" || role == "adviseur" || role == "auditor" ||
         role == "beheerder";
}

std::string NewToken() { return "navolg_" + RandomHex(32); }

Result<Organisation> AddOrganisation(SQLite::Database& db, const std::string& slug,
                                     const std::string& name, Time now) {
  if (!IsSlug(slug)) {
    return Status(Code::kInvalidArgument,
                  "'" + slug + "' is geen geldige korte naam: gebruik kleine letters, cijfers en "
                  "'-' (hoogstens 63 tekens).");
  }
  if (name.find_first_not_of(" \t") == std::string::npos) {
    return Status(Code::kInvalidArgument, "Geef de organisatie een naam.");
  }
  try {
    SQLite::Statement exists(db, "SELECT 1 FROM organisations WHERE slug = ?");
    exists.bind(1, slug);
    if (exists.executeStep()) {
      return Status(Code::kFailedPrecondition, "Organisatie '" + slug + "' bestaat al.");
    }
    SQLite::Statement insert(
        db, "INSERT INTO organisations (slug, name, created_at) VALUES (?, ?, ?)");
    insert.bind(1, slug);
    insert.bind(2, name);
    insert.bind(3, FormatTime(now));
    insert.exec();
    return Organisation{db.getLastInsertRowid(), slug, name};
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "organisatie toevoegen");
  }
}

Result<Organisation> FindOrganisation(SQLite::Database& db, const std::string& slug) {
  try {
    SQLite::Statement query(db, "SELECT id, name FROM organisations WHERE slug = ?");
    query.bind(1, slug);
    if (!query.executeStep()) {
      return Status(Code::kNotFound, "Organisatie '" + slug + "' bestaat niet.");
    }
    return Organisation{query.getColumn(0).getInt64(), slug, query.getColumn(1).getString()};
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "organisatie zoeken");
  }
}

Result<std::int64_t> CountOrganisations(SQLite::Database& db) {
  try {
    SQLite::Statement query(db, "SELECT count(*) FROM organisations");
    query.executeStep();
    return query.getColumn(0).getInt64();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "organisaties tellen");
  }
}

Result<User> AddUser(SQLite::Database& db, const std::string& organisation_slug,
                     const std::string& role, const std::string& name,
                     const std::string& token, Time now) {
  if (!IsKnownRole(role)) {
    return Status(Code::kInvalidArgument,
                  "Onbekende rol '" + role +
                      "'; kies bestuur, manager, adviseur, auditor of beheerder.");
  }
  if (name.find_first_not_of(" \t") == std::string::npos || name.size() > 200) {
    return Status(Code::kInvalidArgument, "Geef de gebruiker een naam (hoogstens 200 tekens).");
  }
  auto organisation = FindOrganisation(db, organisation_slug);
  if (!organisation.ok()) return organisation.status();
  try {
    SQLite::Statement exists(db, "SELECT 1 FROM users WHERE organisation_id = ? AND name = ?");
    exists.bind(1, organisation->id);
    exists.bind(2, name);
    if (exists.executeStep()) {
      return Status(Code::kFailedPrecondition, "Gebruiker '" + name + "' bestaat al in '" +
                                                   organisation_slug + "'.");
    }
    User user{"u-" + RandomHex(8), organisation->id, organisation_slug, name, role};
    SQLite::Transaction transaction(db);
    SQLite::Statement insert(db,
                             "INSERT INTO users (id, organisation_id, name, role, created_at) "
                             "VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, user.id);
    insert.bind(2, user.organisation_id);
    insert.bind(3, name);
    insert.bind(4, role);
    insert.bind(5, FormatTime(now));
    insert.exec();
    SQLite::Statement token_insert(
        db, "INSERT INTO tokens (hash, user_id, created_at) VALUES (?, ?, ?)");
    token_insert.bind(1, Sha256Hex(token));
    token_insert.bind(2, user.id);
    token_insert.bind(3, FormatTime(now));
    token_insert.exec();
    transaction.commit();
    return user;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "gebruiker toevoegen");
  }
}

Result<User> FindUserByToken(SQLite::Database& db, const std::string& token) {
  try {
    // The lookup is by hash, so comparing against the stored value reveals nothing about
    // tokens through timing.
    SQLite::Statement query(db,
                            "SELECT u.id, u.organisation_id, o.slug, u.name, u.role "
                            "FROM tokens t JOIN users u ON u.id = t.user_id "
                            "JOIN organisations o ON o.id = u.organisation_id "
                            "WHERE t.hash = ? AND t.revoked_at IS NULL");
    query.bind(1, Sha256Hex(token));
    if (!query.executeStep()) return Status(Code::kNotFound, "Onbekend of ingetrokken token.");
    return User{query.getColumn(0).getString(), query.getColumn(1).getInt64(),
                query.getColumn(2).getString(), query.getColumn(3).getString(),
                query.getColumn(4).getString()};
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "token controleren");
  }
}

Status RegisterWorkflow(SQLite::Database& db, const Definition& definition, Time now) {
  try {
    SQLite::Statement existing(db, "SELECT hash FROM workflows WHERE key = ? AND version = ?");
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
    SQLite::Statement insert(
        db, "INSERT INTO workflows (key, version, hash, content, created_at) VALUES (?,?,?,?,?)");
    insert.bind(1, definition.key);
    insert.bind(2, definition.version);
    insert.bind(3, definition.hash);
    insert.bind(4, *content);
    insert.bind(5, FormatTime(now));
    insert.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "workflow vastleggen");
  }
}

Result<std::shared_ptr<const WorkflowCatalog>> WorkflowCatalog::Load(SQLite::Database& db) {
  auto catalog = std::make_shared<WorkflowCatalog>();
  try {
    SQLite::Statement query(db, "SELECT key, version, content FROM workflows ORDER BY key, version");
    while (query.executeStep()) {
      ParsedDefinition parsed = ParseDefinitionText(query.getColumn(2).getString());
      if (!parsed.definition) {
        return Status(Code::kDataLoss, "Workflow '" + query.getColumn(0).getString() +
                                           "' versie " + query.getColumn(1).getString() +
                                           " in de database is ongeldig: " +
                                           parsed.errors.front().path + " " +
                                           parsed.errors.front().message);
      }
      catalog->definitions_.push_back(
          std::make_shared<const Definition>(std::move(*parsed.definition)));
    }
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "workflows laden");
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
