// luot-server: the queue-ticketing server of one service centre, or of
// several (a deployment directory, docs/multi-centre.md).
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "app/server.hpp"
#include "config/settings.hpp"
#include "net/auth.hpp"

namespace {

constexpr const char* version_text = "luot-server 0.1.0";

// Reads one line from stdin without echoing it when stdin is a terminal.
std::string read_password() {
  const bool terminal = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (terminal) {
    std::cerr << "Password: " << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

int hash_password() {
  luot::net::initialize_crypto();
  const std::string password = read_password();
  if (password.empty()) {
    std::cerr << "luot-server: empty password\n";
    return 1;
  }
  std::cout << luot::net::hash_password(password) << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Luot queue-ticketing server", "luot-server"};
  cli.set_version_flag("--version", version_text);
  std::string config_file;
  std::optional<std::string> database;
  std::optional<std::uint16_t> port;
  std::optional<std::string> address;
  bool always_open = false;
  cli.add_option("--config", config_file,
                 "Centre configuration (TOML file), or a deployment directory of several centres");
  cli.add_option("--database", database,
                 "SQLite file or postgresql:// URL (overrides [server] database)");
  cli.add_option("--port", port, "TCP port to listen on; 0 picks a free one");
  cli.add_option("--address", address, "Address to listen on");
  cli.add_flag("--always-open", always_open, "Ignore opening hours (demos and tests)");
  auto* hash =
      cli.add_subcommand("hash-password", "Read a password from stdin and print its argon2id hash");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& failure) {
    // --help and --version end here with 0; a usage error prints why and exits 1.
    return cli.exit(failure) == 0 ? 0 : 1;
  }

  try {
    if (hash->parsed()) return hash_password();
    if (config_file.empty()) {
      std::cerr << "luot-server: --config FILE|DIRECTORY is required (see --help)\n";
      return 1;
    }
    auto deployment = luot::config::load_deployment(config_file);
    if (database) deployment.server.database = *database;
    if (port) deployment.server.port = *port;
    if (address) deployment.server.address = *address;
    if (always_open) {
      for (auto& centre : deployment.centres)
        for (auto& category : centre.centre.categories) category.hours.reset();
    }
    luot::app::server server(std::move(deployment));
    server.start();
    server.wait_for_signal();
    server.stop();
    return 0;
  } catch (const std::exception& failure) {
    std::cerr << "luot-server: " << failure.what() << '\n';
    return 1;
  }
}
