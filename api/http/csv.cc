#include "api/http/csv.h"

namespace navolg::http {

std::string CsvField(std::string_view value) {
  std::string field;
  if (!value.empty() &&
      std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    field += '\'';
  }
  field += value;
  const bool quote =
      field.find_first_of(std::string{kCsvSeparator, '"', '\r', '\n'}) != std::string::npos ||
      (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string record;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) record += kCsvSeparator;
    record += CsvField(fields[i]);
  }
  record += "\r\n";
  return record;
}

}  // namespace navolg::http
