// Printable HTML pages in Dutch (the participatieverslag, reports): escaping of user text and
// the page frame with its print stylesheet. Every text that did not come from navolg's own
// code goes through HtmlEscape; the pages carry no scripts, and HtmlResponse forbids them
// (Content-Security-Policy) should an escape ever be missed.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "api/http/http_types.h"

namespace navolg::http {

inline constexpr const char* kHtmlContentType = "text/html; charset=utf-8";

// `text` safe inside an element and inside a quoted attribute value: & < > " ' as entities.
std::string HtmlEscape(std::string_view text);

// As HtmlEscape, with each line break as <br>: for texts of several lines.
std::string HtmlEscapeLines(std::string_view text);

// A whole page: <!DOCTYPE html>, <html lang="nl">, UTF-8, `title` (escaped here) as the
// document title, the shared stylesheet (screen and print, A4) and `body_html`, which the
// caller has built from escaped parts, inside <main>.
std::string HtmlPage(std::string_view title, std::string_view body_html);

// 200 with the page as text/html and a Content-Security-Policy that allows no scripts, no
// plugins and nothing from elsewhere (only the page's own inline style).
Response HtmlResponse(std::string page);

}  // namespace navolg::http
