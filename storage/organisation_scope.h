// The organisation a request acts in. Every read and change a user makes is confined to one
// organisation, and this type is how storage is told which: it holds a real organisation's id
// and nothing else. There is no "every organisation" scope; the operator's command line, which
// may look at any organisation, calls functions of its own that say so in their names
// (ReadStore::ExportTrailOfAnyOrganisation).
//
// No default: a scope comes from authentication (the caller's stored user row) or from an
// organisation looked up by name. An immutable value; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "engine/status.h"

namespace navolg::storage {

class OrganisationScope {
 public:
  // The scope of organisation `id`. kInvalidArgument unless `id` is positive (no stored
  // organisation has another id): 0 is not a wildcard.
  static Result<OrganisationScope> Of(std::int64_t id) {
    if (id <= 0) {
      return Status(Code::kInvalidArgument,
                    "organisation id " + std::to_string(id) + " names no organisation");
    }
    return OrganisationScope(id);
  }

  std::int64_t id() const { return id_; }

  friend bool operator==(const OrganisationScope&, const OrganisationScope&) = default;

 private:
  explicit OrganisationScope(std::int64_t id) : id_(id) {}

  std::int64_t id_;
};

}  // namespace navolg::storage
