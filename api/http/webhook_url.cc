#include "api/http/webhook_url.h"

#include <cctype>

namespace navolg::http {
namespace {

constexpr std::size_t kMaxLength = 2000;

Status Invalid(const std::string& why) {
  return Status(Code::kInvalidArgument, "Ongeldige webhook-URL: " + why);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsHostNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

}  // namespace

Result<WebhookUrl> ParseWebhookUrl(const std::string& text) {
  if (text.empty()) return Invalid("de URL is leeg.");
  if (text.size() > kMaxLength) {
    return Invalid("langer dan " + std::to_string(kMaxLength) + " tekens.");
  }
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return Invalid(
          "een URL bevat geen spaties, stuurtekens of letters met accenten "
          "(codeer ze met %).");
    }
  }
  const auto separator = text.find("://");
  if (separator == std::string::npos) {
    return Invalid("een webhook-URL begint met http:// of https://.");
  }
  const std::string scheme = Lower(text.substr(0, separator));
  WebhookUrl url;
  if (scheme == "https") {
    url.tls = true;
    url.port = 443;
  } else if (scheme != "http") {
    return Invalid("het schema '" + text.substr(0, separator) +
                   "' wordt niet ondersteund; gebruik http:// of https://.");
  }
  if (text.find('#') != std::string::npos) {
    return Invalid("een webhook-URL heeft geen fragment (#).");
  }
  const std::size_t authority_start = separator + 3;
  const std::size_t authority_end = text.find_first_of("/?", authority_start);
  const std::string authority = text.substr(authority_start, authority_end == std::string::npos
                                                                 ? std::string::npos
                                                                 : authority_end - authority_start);
  if (authority.find('@') != std::string::npos) {
    return Invalid("zet geen gebruikersnaam of wachtwoord in de URL.");
  }
  std::string port_text;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string::npos) return Invalid("een IPv6-adres staat tussen [ en ].");
    url.host = authority.substr(1, close - 1);
    const std::string rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return Invalid("na ] volgt alleen :POORT.");
    if (!rest.empty()) port_text = rest.substr(1);
    for (char c : url.host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return Invalid("'" + url.host + "' is geen IPv6-adres.");
      }
    }
  } else {
    const auto colon = authority.find(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
    for (char c : url.host) {
      if (!IsHostNameChar(c)) return Invalid("'" + url.host + "' is geen geldige hostnaam.");
    }
  }
  if (url.host.empty()) return Invalid("de URL noemt geen host.");
  if (authority.find(':') != std::string::npos && authority.back() != ']') {
    if (port_text.empty() || port_text.size() > 5) {
      return Invalid("de poort is een getal van 1 tot en met 65535.");
    }
    long port = 0;
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) {
        return Invalid("de poort is een getal van 1 tot en met 65535.");
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return Invalid("de poort is een getal van 1 tot en met 65535.");
    url.port = static_cast<std::uint16_t>(port);
  }
  if (authority_end != std::string::npos) {
    url.target = text.substr(authority_end);
    if (url.target.front() == '?') url.target.insert(0, "/");
  }
  return url;
}

}  // namespace navolg::http
