// GET /api/v1/processes/{id}/participatieverslag: the participatieverslag of a process, built
// from its products (engine/participatieverslag.h), as a printable HTML page (the default,
// what a browser asks for) or as Markdown (Accept: text/markdown) to paste into another
// document. Every reader of the process may have it; another organisation's process is 404.
#include "api/http/handlers/handlers.h"
#include "api/http/html_page.h"
#include "api/http/negotiation.h"
#include "api/http/people.h"
#include "api/http/problem.h"
#include "api/http/verslag_render.h"
#include "engine/participatieverslag.h"

namespace navolg::http {
namespace {

constexpr const char* kHtml = "text/html";
constexpr const char* kMarkdown = "text/markdown";
constexpr const char* kMarkdownContentType = "text/markdown; charset=utf-8; variant=CommonMark";

}  // namespace

Response GetParticipatieverslag(Services& services, const Call& call) {
  const auto media = ChooseMediaType(call.request.Header("Accept"), {kHtml, kMarkdown});
  if (!media) {
    return ProblemResponse(406, NotAcceptableDetail("Het participatieverslag", kHtml, kMarkdown));
  }
  auto record = services.reads->GetProcess(call.user.organisation, call.Param("id"));
  if (!record.ok()) return StatusProblem(record.status());
  auto colleagues = services.reads->Colleagues(call.user.organisation);
  if (!colleagues.ok()) return StatusProblem(colleagues.status());
  const Participatieverslag verslag = BuildParticipatieverslag(
      *record->definition, record->state, services.clock(), NamesOf(*colleagues));
  Response response;
  if (*media == kHtml) {
    response = HtmlResponse(VerslagHtml(verslag));
  } else {
    response.content_type = kMarkdownContentType;
    response.headers["Content-Disposition"] =
        "inline; filename=\"participatieverslag-" + verslag.process_id + ".md\"";
    response.body = VerslagMarkdown(verslag);
  }
  response.headers["Vary"] = "Accept";
  return response;
}

}  // namespace navolg::http
