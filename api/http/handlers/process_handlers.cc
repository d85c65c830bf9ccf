// Commands: create a process, save a product, adopt, take a transition. Each is one
// CommandRequest to the group committer, scoped to the caller's organisation, acting as the
// caller. Commands on an existing process need If-Match with the version the client saw;
// the committer refuses a stale one (412) and records nothing.
#include <optional>
#include <string>

#include "api/http/handlers/handlers.h"
#include "api/http/json_body.h"
#include "api/http/people.h"
#include "api/http/policy.h"
#include "api/http/problem.h"
#include "api/http/process_view.h"
#include "storage/write_path.h"

namespace navolg::http {
namespace {

// The version a client states with If-Match: "N". Missing (or "*", which states no
// version) is 428; any other form is 400. Weak tags are refused because the version is an
// exact precondition.
struct ExpectedVersion {
  std::int64_t version = 0;
  std::string product_tag;  // a product's ETag ("p12.5") instead of a version, when allowed
  std::optional<Response> problem;
};

// `product_tags`: a product save, which may state a product's ETag ("p12.5", from "etag" in
// the process view) instead of the process version.
// "p" digits "." digits, as ProductTag writes it.
bool IsProductTag(const std::string& text) {
  const std::size_t dot = text.find('.');
  if (text.size() < 4 || text.front() != 'p' || dot == std::string::npos || dot < 2 ||
      dot + 1 == text.size()) {
    return false;
  }
  const auto digits = [](const std::string& part) {
    return !part.empty() && part.size() <= 15 &&
           part.find_first_not_of("0123456789") == std::string::npos;
  };
  return digits(text.substr(1, dot - 1)) && digits(text.substr(dot + 1));
}

ExpectedVersion ReadIfMatch(const Request& request, bool product_tags = false) {
  ExpectedVersion expected;
  std::string value = request.Header("If-Match");
  const std::size_t first = value.find_first_not_of(" \t");
  value = first == std::string::npos
              ? ""
              : value.substr(first, value.find_last_not_of(" \t") + 1 - first);
  if (value.empty() || value == "*") {
    expected.problem = ProblemResponse(
        428, "Stuur de kopregel If-Match met de versie die u zag, zoals in de ETag: \"3\".");
    return expected;
  }
  const bool quoted =
      value.size() >= 3 && value.size() <= 40 && value.front() == '"' && value.back() == '"';
  const std::string digits = quoted ? value.substr(1, value.size() - 2) : "";
  if (product_tags && IsProductTag(digits)) {
    expected.product_tag = digits;
    return expected;
  }
  if (digits.size() > 15) {
    expected.problem =
        ProblemResponse(400, "If-Match moet precies een versie zijn, zoals in de ETag: \"3\".");
    return expected;
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
    expected.problem =
        ProblemResponse(400, "If-Match moet precies een versie zijn, zoals in de ETag: \"3\".");
    return expected;
  }
  expected.version = std::stoll(digits);
  return expected;
}

storage::CommandRequest RequestFor(const Call& call, Command command, Time now) {
  storage::CommandRequest request;
  request.organisation_id = call.user.organisation.id();
  request.command = std::move(command);
  request.actor = Actor{call.user.id, call.user.role};
  request.at = now;
  return request;
}

// Submits and answers: the view of the process after the command with its ETag, or the
// refusal or failure as a problem.
Response Submit(Services& services, const Call& call, storage::CommandRequest request,
                int success_status) {
  const Time now = request.at;
  storage::CommandResult result = services.committer->Submit(std::move(request));
  if (!result.status.ok()) return StatusProblem(result.status);
  if (result.refusal) return RefusalProblem(*result.refusal);
  // The command is recorded: names are only for the answer, so a failed read leaves ids.
  auto colleagues = services.reads->Colleagues(call.user.organisation);
  const UserNames names = colleagues.ok() ? NamesOf(*colleagues) : UserNames{};
  Response response = JsonResponse(
      success_status, ProcessView(*result.definition, *result.state, call.user, now, names));
  response.headers["ETag"] = ETagFor(result.state->version);
  return response;
}

// A command on an existing process, after If-Match was read; `action` is the route's, whose
// policy rule says which processes the caller's role reaches.
Response SubmitTo(Services& services, const Call& call, Action action, Command command,
                  std::int64_t expected_version) {
  storage::CommandRequest request = RequestFor(call, std::move(command), services.clock());
  request.process_id = call.Param("id");
  request.expected_version = expected_version;
  request.reach = ReachOf(call.user.role, action);
  return Submit(services, call, std::move(request), 200);
}

// Whether `product` is repeating in every workflow definition that has it (and at least
// one): then a PUT without an instance number cannot be meant for any process.
bool AlwaysRepeating(const storage::WorkflowCatalog& catalog, const std::string& product) {
  bool seen = false;
  for (const auto& definition : catalog.all()) {
    const ProductSpec* spec = definition->Product(product);
    if (spec == nullptr) continue;
    if (!spec->repeating) return false;
    seen = true;
  }
  return seen;
}

// Whether some workflow definition gives `product` a user field: only then does a save need
// the process's definition and the organisation's users before it is submitted.
bool MayHoldUsers(const storage::WorkflowCatalog& catalog, const std::string& product) {
  for (const auto& definition : catalog.all()) {
    const ProductSpec* spec = definition->Product(product);
    if (spec != nullptr && HasUserFields(*spec)) return true;
  }
  return false;
}

// The 422 for chosen users that cannot be chosen, or nullopt when every one can.
std::optional<Response> UsersProblem(std::vector<Problem> problems) {
  if (problems.empty()) return std::nullopt;
  const std::string detail = problems.front().detail;
  return ProblemResponse(422, detail, problems);
}

// Checks the user fields of a product save against the organisation's users (the engine
// only sees ids); nullopt when they are fine or the process is not there to check against
// (the command then gets the committer's own answer).
std::optional<Response> CheckChosenUsers(Services& services, const Call& call,
                                         const std::string& product,
                                         const nlohmann::json& content) {
  if (!MayHoldUsers(*services.committer->catalog(), product)) return std::nullopt;
  auto record = services.reads->GetProcess(call.user.organisation, call.Param("id"));
  if (!record.ok()) return std::nullopt;
  const ProductSpec* spec = record->definition->Product(product);
  if (spec == nullptr || !HasUserFields(*spec)) return std::nullopt;
  auto colleagues = services.reads->Colleagues(call.user.organisation);
  if (!colleagues.ok()) return StatusProblem(colleagues.status());
  return UsersProblem(CheckUserFields(*colleagues, *spec, content));
}

Response InstanceNeeded(const std::string& product) {
  return ProblemResponse(400, "'" + product + "' heeft meerdere exemplaren; sla er een op via " +
                                  ".../products/" + product + "/{n} (n = 1, 2, ...).");
}

// The instance number n of .../products/{product}/{n}: 1, 2, ... in plain decimal.
std::optional<std::int64_t> ParseInstance(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.front() == '0' ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

}  // namespace

Response PostProcess(Services& services, const Call& call) {
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"workflow", MemberType::kString, Presence::kRequired},
                                     {"title", MemberType::kString, Presence::kRequired}})) {
    return *problem;
  }
  const std::string workflow = body.value["workflow"].get<std::string>();
  if (services.committer->catalog()->Latest(workflow) == nullptr) {
    const std::string detail =
        workflow.empty() ? "Kies een procesdefinitie (workflow) voor het nieuwe proces."
                         : "Er is geen workflow '" + workflow + "'; zie /api/v1/workflows.";
    return ProblemResponse(422, detail, {Problem{"workflow_onbekend", "", 0, "workflow", detail}});
  }
  const Time now = services.clock();
  auto new_id = storage::NewProcessId(now);
  if (!new_id.ok()) return StatusProblem(new_id.status());
  const std::string id = std::move(new_id).value();
  storage::CommandRequest request =
      RequestFor(call, CreateProcess{id, body.value["title"].get<std::string>()}, now);
  request.process_id = id;
  request.workflow_key = workflow;
  Response response = Submit(services, call, std::move(request), 201);
  if (response.status == 201) response.headers["Location"] = "/api/v1/processes/" + id;
  return response;
}

