#include "engine/calendar.h"

#include <cstdio>

#include <date/tz.h>

namespace navolg {
namespace {

const date::time_zone* Amsterdam() {
  static const date::time_zone* const zone = date::locate_zone("Europe/Amsterdam");
  return zone;
}

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int ToInt(std::string_view s) {
  int value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string FormatTime(Time t) {
  // Hand-formatted: every event hash formats a time, and date::format goes through iostreams.
  const auto day = date::floor<date::days>(t);
  const Date ymd(day);
  auto ms = (t - day).count();
  const auto hours = ms / 3'600'000, minutes = ms / 60'000 % 60, seconds = ms / 1000 % 60;
  ms %= 1000;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hours),
                static_cast<int>(minutes), static_cast<int>(seconds), static_cast<int>(ms));
  return buffer;
}

std::optional<Time> ParseTime(std::string_view text) {
  // 2026-11-28T17:00:00.000Z
  if (text.size() != 24 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[23] != 'Z') {
    return std::nullopt;
  }
  auto day = ParseDate(text.substr(0, 10));
  auto hh = text.substr(11, 2), mm = text.substr(14, 2), ss = text.substr(17, 2),
       ms = text.substr(20, 3);
  if (!day || !IsDigits(hh) || !IsDigits(mm) || !IsDigits(ss) || !IsDigits(ms)) {
    return std::nullopt;
  }
  if (ToInt(hh) > 23 || ToInt(mm) > 59 || ToInt(ss) > 59) return std::nullopt;
  return Time(date::sys_days(*day)) + std::chrono::hours(ToInt(hh)) +
         std::chrono::minutes(ToInt(mm)) + std::chrono::seconds(ToInt(ss)) +
         std::chrono::milliseconds(ToInt(ms));
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!IsDigits(y) || !IsDigits(m) || !IsDigits(d)) return std::nullopt;
  Date date{date::year(ToInt(y)), date::month(static_cast<unsigned>(ToInt(m))),
            date::day(static_cast<unsigned>(ToInt(d)))};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string FormatDate(Date d) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buffer;
}

Date AmsterdamDate(Time t) {
  auto local = Amsterdam()->to_local(t);
  return Date(date::floor<date::days>(local));
}

Time AmsterdamStartOfDay(Date d) {
  // Midnight exists on every day in Europe/Amsterdam (DST switches at 02:00/03:00), but take
  // the earliest instant should a rule ever make it ambiguous or skip it.
  auto local = date::local_days(d);
  auto info = Amsterdam()->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(info.first.end);
  }
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      Amsterdam()->to_sys(local, date::choose::earliest));
}

Date AddDays(Date d, std::int64_t days) {
  return Date(date::sys_days(d) + date::days(days));
}

Date AddMonths(Date d, std::int64_t months) {
  date::year_month_day shifted = d + date::months(months);
  if (!shifted.ok()) {
    shifted = date::year_month_day_last(shifted.year(), date::month_day_last(shifted.month()));
  }
  return shifted;
}

}  // namespace navolg
