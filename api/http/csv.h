// CSV for spreadsheets (RFC 4180 quoting), as navolg writes it for Dutch spreadsheet users:
// fields separated by ';' (Excel in a Dutch locale reads ',' as the decimal comma and expects
// ';' between fields), lines ending in CRLF, UTF-8 starting with a byte order mark (without
// it, Excel reads the bytes as Windows-1252 and breaks every accented letter).
//
// A cell that starts with '=', '+', '-', '@', a tab or a carriage return gets a leading
// apostrophe, so a spreadsheet shows user text such as "=HYPERLINK(...)" instead of running
// it as a formula (OWASP, CSV injection).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace navolg::http {

inline constexpr char kCsvSeparator = ';';
inline constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";
inline constexpr const char* kCsvContentType = "text/csv; charset=utf-8; header=present";

// One field: neutralised as above, then in double quotes (with quotes doubled) when it holds
// the separator, a double quote, a line break, or leading or trailing spaces.
std::string CsvField(std::string_view value);

// The fields of one record, separated and ended by CRLF.
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace navolg::http