Response PutProduct(Services& services, const Call& call) {
  const std::string& product = call.Param("product");
  std::int64_t instance = 0;
  if (call.params.count("n")) {
    auto parsed = ParseInstance(call.Param("n"));
    if (!parsed) {
      return ProblemResponse(404, "Exemplaar '" + call.Param("n") +
                                      "' bestaat niet; exemplaren "
                                      "zijn genummerd 1, 2, ...");
    }
    instance = *parsed;
  } else if (AlwaysRepeating(*services.committer->catalog(), product)) {
    return InstanceNeeded(product);
  }
  ExpectedVersion expected = ReadIfMatch(call.request, /*product_tags=*/true);
  if (expected.problem) return *expected.problem;
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem = CheckChosenUsers(services, call, product, body.value)) return *problem;
  // ?vaststellingVervalt=true: the author knows a new version voids the adoption.
  bool voids_adoption = false;
  if (auto flag = call.query.find("vaststellingVervalt"); flag != call.query.end()) {
    if (flag->second != "true" && flag->second != "false") {
      return ProblemResponse(400, "vaststellingVervalt moet true of false zijn.");
    }
    voids_adoption = flag->second == "true";
  }
  storage::CommandRequest request =
      RequestFor(call, SaveProduct{product, instance, std::move(body.value), voids_adoption},
                 services.clock());
  request.process_id = call.Param("id");
  if (expected.product_tag.empty()) {
    request.expected_version = expected.version;
  } else {
    request.expected_product = {product, instance, expected.product_tag};
  }
  request.reach = ReachOf(call.user.role, Action::kSaveProducts);
  return Submit(services, call, std::move(request), 200);
}

