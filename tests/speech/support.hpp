#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "speech/pcm.hpp"

namespace luot::speech::testing {

// The standard output of a shell command; the test fails if it exits non-zero.
std::string run_command(const std::string& command);

// Readings of FIRST..LAST (every STEP-th) by the npm oracle, by number.
std::map<std::uint64_t, std::string> oracle_readings(std::string_view dialect, std::uint64_t first,
                                                     std::uint64_t last, std::uint64_t step = 1);

// A fresh empty directory under the system's temporary directory.
std::filesystem::path fresh_directory(std::string_view name);

// A recognisable test sound: a tone of `hertz` lasting `milliseconds`.
pcm tone(double hertz, int milliseconds);

}  // namespace luot::speech::testing
