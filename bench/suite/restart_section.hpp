#pragma once

#include "markdown.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// Restart with a long event log: from starting luot-server to its first
// 200 on /readyz, on a log written by event_log_builder.
void run_restart_section(const suite_settings& run, results_document& results);

}  // namespace luot::bench
