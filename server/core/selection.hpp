#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "config.hpp"
#include "luot/v1/luot.pb.h"
#include "state.hpp"

namespace luot::core::detail {

// A waiting ticket together with its place in the queue.
struct candidate {
  queue_position position;
  const v1::Ticket* ticket = nullptr;
};

// The front of the waiting tickets of one category that a counter may call:
// the first ticket of each kind in each bucket it draws from, in key order.
// That is all the selection rules look at (the first priority and the first
// regular ticket, the lowest key), so choosing costs the same however long
// the queue.
struct candidate_group {
  std::string category;
  std::vector<candidate> tickets;
};

// The front of everything a counter could call next.
struct candidate_set {
  // Tickets transferred to this counter in categories it does not serve.
  // in_order and weighted counters call these before their own categories:
  // the citizen has already waited once and was sent here by name.
  std::vector<candidate> directed;
  // The counter's categories in its configured order, non-empty ones only.
  // Includes tickets of these categories targeted at this counter.
  std::vector<candidate_group> served;

  bool empty() const { return directed.empty() && served.empty(); }
  // All candidates merged, in key order.
  std::vector<candidate> all() const;
};

candidate_set gather_candidates(const queue_state& state, const counter_config& counter);

// Everything a counter may call, as streams for call_order_walk: its
// categories' untargeted tickets and those sent to it by name.
std::vector<ordered_stream> counter_streams(const queue_state& state,
                                            const counter_config& counter);

// The first ticket of each kind in each bucket of a category: the front of
// its queue, whoever the tickets were sent to.
std::vector<candidate> category_front(const queue_state& state, const std::string& category);

std::int64_t priority_shift(const priority_policy& policy, const v1::Ticket& ticket);
call_order_key order_key(const priority_policy& policy, const candidate& entry);

// A category's waiting tickets in the order the priority policy would call
// them (see order_key). Linear in the queue: for whole-day views only.
std::vector<candidate> call_order(const queue_state& state, const std::string& category);

// Picks from key-ordered tickets by the priority policy. `regular_streak`
// is the counter's regular calls since its last priority call.
const v1::Ticket* pick_by_policy(const std::vector<candidate>& tickets,
                                 const priority_policy& policy, std::uint32_t regular_streak);

// One step of smooth weighted round robin (as in nginx): every eligible
// category gains its weight, the richest is chosen and pays the total.
struct round_robin_step {
  std::string chosen;
  // New credit per category, keyed "counter/category".
  std::vector<std::pair<std::string, std::int64_t>> credits;
};
round_robin_step weighted_step(const queue_state& state, const counter_config& counter,
                               const std::vector<candidate_group>& eligible);
std::string credit_key(const std::string& counter, const std::string& category);

// What CallNext picks, and whether the weighted round robin chose a
// category for it (fold replays that step on the credits).
struct selection {
  const v1::Ticket* ticket = nullptr;
  std::optional<round_robin_step> step;
};
selection select_next(const queue_state& state, const counter_config& counter);

}  // namespace luot::core::detail