Response PostHandover(Services& services, const Call& call) {
  ExpectedVersion expected = ReadIfMatch(call.request);
  if (expected.problem) return *expected.problem;
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"to", MemberType::kString, Presence::kRequired},
                                     {"toelichting", MemberType::kString, Presence::kOptional}})) {
    return *problem;
  }
  HandOver command{body.value["to"].get<std::string>(), std::nullopt};
  if (body.value.contains("toelichting")) {
    command.toelichting = body.value["toelichting"].get<std::string>();
  }
  auto record = services.reads->GetProcess(call.user.organisation, call.Param("id"));
  if (!record.ok()) return StatusProblem(record.status());
  if (!command.to.empty()) {
    auto colleagues = services.reads->Colleagues(call.user.organisation);
    if (!colleagues.ok()) return StatusProblem(colleagues.status());
    if (auto problem = CheckChosenUser(*colleagues, command.to, AssigneeRole(*record->definition),
                                       "to", "Overdragen aan")) {
      return *UsersProblem({std::move(*problem)});
    }
  }
  return SubmitTo(services, call, Action::kManageProcesses, std::move(command), expected.version);
}

Response PostReminder(Services& services, const Call& call) {
  ExpectedVersion expected = ReadIfMatch(call.request);
  if (expected.problem) return *expected.problem;
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"deadline", MemberType::kString, Presence::kRequired},
                                     {"bericht", MemberType::kString, Presence::kOptional}})) {
    return *problem;
  }
  RemindOfDeadline command{body.value["deadline"].get<std::string>(), std::nullopt};
  if (body.value.contains("bericht")) command.bericht = body.value["bericht"].get<std::string>();
  return SubmitTo(services, call, Action::kManageProcesses, std::move(command), expected.version);
}

// The body of an adoption or an offer: {product, instance?, hash?}, as `Command` (AdoptProduct
// or OfferForAdoption), submitted under `action`.
template <typename Command>
Response SubmitAdoptionCommand(Services& services, const Call& call, Action action) {
  ExpectedVersion expected = ReadIfMatch(call.request);
  if (expected.problem) return *expected.problem;
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kRequired);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"product", MemberType::kString, Presence::kRequired},
                                     {"hash", MemberType::kString, Presence::kOptional},
                                     {"instance", MemberType::kInteger, Presence::kOptional}})) {
    return *problem;
  }
  // Absent means "the one instance"; a number given must be one that can exist.
  if (body.value.contains("instance") && body.value["instance"].get<std::int64_t>() < 1) {
    const std::string detail = "'instance' is het nummer van een exemplaar: 1, 2, ...";
    return ProblemResponse(422, detail, {Problem{"exemplaar_ongeldig", "", 0, "instance", detail}});
  }
  Command command{body.value["product"].get<std::string>(),
                  body.value.value("instance", std::int64_t{0}),
                  body.value.value("hash", std::string())};
  return SubmitTo(services, call, action, std::move(command), expected.version);
}

Response PostAdoption(Services& services, const Call& call) {
  return SubmitAdoptionCommand<AdoptProduct>(services, call, Action::kAdoptProducts);
}

Response PostAdoptionOffer(Services& services, const Call& call) {
  return SubmitAdoptionCommand<OfferForAdoption>(services, call, Action::kSaveProducts);
}

Response PostTransition(Services& services, const Call& call) {
  ExpectedVersion expected = ReadIfMatch(call.request);
  if (expected.problem) return *expected.problem;
  JsonBody body = ReadJsonBody(call.request, BodyPresence::kOptional);
  if (body.problem) return *body.problem;
  if (auto problem =
          CheckContract(body.value, {{"motivatie", MemberType::kString, Presence::kOptional}})) {
    return *problem;
  }
  TakeTransition command{call.Param("transition"), std::nullopt};
  if (body.value.contains("motivatie"))
    command.motivatie = body.value["motivatie"].get<std::string>();
  return SubmitTo(services, call, Action::kTakeTransitions, std::move(command), expected.version);
}

}  // namespace navolg::http
