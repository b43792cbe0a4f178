#pragma once

#include <string>

#include "config.hpp"
#include "luot/v1/luot.pb.h"
#include "state.hpp"
#include "time.hpp"

namespace luot::core::detail {

// Whether a category takes new tickets at a moment, and the manager's note
// when it was closed by hand.
struct category_availability {
  v1::CategoryStatus status = v1::CATEGORY_STATUS_OPEN;
  std::string note;
};

// True when `moment` (local wall-clock time) falls inside the opening hours.
// No hours configured means always open.
bool within_hours(const weekly_hours& hours, local_timestamp moment);

// Precedence: closed by hand, then outside opening hours, then numbers used
// up, else open — so a kiosk shows the reason a citizen can act on first.
category_availability availability(const queue_state& state, const centre_calendar& calendar,
                                   const category_config& category, timestamp now);

}  // namespace luot::core::detail
