#include "api/html_page.h"

namespace navolg::http {

std::string EscapeHtml(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::string HtmlPage(const std::string& title, const std::string& body_html) {
  return "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         EscapeHtml(title) +
         "</title>\n<style>\n"
         "body{font-family:system-ui,sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;"
         "padding:0 1rem;line-height:1.5}\n"
         "table{border-collapse:collapse;width:100%}\n"
         "th,td{border:1px solid #8a8a8a;padding:.4rem .6rem;text-align:left;vertical-align:top}\n"
         "thead th{background:#e8e8e8}\n"
         "tr.niet_voldaan td:nth-child(2){color:#a0001c;font-weight:bold}\n"
         "tr.voldaan td:nth-child(2){color:#1d5e1d}\n"
         "dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}\n"
         "dd{margin:0}\n"
         "@media print{body{margin:0;max-width:none}a{color:inherit}}\n"
         "</style>\n</head>\n<body>\n<main>\n" +
         body_html + "</main>\n</body>\n</html>\n";
}

}  // namespace navolg::http
