#pragma once

#include "markdown.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// The machine's fdatasync latency on the databases' filesystem: 4 KiB
// appended and made durable, as a WAL commit does.
void run_fdatasync_section(const suite_settings& run, results_document& results);

}  // namespace luot::bench
