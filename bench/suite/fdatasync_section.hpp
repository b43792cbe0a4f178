#pragma once

#include <chrono>
#include <filesystem>

#include "load/latency.hpp"
#include "markdown.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// `samples` appends of one 4 KiB page to a new file `file`, each followed by
// fdatasync; with an `interval`, each write waits until its turn (the first
// at once, then one every interval, as the open loop's tickets come), so the
// disk is measured at the pace a row asks of it. Only the write and the sync
// are timed. The file is removed afterwards.
latency_summary measure_fdatasync(const std::filesystem::path& file, unsigned samples,
                                  std::chrono::nanoseconds interval = {});

// The machine's fdatasync latency on the databases' filesystem: 4 KiB
// appended and made durable, as a WAL commit does.
void run_fdatasync_section(const suite_settings& run, results_document& results);

}  // namespace luot::bench
