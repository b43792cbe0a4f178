#pragma once

// The server restarter: the real luot-server program on one database and
// one port, killed with SIGKILL and started again as often as asked.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>

#include "../server/server_process.hpp"

namespace luot::history {

class server_restarter {
 public:
  // `directory` holds the config, the database and the server's logs.
  server_restarter(std::filesystem::path directory, const std::string& centre_toml);

  // Starts the server on a free port below the kernel's ephemeral range, so
  // that no client's own connection can take the port while the server is
  // down (a connect to a closed port can otherwise connect to itself).
  // Call it, and kill_and_restart, from a thread that lives as long as the
  // server: the child dies with the thread that forked it.
  void start(std::mt19937_64& random);
  // SIGKILL, wait `down_for` (clients find nothing listening), start again
  // on the same port and database. Throws with the server's output when it
  // does not come back.
  void kill_and_restart(std::chrono::milliseconds down_for);
  void stop();

  std::uint16_t port() const { return port_; }
  unsigned kills() const { return kills_; }
  const std::filesystem::path& database() const { return process_.database(); }
  std::string log() const { return process_.log(); }

 private:
  testing::server_process process_;
  std::uint16_t port_ = 0;
  unsigned kills_ = 0;
};

}  // namespace luot::history
