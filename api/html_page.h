// Small building blocks for the printable HTML documents the API serves (reports): escaping
// and one page frame in Dutch with print-friendly styles. No scripts, no external resources.
#pragma once

#include <string>
#include <string_view>

namespace navolg::http {

// Escapes & < > " ' so any text is safe in element content and in quoted attributes.
std::string EscapeHtml(std::string_view text);

// A complete HTML5 document, lang="nl": `title` is escaped here, `body_html` is inserted as is.
std::string HtmlPage(const std::string& title, const std::string& body_html);

}  // namespace navolg::http
