#include "api/http/html_page.h"

namespace navolg::http {
namespace {

// Readable on screen, tidy on A4: tables with borders that do not break rows across pages,
// headings that stay with what follows them.
constexpr const char* kStylesheet = R"css(
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 11pt; line-height: 1.45;
       color: #111; margin: 2em auto; max-width: 52em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #999; }
h3 { font-size: 1.1em; margin-top: 1.2em; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p.meta { color: #444; margin-top: 0; }
dl { margin: 0.4em 0 0.8em; }
dt { font-weight: bold; margin-top: 0.5em; }
dd { margin-left: 0; }
dd ul { margin: 0.2em 0; padding-left: 1.4em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 0.95em; }
th, td { border: 1px solid #999; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { break-inside: avoid; page-break-inside: avoid; }
div.beschadigd { border: 3px solid #a00; background: #fde8e8; padding: 0.6em 0.8em; margin: 1em 0; }
@page { size: A4; margin: 2cm; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
)css";

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string HtmlEscapeLines(std::string_view text) {
  std::string html;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    html += HtmlEscape(line);
    if (end == std::string_view::npos) return html;
    html += "<br>";
    start = end + 1;
  }
}

std::string HtmlPage(std::string_view title, std::string_view body_html) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  page += HtmlEscape(title);
  page += "</title>\n<style>";
  page += kStylesheet;
  page += "</style>\n</head>\n<body>\n<main>\n";
  page += body_html;
  page += "</main>\n</body>\n</html>\n";
  return page;
}

Response HtmlResponse(std::string page) {
  Response response;
  response.content_type = kHtmlContentType;
  response.headers["Content-Security-Policy"] =
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
      "frame-ancestors 'none'";
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.body = std::move(page);
  return response;
}

}  // namespace navolg::http
