#pragma once

#include <filesystem>
#include <string>

namespace luot::bench {

// What the run ran on, for the head of RESULTS.md: date, CPU model and
// cores, kernel, memory, the database's filesystem, the open-files limit,
// the build type, Node and ws versions.
std::string describe_machine(const std::filesystem::path& work_directory,
                             const std::string& node_program, const std::string& peer_script);

// The current UTC time as "YYYY-MM-DD HH:MM UTC".
std::string utc_now();

// The first line a shell command prints, or "" when it fails.
std::string first_line_of(const std::string& command);

}  // namespace luot::bench
