#pragma once

// What the checker's files share (not part of its interface).

#include <optional>
#include <string>
#include <vector>

#include "checker.hpp"

namespace luot::history::detail {

// An event that acts at one counter, and the action that causes it.
struct counter_event {
  std::string counter;
  std::string ticket_id;
  action caused_by;
};

// The counter an event acts at, and the action that causes it; nothing
// for events that act at no counter (a ticket issued, ...).
std::optional<counter_event> at_counter(const v1::Event& event);
// The name of the oneof member an event carries ("ticket_called", ...).
std::string kind_of(const v1::Event& event);
std::string describe(const operation& op);
std::string describe(const v1::Event& event);

// Every event that acts at a counter is explained by the operations of
// that counter (checker_actions.cpp).
void check_actions(const std::vector<operation>& operations, const server_state& server,
                   std::vector<violation>& found);

}  // namespace luot::history::detail
