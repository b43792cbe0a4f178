#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "config.hpp"
#include "luot/v1/luot.pb.h"
#include "state.hpp"
#include "time.hpp"

namespace luot::core::detail {

// What staff see beyond the public view, computed from the state at one
// moment: the queue a counter works with, the service its rating tablet may
// ask about, and a manager's monitor. Reads only; never changes the state.
class staff_view {
 public:
  staff_view(const queue_state& state, const centre_calendar& calendar, timestamp now)
      : state_(&state), calendar_(&calendar), now_(now) {}

  // The counter's current ticket, the first `limit` waiting tickets it may
  // call, its parked tickets and today's no-shows of its categories. Empty
  // for a counter the config does not list.
  std::optional<v1::CounterQueue> counter_queue(std::string_view counter_id,
                                                std::size_t limit) const;

  // The last service the counter finished today, with how long it may
  // still be rated. Empty when it finished none.
  std::optional<v1::RatingPrompt> rating_prompt(std::string_view counter_id) const;

  // Every configured counter with its service so far, every category with
  // its longest wait and alert, and the devices that reported a status.
  v1::Monitor monitor() const;

 private:
  v1::Ticket staff_ticket(const v1::Ticket& stored) const;

  const queue_state* state_;
  const centre_calendar* calendar_;
  timestamp now_;
};

}  // namespace luot::core::detail
