#pragma once

#include <filesystem>

#include "report.hpp"
#include "run_settings.hpp"
#include "server_lifecycle.hpp"

namespace luot::bench {

// Each section of bench_load measures and prints its Markdown tables on
// stdout, and records failed correctness checks in `checks`.
void print_take_ticket(const run_settings& run, server_lifecycle& servers, report& checks);
void print_fanout(const run_settings& run, server_lifecycle& servers, report& checks);
void print_resume(const run_settings& run, server_lifecycle& servers, report& checks);
// The storm runs its own servers (one per series) under `directory`.
void print_storm(const run_settings& run, const std::filesystem::path& directory, report& checks);

}  // namespace luot::bench
