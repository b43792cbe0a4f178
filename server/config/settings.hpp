#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/address_range.hpp"
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
  // Set by a manager from the web pages (never in the TOML file): a
  // disabled account cannot sign in.
  bool disabled = false;
  // A deployment directory binds every member to centres (deployment.toml's
  // `centres`): the member signs in at those only. Empty in a one-centre
  // file, where every member belongs to the one centre.
  std::vector<std::string> centres = {};
};

// A rating device is the counter-side tablet on which citizens rate a
// service (/rate/<counter>); it may only rate services of its counters.
enum class device_kind { display, kiosk, rating };

struct device {
  std::string id;
  device_kind kind = device_kind::display;
  std::string token;
  // Counters a display shows; empty means all.
  std::vector<std::string> counters;
  // The centre the device belongs to (deployment.toml's `centre`); empty in
  // a one-centre file.
  std::string centre = {};
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
  // Messages, and bytes, queued for one WebSocket before it is cut off as
  // too slow (it resubscribes). A resume backlog is shared with the resume
  // window and paced by the socket, so it counts against neither.
  std::size_t write_queue_limit = 1024;
  std::size_t write_queue_bytes = 1 << 20;
  // The kernel's send buffer of each WebSocket, in bytes; 0 leaves it to the
  // kernel's autotuning (up to net.ipv4.tcp_wmem's maximum, 4 MiB by
  // default). A smaller one bounds what a stalled reader holds in the kernel
  // and finds it sooner.
  std::size_t websocket_send_buffer = 0;
  // Subscribe requests per minute per remote address (each costs a view).
  std::uint32_t subscribe_per_minute = 60;
  // Sign-in attempts per minute per remote address.
  std::uint32_t sign_in_per_minute = 30;
  std::chrono::seconds http_idle_timeout{30};
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds websocket_idle_timeout{60};
  std::chrono::minutes session_lifetime{12 * 60};
  // Anonymous take-ticket requests per minute per address or kiosk.
  std::uint32_t take_ticket_per_minute = 30;
  // The share (percent) of a category's daily numbers one address may take
  // anonymously in a service day, so that nobody exhausts a category with a
  // daily limit or a numeric block from one address. Kiosks (counted by
  // take_ticket_per_minute per device) and staff are not capped; neither
  // are categories whose numbers never run out. 0 or 100 turns it off.
  std::uint32_t take_ticket_address_share_percent = 25;
  // Events kept in memory for resuming subscribers; older seqs get a snapshot.
  std::size_t resume_window = 10000;
  // And at most this many bytes of them (encoded, binary): long notes or
  // reasons make each update bigger, so the count alone does not bound it.
  std::size_t resume_window_bytes = 64 << 20;
  // Directory of the web pages (server/web); empty for the built-in
  // default. A relative path is taken from the config file's directory.
  std::filesystem::path web_root;
  // TLS: a PEM certificate chain (the server's certificate first) and its
  // unencrypted PEM private key. When both are set the port speaks HTTPS
  // and WSS only. A relative path is taken from the config file's directory.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_private_key;
  // Reverse proxies (nginx, HAProxy) whose X-Forwarded-For is believed: a
  // request that comes through one of them counts as coming from the
  // address the header names, so per-address limits fall on each citizen,
  // not on the proxy all of them share. Empty: the header is ignored
  // (anyone can write it).
  std::vector<address_range> trusted_proxies;
  // Wrong passwords for one username from one address before sign-in is
  // refused for that pair, and for how long.
  std::uint32_t sign_in_lockout_failures = 5;
  std::chrono::minutes sign_in_lockout{15};
};

// What the server of one centre needs. From a one-centre file as it is;
// in a deployment directory, one per centre (centre_settings).
struct settings {
  core::centre_config centre;
  server_settings server;
  std::vector<staff_member> staff;
  std::vector<device> devices;
  // How the API addresses the centre (/api/v1/centres/{id}/...): [centre]
  // id, else "default" in a one-centre file, else the centre file's name.
  std::string centre_id = std::string(default_centre_id);
  // The centre's key in a database that holds several centres' logs
  // (PostgreSQL's centre column): '' for a one-centre file, so its log
  // stays where it always was; the centre id in a deployment directory.
  std::string store_centre;

  static constexpr std::string_view default_centre_id = "default";
};

// Reads and validates a centre's TOML file; throws config_error naming the
// file, line and what is wrong.
settings load_file(const std::filesystem::path& path);
settings parse(std::string_view text, std::string_view source_name);

// One centre of a deployment directory: centres/<file>.toml.
struct centre_entry {
  std::string id;
  core::centre_config centre;
  std::filesystem::path source;
};

// Everything one luot-server serves: a one-centre file (one entry, the
// paths of today) or a directory of deployment.toml ([server], staff and
// devices bound to centres) and centres/*.toml (one centre each).
struct deployment {
  server_settings server;
  // Sorted by id.
  std::vector<centre_entry> centres;
  std::vector<staff_member> staff;
  std::vector<device> devices;
  // Read from a directory: staff and devices are bound to centres, and each
  // centre keeps its own log (store_centre = id).
  bool directory = false;
};

// Reads `path`: a one-centre TOML file, or a deployment directory (see
// docs/multi-centre.md). Throws config_error naming the file, line and
// what is wrong; a broken centre file stops the whole load.
deployment load_deployment(const std::filesystem::path& path);
// A deployment directory from its texts: deployment.toml's and each centre
// file's, with the names errors give them (tests; load_deployment reads
// the files and calls it).
deployment parse_deployment(std::string_view deployment_text, std::string_view deployment_source,
                            const std::vector<std::pair<std::string, std::string>>& centre_files);
// A one-centre file's settings as a deployment of one.
deployment single_centre(settings one);

}  // namespace luot::config
