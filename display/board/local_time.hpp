#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "text/catalogue.hpp"

namespace luot::display {

// The date and clock of the centre's time zone, as the header shows them:
// "Thứ Hai, ngày 12 tháng 5 năm 2025" and "09:41".
struct local_clock {
  std::string date;
  std::string time;
  // The start of the next minute, when `time` next changes.
  std::chrono::system_clock::time_point next_minute;
};

// `zone` is an IANA name such as "Asia/Ho_Chi_Minh"; an unknown or empty
// one falls back to Asia/Ho_Chi_Minh (a board still shows a clock).
local_clock local_clock_at(std::chrono::system_clock::time_point now, std::string_view zone,
                           text::language language);

// "09:41" in the zone, for "data from 09:41".
std::string local_hour_minute(std::chrono::system_clock::time_point when, std::string_view zone);

// How long ago, in words: "45 giây", "3 phút", "2 giờ 5 phút", "2 ngày".
std::string elapsed_text(std::chrono::seconds elapsed, text::language language);

// An estimated wait: "~25 phút", "~1 giờ 10 phút"; "Không phải chờ" for
// nothing waiting.
std::string estimate_text(std::uint32_t seconds, std::uint32_t waiting, text::language language);

}  // namespace luot::display
