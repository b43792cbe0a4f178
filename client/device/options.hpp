#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::device {

// How frames are encoded on the wire: binary protobuf (luot.v1.proto) or
// protobuf's canonical JSON (luot.v1.json, what browsers speak).
enum class encoding { binary, json };

// What a device_client is configured with. Durations are short in tests and
// left at their defaults on a real device.
struct options {
  // "http://HOST:PORT" or "ws://HOST:PORT"; "https://..." or "wss://..."
  // for TLS.
  std::string server_url;
  // For TLS: a PEM file of the certificate authorities to trust (a centre's
  // private CA); empty trusts the system's store. The server's certificate
  // must also name the URL's host.
  std::string ca_file;
  // A device token from the server's config, or an officer's session token;
  // empty connects anonymously.
  std::string token;
  encoding format = encoding::binary;
  // Sent in Hello and logged by the server, e.g. "luot-display 0.1".
  std::string client_name = "luot-device 0.1";
  // A citizen's phone: watch one ticket by its status token.
  std::string ticket_token;
  // A zone: narrow the view to these counters (empty: what the token sees).
  std::vector<std::string> counters;

  // A Ping goes out this often once the server has welcomed the client.
  std::chrono::milliseconds ping_interval{2000};
  // No frame of any kind for this long means the link is dead (a half-open
  // TCP connection, a frozen server): it is cut and a new one is made.
  std::chrono::milliseconds ping_timeout{6000};
  // Reconnect delays: exponential from `backoff_initial` to `backoff_max`,
  // each drawn uniformly below the current bound (full jitter).
  std::chrono::milliseconds backoff_initial{250};
  std::chrono::milliseconds backoff_max{10000};
  // From the start of a connection attempt (name lookup, TCP connect,
  // WebSocket handshake) to the server's Welcome.
  std::chrono::milliseconds connect_timeout{5000};
  // Messages waiting to be written; a command beyond it fails at once with
  // UNAVAILABLE rather than piling up behind a stuck socket.
  std::size_t outgoing_queue_limit = 64;
  // The largest message accepted from the server.
  std::size_t message_limit = 8 * 1024 * 1024;
  // Seeds the backoff jitter; 0 picks a random seed.
  std::uint64_t jitter_seed = 0;
};

// Returns why `settings` cannot work, or nothing when they can.
std::optional<std::string> check(const options& settings);

// Its values index an array in device_client.cpp: add new ones at the end.
enum class connection_state {
  // Not started, or stopped.
  stopped,
  // Connecting, handshaking, waiting for the Welcome.
  connecting,
  // Welcomed and subscribed; the view or the missed updates are arriving.
  syncing,
  // The mirror is current and live updates flow.
  live,
  // The link failed; a new attempt follows after `retry_in`.
  disconnected,
};

std::string_view to_string(connection_state state);

// The state of the link to the server, as reported to on_state and status().
struct link_status {
  connection_state state = connection_state::stopped;
  // Why, in English for logs and technicians (screens use the catalogue).
  std::string reason;
  // The server's own error when one caused this (a refused token gives
  // UNAUTHENTICATED, a subscribe storm RATE_LIMITED).
  std::optional<v1::Error> error;
  // The close code when the server closed the link (1008: too slow, 1001:
  // server stopping, 1009: message too large).
  std::uint16_t close_code = 0;
  // When not live: the last moment the mirror was known to be current (the
  // last frame received while live), so a screen can say how old its data
  // is. Empty before the first view.
  std::optional<std::chrono::system_clock::time_point> stale_since;
  // When disconnected: the delay before the next attempt.
  std::chrono::milliseconds retry_in{0};
  // Consecutive attempts that failed before getting live.
  std::uint32_t failures = 0;
};

// Where a reported call comes from, so a display announces live calls and
// only shows the others.
enum class call_origin {
  // Pushed while live: announce it.
  live,
  // Happened while this client was disconnected; learned from the resync
  // view or the resume backlog, oldest first.
  missed,
  // Already in the first view this client received after start().
  before_start,
};

std::string_view to_string(call_origin origin);

}  // namespace luot::device
