#include "support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <sstream>

namespace luot::speech::testing {

std::string run_command(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return output;
  }
  char buffer[65536];
  std::size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << command;
  return output;
}

std::map<std::uint64_t, std::string> oracle_readings(std::string_view dialect, std::uint64_t first,
                                                     std::uint64_t last, std::uint64_t step) {
  const std::string command = std::string(LUOT_NODE) + " " + LUOT_SPEECH_TEST_DIR +
                              "/read_numbers.cjs " + LUOT_TEST_TOOLS_DIR + " " +
                              std::string(dialect) + " " + std::to_string(first) + " " +
                              std::to_string(last) + " " + std::to_string(step);
  std::map<std::uint64_t, std::string> readings;
  std::istringstream lines(run_command(command));
  std::string line;
  while (std::getline(lines, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    readings[std::stoull(line.substr(0, tab))] = line.substr(tab + 1);
  }
  return readings;
}

std::filesystem::path fresh_directory(std::string_view name) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("luot-speech-" + std::string(name) + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  return directory;
}

pcm tone(double hertz, int milliseconds) {
  pcm sound;
  const auto count = static_cast<std::size_t>(milliseconds) * sample_rate / 1000;
  for (std::size_t i = 0; i < count; ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    sound.samples.push_back(
        static_cast<std::int16_t>(std::lround(8000 * std::sin(2 * std::numbers::pi * hertz * t))));
  }
  return sound;
}

}  // namespace luot::speech::testing
