// Errors as application/problem+json (RFC 9457): {"type","title","status","detail"} plus,
// where a guard refused or a product is invalid, "missing":[{"code","product","field",
// "detail"}] ("instance" too when a repeating product's instance is meant). Titles and
// details are Dutch.
//
// THE one place that maps engine refusals and storage statuses to HTTP statuses. A 5xx
// never carries the underlying message: it may name files, SQL or library internals.
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/http/http_types.h"
#include "engine/problem.h"
#include "engine/status.h"

namespace navolg::http {

inline constexpr const char* kProblemContentType = "application/problem+json";

// A problem response with the standard Dutch title and type of `status`.
Response ProblemResponse(int status, std::string detail, const std::vector<Problem>& missing = {});

// The "missing" array: one object per problem, "instance" only when it is not 0.
nlohmann::json MissingJson(const std::vector<Problem>& problems);

// kBadRequest 400, kForbidden 403, kNotFound 404, kConflict 409, kInvalid 422.
int HttpStatusFor(RefusalKind kind);

// kNotFound 404, kAborted 412, kUnavailable 503, kFailedPrecondition and kDamaged 409;
// kInvalidArgument,
// kDataLoss, kInternal (and kOk, which is no problem) 500.
int HttpStatusFor(Code code);

// The engine's refusal, with its Dutch detail and every problem under "missing".
Response RefusalProblem(const Refusal& refusal);

inline constexpr const char* kDamagedProblemType = "urn:navolg:problem:audittrail-beschadigd";

// 409 of type kDamagedProblemType: the process's trail does not verify (`reason`, Dutch, from
// storage: which event or row, which hashes). Says that nothing is accepted and what to do.
Response DamagedProblem(const std::string& reason);

// A non-ok storage status. Only the messages of kNotFound, kAborted and kDamaged are shown (storage
// writes them for users and they name nothing but what the caller sent or may see); every
// other code gets a generic Dutch detail.
Response StatusProblem(const Status& status);

// A non-ok status of user administration (storage/account_store.h): kInvalidArgument is 422
// and kFailedPrecondition 409, both with the storage message, which names only what the
// beheerder sent (a role, a name, what is wrong with a password); the rest as StatusProblem.
Response AccountProblem(const Status& status);

// 500 with a generic Dutch detail.
Response InternalProblem();

}  // namespace navolg::http
