// `navolg serve --demo`: an example organisation for a newcomer, so that every page has
// something on it within a minute. Made through the API (the same rules, guards and trail as
// any user's work), never in a database that already has organisations of its own.
#pragma once

#include <string>
#include <vector>

#include "api/http/app.h"
#include "engine/status.h"

namespace navolg {

// The organisation --demo makes (not the `demo` organisation of a first start).
inline constexpr const char* kDemoOrganisation = "voorbeeldgemeente";

struct DemoUser {
  std::string name;
  std::string role;
  std::string password;  // a first password, shown once
};

// Adds kDemoOrganisation with a user per role and three processes: one waiting for bestuur to
// adopt its kadernotitie, one in conversation, and one whose terugkoppeling is 18 days
// overdue. `app` serves the database at `path`; the users' actions go through it.
Result<std::vector<DemoUser>> FillDemo(const std::string& path, http::App& app);

// What the operator reads after --demo: who signs in with which password, when `to_terminal`;
// otherwise how to give them one (passwords are only ever written to a terminal).
std::string DemoSummary(const std::vector<DemoUser>& users, const std::string& url,
                        bool to_terminal);

}  // namespace navolg
