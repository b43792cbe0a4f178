#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace luot::bench {

// Which subscribers a fan-out row uses.
enum class receiver { device_client, raw_epoll };

struct fanout_plan {
  std::size_t subscribers;
  receiver kind;
};

// How hard each storm connection asks: `per_tick` Subscribes every `tick`.
struct storm_plan {
  std::string name;
  std::size_t per_tick;
  std::chrono::milliseconds tick;
};

// What one run measures and how hard; main fills it from the command line.
struct run_settings {
  bool fresh = false;
  double seconds = 3;
  double fanout_per_second = 100;
  std::vector<unsigned> clients = {1, 4, 16, 64};
  std::vector<fanout_plan> fanouts = {{10, receiver::device_client},
                                      {100, receiver::device_client},
                                      {100, receiver::raw_epoll},
                                      {1000, receiver::raw_epoll}};
  std::uint64_t behind = 5000;
  std::uint64_t busy_day = 3000;
  std::size_t storm_connections = 300;
  std::vector<storm_plan> storm_plans = {{"flood", 10, std::chrono::milliseconds(10)},
                                         {"steady", 1, std::chrono::milliseconds(100)}};
  // Subscribe limits per address to storm under; empty: the server's default.
  std::vector<std::optional<std::uint32_t>> storm_limits = {std::nullopt, 100000};
  double storm_seconds = 5;
  double storm_tickets_per_second = 200;
  unsigned repetitions = 3;
  std::set<std::string> sections = {"take", "fanout", "resume", "storm"};
  std::string server_program;
};

// --quick: small N and short windows, a few seconds in all.
inline void apply_quick(run_settings& run) {
  run.seconds = 0.5;
  run.clients = {1, 16};
  run.fanouts = {{10, receiver::device_client}, {100, receiver::raw_epoll}};
  run.behind = 1000;
  run.busy_day = 300;
  run.storm_connections = 50;
  run.storm_plans.resize(1);
  run.storm_limits = {std::nullopt};
  run.storm_seconds = 1;
  run.repetitions = 1;
}

}  // namespace luot::bench
