// The audit routes besides the trail itself: the public key that verifies the signed
// checkpoint ending every export, and the checkpoints navolg has signed for a process
// (docs/audit-format.md).
#include "api/http/handlers/handlers.h"
#include "api/http/problem.h"
#include "engine/checkpoint.h"

namespace navolg::http {

// JSON by default; the bare PEM file for a client that asks for application/x-pem-file,
// so `curl -H 'Accept: application/x-pem-file' ... -o navolg.pub` saves what
// `navolg audit verify --key` reads. Public: anyone may fetch it, without signing in.
Response GetAuditPublicKey(Services& services, const PublicCall& call) {
  if (services.signing_key == nullptr) {
    return ProblemResponse(404, "Deze server ondertekent zijn exports niet.");
  }
  const PublicKey& key = services.signing_key->public_key();
  Response response;
  if (call.request.Header("Accept").find("application/x-pem-file") != std::string::npos) {
    response.content_type = "application/x-pem-file";
    response.body = key.pem();
    return response;
  }
  return JsonResponse(200, nlohmann::json{{"algorithm", kCheckpointAlgorithm},
                                          {"key_id", key.id()},
                                          {"public_key_pem", key.pem()}});
}

// Each as the export's last line holds it, so an auditor can keep one as a file and give it
// to `navolg audit verify NEW --since FILE`.
Response ListCheckpoints(Services& services, const Call& call) {
  auto kept = services.reads->Checkpoints(call.user.organisation, call.Param("id"));
  if (!kept.ok()) return StatusProblem(kept.status());
  nlohmann::json list = nlohmann::json::array();
  for (const Checkpoint& checkpoint : *kept) {
    auto line = CheckpointLine(checkpoint);
    if (!line.ok()) return InternalProblem();
    list.push_back(nlohmann::json::parse(*line));
  }
  return JsonResponse(200, list);
}

}  // namespace navolg::http
