#pragma once

#include <chrono>

#include "luot/v1/luot.pb.h"

namespace luot::display::testing {

// Monday 12 May 2025, 09:41:30 in Hanoi: the moment the sample board shows.
std::chrono::system_clock::time_point sample_now();

// A morning at the demo centre: six categories with Vietnamese names, five
// counters (serving, paused with a reason, closed), eight recent calls with
// 1021 to "Quầy 5 – Trả kết quả" the newest.
v1::View sample_view();

// A call record as the server would push it.
v1::Call make_call(std::uint64_t seq, const std::string& number, const std::string& counter,
                   std::chrono::system_clock::time_point at, std::uint32_t call_count = 1);

}  // namespace luot::display::testing
