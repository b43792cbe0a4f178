#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

namespace luot::config {

// A configuration problem, already phrased as "file:line:column: what".
class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class role { officer, manager };

struct staff_member {
  std::string username;
  std::string display_name;
  // argon2id string from `luot-server hash-password`.
  std::string password_hash;
  role staff_role = role::officer;
  // Counters this person may sign in to; empty means any.
  std::vector<std::string> counters;
};

enum class device_kind { display, kiosk };

struct device {
  std::string id;
  device_kind kind = device_kind::display;
  std::string token;
  // Counters a display shows; empty means all.
  std::vector<std::string> counters;
};

// Caps on everything that comes from outside, and where to listen.
struct server_settings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::filesystem::path database = "luot.db";
  unsigned io_threads = 2;
  std::size_t header_limit = 8 * 1024;
  std::size_t body_limit = 64 * 1024;
  std::size_t websocket_message_limit = 64 * 1024;
  // Messages queued for one WebSocket before it is cut off as too slow.
  std::size_t write_queue_limit = 1024;
  std::chrono::seconds http_idle_timeout{30};
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds websocket_idle_timeout{60};
  std::chrono::minutes session_lifetime{12 * 60};
  // Anonymous take-ticket requests per minute per address or kiosk.
  std::uint32_t take_ticket_per_minute = 30;
  // Events kept in memory for resuming subscribers; older seqs get a snapshot.
  std::size_t resume_window = 10000;
  // Directory of the static web console (later issues); empty for none.
  std::filesystem::path web_root;
};

struct settings {
  core::centre_config centre;
  server_settings server;
  std::vector<staff_member> staff;
  std::vector<device> devices;
};

// Reads and validates a centre's TOML file; throws config_error naming the
// file, line and what is wrong.
settings load_file(const std::filesystem::path& path);
settings parse(std::string_view text, std::string_view source_name);

}  // namespace luot::config
