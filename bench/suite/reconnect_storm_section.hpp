#pragma once

#include "markdown.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// Reconnect storm: after a morning of tickets, S subscribers connect and
// subscribe all at once while kiosks keep taking tickets: time until all
// are subscribed, and take-ticket latency meanwhile against a quiet window.
void run_reconnect_storm_section(const suite_settings& run, results_document& results);

}  // namespace luot::bench
