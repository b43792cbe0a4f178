#pragma once

#include "markdown.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// Call → screen: an officer calls once a second while S hall screens (the
// shared device client, as luot-display runs it) mirror the view; each
// call is timed to the moment each screen's mirror has applied it.
void run_call_to_screen_section(const suite_settings& run, results_document& results);

}  // namespace luot::bench
