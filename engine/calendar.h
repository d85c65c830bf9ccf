// Time and calendar dates as navolg uses them.
//
// Instants are UTC with millisecond precision (the audit trail's `at`). Calendar dates are
// what users and deadlines speak in, and they are always dates in Europe/Amsterdam, taken
// from the system tz database through date/tz (never hand-written DST rules).
// All functions are pure and thread-safe.
#pragma once

#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace navolg {

using Time = std::chrono::sys_time<std::chrono::milliseconds>;
using Date = date::year_month_day;

// "2026-11-28T17:00:00.000Z".
std::string FormatTime(Time t);
// Accepts exactly the form FormatTime writes; nullopt otherwise.
std::optional<Time> ParseTime(std::string_view text);

// "YYYY-MM-DD", a real calendar date (no 2026-02-30).
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(Date d);

// The calendar date in Europe/Amsterdam at instant t.
Date AmsterdamDate(Time t);
// The instant at which day d begins in Europe/Amsterdam (00:00 local time).
Time AmsterdamStartOfDay(Date d);

Date AddDays(Date d, std::int64_t days);
// Adds calendar months; a day that does not exist in the target month becomes that month's
// last day (31 January + 1 month = 28 or 29 February).
Date AddMonths(Date d, std::int64_t months);

// "15 april 2026": a date as a Dutch reader writes it.
std::string DutchDate(Date date);
// "28 december 2026 14:05": instant t as a clock in Europe/Amsterdam shows it (winter or
// summer time as the tz database says), minutes truncated; for people, never for machines.
std::string DutchDateTime(Time t);

}  // namespace navolg
