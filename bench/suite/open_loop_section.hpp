#pragma once

#include "markdown.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// Take-ticket, open loop, at each rate: latency from when each ticket was
// due, a fresh server per row.
void run_open_loop_section(const suite_settings& run, results_document& results);

}  // namespace luot::bench
