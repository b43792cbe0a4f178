#pragma once

#include "markdown.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// Durable take-ticket, closed loop, over HTTP and the WebSocket at each
// client count, a fresh server per row, and how the server's CPU per ticket
// moves as the day fills during the row.
void run_closed_loop_section(const suite_settings& run, results_document& results);

}  // namespace luot::bench
