#pragma once

#include "markdown.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// Fan-out of one call to N subscribers: luot-server, the Node.js peer on
// `ws` and the kernel floor, interleaved, each measured by the same raw
// epoll receiver (kernel receive timestamps). Figures: call → last
// subscriber, server CPU per call, idle memory per subscriber.
void run_fanout_section(const suite_settings& run, results_document& results);

}  // namespace luot::bench
