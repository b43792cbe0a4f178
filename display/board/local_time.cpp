#include "board/local_time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>

namespace luot::display {

namespace {

constexpr std::string_view fallback_zone = "Asia/Ho_Chi_Minh";

const date::time_zone* find_zone(std::string_view name) {
  try {
    return date::locate_zone(name.empty() ? fallback_zone : name);
  } catch (const std::exception&) {
    return date::locate_zone(fallback_zone);
  }
}

std::string key(std::string_view prefix, unsigned value) {
  return std::string(prefix) + std::to_string(value);
}

std::string two_digits(long long value) {
  char text[8];
  std::snprintf(text, sizeof text, "%02lld", value);
  return text;
}

}  // namespace

local_clock local_clock_at(std::chrono::system_clock::time_point now, std::string_view zone,
                           text::language language) {
  using namespace std::chrono;
  const auto local = date::make_zoned(find_zone(zone), floor<seconds>(now)).get_local_time();
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::weekday weekday{day};
  const auto since_midnight = duration_cast<minutes>(local - day);

  local_clock clock;
  clock.date = text::format(
      language, "display.date",
      {std::string(text::lookup(language, key("display.weekday.", weekday.c_encoding()))),
       std::to_string(static_cast<unsigned>(ymd.day())),
       std::string(
           text::lookup(language, key("display.month.", static_cast<unsigned>(ymd.month())))),
       std::to_string(static_cast<int>(ymd.year()))});
  clock.time =
      two_digits(since_midnight.count() / 60) + ":" + two_digits(since_midnight.count() % 60);
  clock.next_minute = floor<minutes>(now) + minutes(1);
  return clock;
}

std::string local_hour_minute(std::chrono::system_clock::time_point when, std::string_view zone) {
  using namespace std::chrono;
  const auto local = date::make_zoned(find_zone(zone), floor<seconds>(when)).get_local_time();
  const auto since_midnight = duration_cast<minutes>(local - date::floor<date::days>(local));
  return two_digits(since_midnight.count() / 60) + ":" + two_digits(since_midnight.count() % 60);
}

std::string elapsed_text(std::chrono::seconds elapsed, text::language language) {
  const long long total = std::max<long long>(0, elapsed.count());
  if (total < 60)
    return text::format(language, "display.duration.seconds", {std::to_string(total)});
  if (total < 3600) {
    return text::format(language, "display.duration.minutes", {std::to_string(total / 60)});
  }
  if (total < 86400) {
    return text::format(language, "display.duration.hours",
                        {std::to_string(total / 3600), std::to_string(total % 3600 / 60)});
  }
  return text::format(language, "display.duration.days", {std::to_string(total / 86400)});
}

std::string estimate_text(std::uint32_t seconds, std::uint32_t waiting, text::language language) {
  if (waiting == 0) return std::string(text::lookup(language, "display.estimate.none"));
  // Rounded up to whole minutes: a board promising less than the wait
  // annoys more than one promising a little more.
  const std::uint32_t minutes = std::max<std::uint32_t>(1, (seconds + 59) / 60);
  if (minutes < 60)
    return text::format(language, "display.estimate.minutes", {std::to_string(minutes)});
  return text::format(language, "display.estimate.hours",
                      {std::to_string(minutes / 60), std::to_string(minutes % 60)});
}

}  // namespace luot::display
