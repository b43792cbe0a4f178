#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "child_program.hpp"
#include "process_stats.hpp"

namespace luot::bench {

// The hall display token of the benchmark's centre.
inline constexpr std::string_view display_token = "bench-display-token-0001";
// Its categories, in order.
inline constexpr std::string_view bench_categories[] = {"LDVL", "NCC", "BTXH", "TE"};

// The centre the benchmark runs: four always-open categories, four counters
// serving all of them, a hall display, two I/O threads, and the reset time
// twelve hours away so the service day does not close during a run. Every
// other setting (write queue caps, resume window) is the server's default,
// except the take-ticket limit per address, raised to the loader's maximum
// because the benchmark's kiosks take far more than a real one, and the
// subscribe limit per address when `subscribe_per_minute` is given (the
// device clients all connect from 127.0.0.1).
std::string bench_centre_toml(std::optional<std::uint32_t> subscribe_per_minute);

// The real luot-server program as a child process, so its CPU time and
// memory are its own and not the benchmark's. It dies with the benchmark
// (PR_SET_PDEATHSIG).
class server_child {
 public:
  // `directory` holds the config (`centre_toml`) and one log per start.
  server_child(std::filesystem::path program, std::filesystem::path directory,
               const std::string& centre_toml);
  server_child(const server_child&) = delete;
  server_child& operator=(const server_child&) = delete;

  // Starts the program on a free port with `database` and waits until it
  // listens; throws with its log when it does not.
  void start(const std::filesystem::path& database);
  // SIGTERM (the server commits and closes), SIGKILL after 15 s.
  void stop();

  std::uint16_t port() const { return child_.port(); }
  pid_t pid() const { return child_.pid(); }
  process_sample sample() const { return child_.sample(); }
  std::string log() const { return child_.log(); }

 private:
  std::filesystem::path program_;
  std::filesystem::path directory_;
  child_program child_;
  int starts_ = 0;
};

}  // namespace luot::bench
