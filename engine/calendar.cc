#include "engine/calendar.h"

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

namespace {

// Writes `value` as exactly `width` decimal digits at `out`.
void PutDigits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

void PutDate(char* out, Date d) {
  PutDigits(out, static_cast<unsigned>(static_cast<int>(d.year())), 4);
  out[4] = '-';
  PutDigits(out + 5, static_cast<unsigned>(d.month()), 2);
  out[7] = '-';
  PutDigits(out + 8, static_cast<unsigned>(d.day()), 2);
}

}  // namespace

std::string FormatTime(Time t) {
  // Hand-formatted: every event hash formats a time; printf and iostreams cost more than the
  // rest of the event's canonical form.
  const auto day = date::floor<date::days>(t);
  auto ms = static_cast<unsigned>((t - day).count());
  std::string text(24, '\0');
  PutDate(text.data(), Date(day));
  text[10] = 'T';
  PutDigits(text.data() + 11, ms / 3'600'000, 2);
  text[13] = ':';
  PutDigits(text.data() + 14, ms / 60'000 % 60, 2);
  text[16] = ':';
  PutDigits(text.data() + 17, ms / 1000 % 60, 2);
  text[19] = '.';
  PutDigits(text.data() + 20, ms % 1000, 3);
  text[23] = 'Z';
  return text;
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
  std::string text(10, '\0');
  PutDate(text.data(), d);
  return text;
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

Date AddDays(Date d, std::int64_t days) { return Date(date::sys_days(d) + date::days(days)); }

Date AddMonths(Date d, std::int64_t months) {
  date::year_month_day shifted = d + date::months(months);
  if (!shifted.ok()) {
    shifted = date::year_month_day_last(shifted.year(), date::month_day_last(shifted.month()));
  }
  return shifted;
}

std::string DutchDate(Date date) {
  static const char* const kMonths[] = {"januari",   "februari", "maart",    "april",
                                        "mei",       "juni",     "juli",     "augustus",
                                        "september", "oktober",  "november", "december"};
  return std::to_string(static_cast<unsigned>(date.day())) + " " +
         kMonths[static_cast<unsigned>(date.month()) - 1] + " " +
         std::to_string(static_cast<int>(date.year()));
}

std::string DutchDateTime(Time t) {
  const auto local = Amsterdam()->to_local(t);
  const auto day = date::floor<date::days>(local);
  const auto minutes = date::floor<std::chrono::minutes>(local - day).count();
  std::string clock(5, ':');
  PutDigits(clock.data(), static_cast<unsigned>(minutes / 60), 2);
  PutDigits(clock.data() + 3, static_cast<unsigned>(minutes % 60), 2);
  return DutchDate(Date(day)) + " " + clock;
}

}  // namespace navolg
