#include "api/http/problem.h"

namespace navolg::http {
namespace {

struct StatusText {
  int status;
  const char* slug;   // the problem type is "urn:navolg:problem:" + slug
  const char* title;  // Dutch
};

constexpr StatusText kTexts[] = {
    {400, "ongeldig-verzoek", "Ongeldig verzoek"},
    {401, "niet-aangemeld", "Niet aangemeld"},
    {403, "niet-toegestaan", "Niet toegestaan"},
    {404, "niet-gevonden", "Niet gevonden"},
    {405, "methode-niet-toegestaan", "Methode niet toegestaan"},
    {406, "vorm-niet-beschikbaar", "Vorm niet beschikbaar"},
    {409, "conflict", "Niet mogelijk in deze toestand"},
    {412, "versie-verouderd", "Versie verouderd"},
    {413, "te-groot", "Verzoek te groot"},
    {415, "geen-json", "Geen JSON"},
    {422, "ongeldige-waarden", "Ongeldige waarden"},
    {428, "versie-ontbreekt", "Versie ontbreekt"},
    {429, "te-veel-pogingen", "Te veel pogingen"},
    {431, "kopregels-te-groot", "Kopregels te groot"},
    {500, "interne-fout", "Interne fout"},
    {503, "niet-beschikbaar", "Tijdelijk niet beschikbaar"},
};

const StatusText& TextFor(int status) {
  for (const StatusText& text : kTexts) {
    if (text.status == status) return text;
  }
  return status < 500 ? kTexts[0] : TextFor(500);
}

constexpr const char* kInternalDetail =
    "Er ging iets mis aan de kant van navolg. Probeer het later opnieuw of neem contact op "
    "met de beheerder.";

}  // namespace

nlohmann::json MissingJson(const std::vector<Problem>& problems) {
  nlohmann::json missing = nlohmann::json::array();
  for (const Problem& p : problems) {
    nlohmann::json entry{
        {"code", p.code}, {"product", p.product}, {"field", p.field}, {"detail", p.detail}};
    if (p.instance != 0) entry["instance"] = p.instance;
    missing.push_back(std::move(entry));
  }
  return missing;
}

namespace {

Response MakeProblem(int status, const std::string& type, const char* title, std::string detail,
                     const std::vector<Problem>& missing) {
  nlohmann::json body{
      {"type", type}, {"title", title}, {"status", status}, {"detail", std::move(detail)}};
  if (!missing.empty()) body["missing"] = MissingJson(missing);
  Response response;
  response.status = status;
  response.content_type = kProblemContentType;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace

Response ProblemResponse(int status, std::string detail, const std::vector<Problem>& missing) {
  const StatusText& text = TextFor(status);
  return MakeProblem(status, std::string("urn:navolg:problem:") + text.slug, text.title,
                     std::move(detail), missing);
}

int HttpStatusFor(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::kBadRequest:
      return 400;
    case RefusalKind::kForbidden:
      return 403;
    case RefusalKind::kNotFound:
      return 404;
    case RefusalKind::kConflict:
      return 409;
    case RefusalKind::kInvalid:
      return 422;
  }
  return 500;
}

int HttpStatusFor(Code code) {
  // No default: a new Code does not compile until it is given a status here.
  switch (code) {
    case Code::kNotFound:
      return 404;
    case Code::kAborted:
      return 412;
    case Code::kUnavailable:
      return 503;
    case Code::kFailedPrecondition:
    case Code::kDamaged:
      return 409;
    // A handler checks what a user sent before storage sees it, so these reaching here are
    // navolg's own fault; AccountProblem maps the account rules' kInvalidArgument to 422.
    case Code::kInvalidArgument:
    case Code::kDataLoss:
    case Code::kInternal:
      return 500;
    // A problem made of an ok status is a bug too.
    case Code::kOk:
      return 500;
  }
  return 500;  // not a Code at all
}

Response DamagedProblem(const std::string& reason) {
  return MakeProblem(
      409, kDamagedProblemType, "Audittrail beschadigd",
      "Het logboek (audittrail) van dit proces is buiten navolg om gewijzigd of beschadigd (" +
          reason +
          "). navolg neemt geen opdrachten meer aan voor dit proces en toont het niet als "
          "betrouwbaar. Vraag de beheerder de database te herstellen uit een reservekopie "
          "en 'navolg audit check' te draaien.",
      {});
}

Response RefusalProblem(const Refusal& refusal) {
  return ProblemResponse(HttpStatusFor(refusal.kind), refusal.detail, refusal.problems);
}

Response StatusProblem(const Status& status) {
  const int http_status = HttpStatusFor(status.code());
  switch (status.code()) {
    case Code::kNotFound:
    case Code::kAborted:
      return ProblemResponse(http_status, status.message());
    case Code::kUnavailable: {
      Response response =
          ProblemResponse(http_status,
                          "navolg is op dit moment te druk of kan niet schrijven; er is niets "
                          "gewijzigd. Probeer het over enkele seconden opnieuw.");
      response.headers["Retry-After"] = "5";
      return response;
    }
    case Code::kFailedPrecondition:
      return ProblemResponse(http_status,
                             "Dit kan nu niet; er is niets gewijzigd. Laad het proces opnieuw.");
    case Code::kDamaged:
      return DamagedProblem(status.message());
    default:
      return InternalProblem();
  }
}

Response AccountProblem(const Status& status) {
  switch (status.code()) {
    case Code::kInvalidArgument:
      return ProblemResponse(422, status.message());
    case Code::kFailedPrecondition:
      return ProblemResponse(409, status.message());
    default:
      return StatusProblem(status);
  }
}

Response InternalProblem() { return ProblemResponse(500, kInternalDetail); }

}  // namespace navolg::http
