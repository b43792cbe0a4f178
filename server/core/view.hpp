#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "engine.hpp"
#include "state.hpp"

namespace luot::core::detail {

// The state as clients see it at one moment: stored fields plus everything
// derived for `now` (category status, people ahead, estimated waits).
class queue_view {
 public:
  queue_view(const queue_state& state, const centre_calendar& calendar, timestamp now)
      : state_(&state), calendar_(&calendar), now_(now) {}

  v1::Ticket ticket(const v1::Ticket& stored, visibility view) const;
  v1::Category category(const category_config& config) const;
  v1::Snapshot snapshot(visibility view) const;
  // The bounded public view (see v1::View): configured categories and
  // counters, recent calls; no tickets, no secrets, no memo.
  v1::View public_view() const;
  // A counter as the public sees it: no usernames, no ticket ids.
  static v1::Counter public_counter(const v1::Counter& counter);

 private:
  // People ahead of every waiting ticket of a category, by ticket serial.
  std::unordered_map<std::uint64_t, std::uint32_t> people_ahead(const std::string& category) const;
  // The same for one waiting ticket, in O(log n): the reply to every
  // take-ticket needs it, however long the queue.
  std::uint32_t people_ahead_of(const v1::Ticket& waiting) const;
  // Estimated wait for `people` ahead in `category`, in seconds.
  std::uint32_t estimated_wait_seconds(const std::string& category, std::uint32_t people) const;
  v1::Ticket derive(const v1::Ticket& stored, std::uint32_t people_ahead, visibility view) const;

  const queue_state* state_;
  const centre_calendar* calendar_;
  timestamp now_;
};

// Removes the secrets a public view must not carry from a ticket.
void strip_secrets(v1::Ticket& ticket);

}  // namespace luot::core::detail
