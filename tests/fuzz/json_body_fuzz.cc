// Fuzz target: the JSON body reader with its depth and size checks (api/http/json_body.h),
// then the member-by-member contract check, as every handler that takes a body runs them.
//
// Input: the first byte picks the Content-Type and whether a body is required; the rest is
// the body. Invariants: exactly one of value and problem; a problem is 400 or 415; an
// accepted value is nested at most kMaxBodyDepth deep.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "api/http/json_body.h"

namespace {

int Depth(const nlohmann::json& value) {
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const auto& member : value) deepest = std::max(deepest, Depth(member));
  return deepest + 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kContentTypes[] = {"application/json",
                                              "application/json; charset=utf-8",
                                              "Application/JSON;Charset=UTF-8",
                                              "",
                                              "text/plain",
                                              "application/json; charset=latin1",
                                              "application/json;",
                                              "application/jsonx"};
  const std::uint8_t selector = data[0];
  navolg::http::Request request;
  request.method = "POST";
  request.target = "/api/v1/processes";
  if (const char* type = kContentTypes[selector % 8]; *type != '\0') {
    request.headers["Content-Type"] = type;
  }
  request.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto presence = (selector & 8) != 0 ? navolg::http::BodyPresence::kOptional
                                            : navolg::http::BodyPresence::kRequired;
  const navolg::http::JsonBody body = navolg::http::ReadJsonBody(request, presence);
  if (body.problem) {
    if (body.problem->status != 400 && body.problem->status != 415) std::abort();
    return 0;
  }
  if (Depth(body.value) > navolg::http::kMaxBodyDepth) std::abort();
  using navolg::http::MemberType;
  using navolg::http::Presence;
  const auto contract_problem = navolg::http::CheckContract(
      body.value, {{"workflow", MemberType::kString, Presence::kRequired},
                   {"title", MemberType::kString, Presence::kRequired},
                   {"instance", MemberType::kInteger, Presence::kOptional}});
  if (contract_problem && contract_problem->status != 400) std::abort();
  return 0;
}
