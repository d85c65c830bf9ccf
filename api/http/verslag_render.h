// The participatieverslag (engine/participatieverslag.h) as a printable HTML page and as
// Markdown (CommonMark with GFM tables). Both escape every text: titles, labels and values
// may hold anything a user typed, including <script> and Markdown syntax.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/participatieverslag.h"

namespace navolg::http {

std::string VerslagHtml(const Participatieverslag& verslag);
std::string VerslagMarkdown(const Participatieverslag& verslag);

// `text` as literal Markdown text on one or more lines: every character with a meaning in
// CommonMark or GFM is backslash-escaped, and lines cannot start a block (heading, list,
// quote, code, table, HTML). A line break stays a line break.
std::string MarkdownEscape(std::string_view text);

}  // namespace navolg::http
