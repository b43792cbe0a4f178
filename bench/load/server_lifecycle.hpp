#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <thread>

#include "run_settings.hpp"
#include "server_child.hpp"

namespace luot::bench {

// Subscribes per minute per address: the device clients of a fan-out row
// all connect from 127.0.0.1, so the limit is lifted to the loader's maximum
// except for the storm, which tries both.
inline constexpr std::uint32_t subscribe_limit_for_devices = 100000;

// The server of the run: one for every row, as a real day would be, or a
// fresh one (and database) per row.
class server_lifecycle {
 public:
  server_lifecycle(const run_settings& run, const std::filesystem::path& directory)
      : fresh_(run.fresh),
        directory_(directory),
        server_(run.server_program, directory, bench_centre_toml(subscribe_limit_for_devices)) {
    restart();
  }

  // Before a row: a new server when every row gets a fresh one.
  void next_row() {
    if (fresh_) restart();
  }
  const server_child& server() const { return server_; }
  std::uint16_t port() const { return server_.port(); }
  double started_rss() const { return started_rss_; }

 private:
  void restart() {
    server_.start(directory_ / ("load-" + std::to_string(++databases_) + ".db"));
    // Let the server finish starting (threads, first allocations).
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    started_rss_ = server_.sample().resident_mebibytes;
  }

  bool fresh_;
  std::filesystem::path directory_;
  server_child server_;
  int databases_ = 0;
  double started_rss_ = 0;
};

}  // namespace luot::bench
