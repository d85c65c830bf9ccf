#include "api/http/verslag_render.h"

#include <cctype>
#include <vector>

#include "api/http/html_page.h"

namespace navolg::http {
namespace {

constexpr const char* kInvolvedHeading = "Wie waren betrokken en hoe";
constexpr const char* kResponsesHeading = "Inbreng en wat ermee is gedaan";
constexpr const char* kProductsHeading = "Procesproducten";

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) return lines;
    start = end + 1;
  }
}

// One line of literal text; see MarkdownEscape.
std::string MarkdownEscapeLine(std::string_view line) {
  // Leading blanks would make an indented code block.
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  std::string escaped;
  std::size_t digits = 0;  // length of a leading run of digits: "1." would start a list
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    const bool inline_syntax = std::string_view("\\`*_[]<>&|~#!").find(c) != std::string_view::npos;
    const bool block_start = i == 0 && std::string_view("+-=").find(c) != std::string_view::npos;
    const bool list_number = i == digits && digits > 0 && (c == '.' || c == ')');
    if (inline_syntax || block_start || list_number) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// A table cell: one line, so line breaks become <br> (GFM allows it inside cells).
std::string MarkdownCell(std::string_view text) {
  std::string cell;
  for (std::string_view line : Lines(text)) {
    if (!cell.empty()) cell += "<br>";
    cell += MarkdownEscapeLine(line);
  }
  return cell;
}

void MarkdownTable(const VerslagTable& table, std::string& out) {
  if (table.rows.empty()) {
    out += "Geen.\n\n";
    return;
  }
  std::string header = "|", rule = "|";
  for (const std::string& column : table.columns) {
    header += " " + MarkdownCell(column) + " |";
    rule += " --- |";
  }
  out += header + "\n" + rule + "\n";
  for (const auto& row : table.rows) {
    out += "|";
    for (const std::string& cell : row) out += " " + MarkdownCell(cell) + " |";
    out += "\n";
  }
  out += "\n";
}

std::string Count(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void MarkdownField(const VerslagField& field, std::string& out) {
  out += "**" + MarkdownEscapeLine(field.label) + "**";
  if (field.answered_elsewhere) {
    out += ": " + Count(*field.answered_elsewhere, "punt", "punten") + ", zie " +
           kResponsesHeading + ".\n\n";
  } else if (field.table) {
    out += "\n\n";
    MarkdownTable(*field.table, out);
  } else if (field.is_list) {
    out += "\n\n";
    for (const std::string& value : field.values) out += "- " + MarkdownCell(value) + "\n";
    out += "\n";
  } else {
    out += "\\\n" + MarkdownEscape(field.values.empty() ? "" : field.values.front()) + "\n\n";
  }
}

void HtmlTable(const VerslagTable& table, std::string& out) {
  if (table.rows.empty()) {
    out += "<p>Geen.</p>\n";
    return;
  }
  out += "<table>\n<thead><tr>";
  for (const std::string& column : table.columns) out += "<th>" + HtmlEscape(column) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += "<td>" + HtmlEscapeLines(cell) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void HtmlField(const VerslagField& field, std::string& out) {
  out += "<dt>" + HtmlEscape(field.label) + "</dt>\n<dd>";
  if (field.answered_elsewhere) {
    out += HtmlEscape(Count(*field.answered_elsewhere, "punt", "punten")) +
           ", zie <a href=\"#inbreng\">" + kResponsesHeading + "</a>.";
  } else if (field.table) {
    HtmlTable(*field.table, out);
  } else if (field.is_list) {
    out += "<ul>";
    for (const std::string& value : field.values) out += "<li>" + HtmlEscapeLines(value) + "</li>";
    out += "</ul>";
  } else {
    out += HtmlEscapeLines(field.values.empty() ? "" : field.values.front());
  }
  out += "</dd>\n";
}

std::string ResponsesSummary(const VerslagResponses& responses) {
  return std::to_string(responses.answered) + " van " + Count(responses.points, "punt", "punten") +
         " beantwoord.";
}

std::string Meta(const Participatieverslag& verslag) {
  return verslag.workflow_title + " (versie " + std::to_string(verslag.workflow_version) +
         "), proces " + verslag.process_id + ".";
}

std::string Colophon(const Participatieverslag& verslag) {
  return "Opgesteld op " + verslag.generated_on +
         " door navolg, uit de procesproducten van dit proces.";
}

}  // namespace

std::string MarkdownEscape(std::string_view text) {
  std::string escaped;
  bool after_text = false;
  for (std::string_view line : Lines(text)) {
    const std::string literal = MarkdownEscapeLine(line);
    if (literal.empty()) {  // a blank line: a new paragraph
      if (after_text) escaped += "\n\n";
      after_text = false;
      continue;
    }
    if (after_text) escaped += "\\\n";  // a hard line break
    escaped += literal;
    after_text = true;
  }
  while (!escaped.empty() && escaped.back() == '\n') escaped.pop_back();
  return escaped;
}

std::string VerslagMarkdown(const Participatieverslag& verslag) {
  std::string out = "# Participatieverslag: " + MarkdownEscapeLine(verslag.title) + "\n\n";
  out += MarkdownEscapeLine(Meta(verslag)) + "\\\n" + MarkdownEscapeLine(verslag.status) + "\\\n" +
         MarkdownEscapeLine(Colophon(verslag)) + "\n\n";
  if (!verslag.involvement.empty()) {
    out += std::string("## ") + kInvolvedHeading + "\n\n";
    for (const VerslagInvolvement& involvement : verslag.involvement) {
      out += "### " + MarkdownEscapeLine(involvement.title) + "\n\n";
      MarkdownTable(involvement.table, out);
    }
  }
  if (!verslag.responses.empty()) {
    out += std::string("## ") + kResponsesHeading + "\n\n";
    for (const VerslagResponses& responses : verslag.responses) {
      out += "### " + MarkdownEscapeLine(responses.title) + "\n\n" +
             MarkdownEscapeLine(ResponsesSummary(responses)) + "\n\n";
      MarkdownTable(responses.table, out);
    }
  }
  out += std::string("## ") + kProductsHeading + "\n\n";
  if (verslag.products.empty()) out += "Er zijn nog geen procesproducten opgesteld.\n\n";
  for (const VerslagProduct& product : verslag.products) {
    out += "### " + MarkdownEscapeLine(product.title) + "\n\n" +
           MarkdownEscapeLine(product.status) + "\n\n";
    for (const VerslagField& field : product.fields) MarkdownField(field, out);
  }
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
    out.pop_back();
  }
  return out;
}

std::string VerslagHtml(const Participatieverslag& verslag) {
  std::string body = "<h1>Participatieverslag: " + HtmlEscape(verslag.title) + "</h1>\n";
  body += "<p class=\"meta\">" + HtmlEscape(Meta(verslag)) + "<br>" + HtmlEscape(verslag.status) +
          "<br>" + HtmlEscape(Colophon(verslag)) + "</p>\n";
  if (!verslag.involvement.empty()) {
    body += std::string("<h2 id=\"betrokkenen\">") + kInvolvedHeading + "</h2>\n";
    for (const VerslagInvolvement& involvement : verslag.involvement) {
      body += "<h3>" + HtmlEscape(involvement.title) + "</h3>\n";
      HtmlTable(involvement.table, body);
    }
  }
  if (!verslag.responses.empty()) {
    body += std::string("<h2 id=\"inbreng\">") + kResponsesHeading + "</h2>\n";
    for (const VerslagResponses& responses : verslag.responses) {
      body += "<h3>" + HtmlEscape(responses.title) + "</h3>\n<p>" +
              HtmlEscape(ResponsesSummary(responses)) + "</p>\n";
      HtmlTable(responses.table, body);
    }
  }
  body += std::string("<h2 id=\"procesproducten\">") + kProductsHeading + "</h2>\n";
  if (verslag.products.empty()) body += "<p>Er zijn nog geen procesproducten opgesteld.</p>\n";
  for (const VerslagProduct& product : verslag.products) {
    body += "<section>\n<h3>" + HtmlEscape(product.title) + "</h3>\n<p class=\"meta\">" +
            HtmlEscape(product.status) + "</p>\n<dl>\n";
    for (const VerslagField& field : product.fields) HtmlField(field, body);
    body += "</dl>\n</section>\n";
  }
  return HtmlPage("Participatieverslag: " + verslag.title, body);
}

}  // namespace navolg::http
