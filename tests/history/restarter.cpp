#include "restarter.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace luot::history {

namespace {

// Below the kernel's ephemeral range (32768-60999 by default).
constexpr unsigned lowest_port = 10000;
constexpr unsigned highest_port = 32000;
constexpr int port_attempts = 20;
constexpr int restart_attempts = 5;

}  // namespace

server_restarter::server_restarter(std::filesystem::path directory, const std::string& centre_toml)
    : process_(std::move(directory), centre_toml) {}

namespace {

// The highest port below the ephemeral range this machine uses.
unsigned highest_safe_port() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned first = 0;
  if (range >> first && first > lowest_port + 1000) return std::min(highest_port, first - 1);
  return highest_port;
}

}  // namespace

void server_restarter::start(std::mt19937_64& random) {
  std::uniform_int_distribution<unsigned> pick(lowest_port, highest_safe_port());
  std::string last_failure;
  for (int attempt = 0; attempt < port_attempts; ++attempt) {
    const auto port = static_cast<std::uint16_t>(pick(random));
    try {
      process_.start(port);
      port_ = process_.port();
      return;
    } catch (const std::exception& failure) {
      // Most likely the port is taken: try another.
      last_failure = failure.what();
    }
  }
  throw std::runtime_error("luot-server did not start on any of " + std::to_string(port_attempts) +
                           " ports; the last attempt said:\n" + last_failure);
}

void server_restarter::kill_and_restart(std::chrono::milliseconds down_for) {
  const int status = process_.kill();
  if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
    throw std::runtime_error("luot-server had already exited (wait status " +
                             std::to_string(status) + ") before kill " +
                             std::to_string(kills_ + 1) + ":\n" + process_.log());
  }
  ++kills_;
  std::this_thread::sleep_for(down_for);
  std::string last_failure;
  for (int attempt = 0; attempt < restart_attempts; ++attempt) {
    try {
      process_.start(port_);
      return;
    } catch (const std::exception& failure) {
      last_failure = failure.what();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  throw std::runtime_error("luot-server did not come back after kill " + std::to_string(kills_) +
                           ":\n" + last_failure);
}

void server_restarter::stop() {
  process_.kill();
}

}  // namespace luot::history
