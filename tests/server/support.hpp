#pragma once

// What the server tests share: a centre built in code, a real server on
// 127.0.0.1:0 with a fresh SQLite file, a synchronous HTTP client and a
// frame-level WebSocket probe for hostile input (Beast stays inside
// support.cpp). Device-like clients use the shared device::device_client.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "app/server.hpp"
#include "config/settings.hpp"
#include "luot/v1/luot.pb.h"

namespace luot::testing {

inline constexpr const char* officer_password = "mat-khau-lan";
inline constexpr const char* display_token = "display-secret-token";
inline constexpr const char* kiosk_token = "kiosk-secret-token";
// A display of zone B: it shows counter 3 only.
inline constexpr const char* zone_b_display_token = "zone-b-display-token";

// The argon2id hash of officer_password (libsodium's cheapest limits, so
// tests stay fast), for configs written as TOML.
const std::string& password_hash();

// Categories A and B (always open); counter 1 serves A and B, counter 2
// serves A, counter 3 serves B. Officers "lan" (counters 1 and 3), "minh"
// (counter 2), manager "hoa"; all share officer_password. A display and a
// kiosk device, and a display of zone B (counter 3).
config::settings test_settings(const std::filesystem::path& database);

// A fresh directory under the system temp dir, removed on destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct http_reply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

// One request on a fresh connection. `token` becomes a bearer token.
http_reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = {}, const std::string& token = {});

// Like http_call, with one more header field (to test the header limit, or
// a proxy's X-Forwarded-For).
http_reply http_call_with_header(std::uint16_t port, const std::string& target,
                                 const std::string& header_name, const std::string& header_value,
                                 const std::string& method = "GET", const std::string& body = {});

// Parses JSON into a message; fails the test when it does not parse.
template <typename Message>
Message parse(const std::string& json);
void parse_into(const std::string& json, google::protobuf::Message& message);

// Blocking reads on the socket give up after `timeout`.
void set_receive_timeout(int socket, std::chrono::milliseconds timeout);

// The WebSocket handshake refused: the HTTP answer.
http_reply websocket_refused(std::uint16_t port, const std::string& subprotocol);

// What one read from a WebSocket gave.
struct frame {
  bool closed = false;
  std::uint16_t close_code = 0;
  std::string close_reason;
  bool text = false;
  std::string data;
};

// A synchronous, frame-level WebSocket client speaking luot.v1.proto or
// luot.v1.json, for what no real device does: malformed and oversize
// frames, the wrong frame type, never reading, and checking the exact
// messages and close codes the server sends. Anything that behaves like a
// device (mirrors the view, resumes, reconnects) uses device::device_client.
class protocol_probe {
 public:
  // A non-zero `receive_buffer` shrinks the socket's receive buffer (before
  // connecting), so a probe that stops reading backs the server up soon.
  protocol_probe(std::uint16_t port, const std::string& subprotocol, int receive_buffer = 0);
  ~protocol_probe();
  protocol_probe(const protocol_probe&) = delete;
  protocol_probe& operator=(const protocol_probe&) = delete;

  bool json() const { return json_; }
  // The subprotocol the server chose.
  const std::string& subprotocol() const { return subprotocol_; }

  void send(const v1::ClientMessage& message);
  void send_raw(const std::string& data, bool text);
  // Reads one frame; throws on timeout.
  frame read(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads and decodes one ServerMessage; fails the test on a close.
  v1::ServerMessage receive(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Sends a request and returns the reply with its request id, skipping
  // pushed events (they are kept for next_event).
  v1::ServerMessage request(v1::ClientMessage message);
  // The next pushed view update (request_id 0), passing over the Subscribed
  // reply that ends a resume backlog (kept in last_subscribed()).
  v1::ViewUpdate next_update(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  const v1::ServerMessage& last_subscribed() const { return last_subscribed_; }
  void close();
  // Writes raw bytes (not frames) to the socket without blocking until the
  // server stops taking them: true when nothing more was accepted for a
  // whole second (the server no longer reads this connection), false when
  // the connection broke or `within` passed first.
  bool flood_until_stalled(std::chrono::seconds within);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  bool json_ = false;
  std::string subprotocol_;
  std::uint64_t next_request_id_ = 100;
  v1::ServerMessage last_subscribed_;
};

// Client messages, built tersely.
v1::ClientMessage subscribe_message(std::optional<std::uint64_t> after_seq,
                                    std::uint64_t request_id = 1);
v1::ClientMessage hello_message(const std::string& token);
v1::ClientMessage ping_message(std::uint64_t request_id);
// Nothing more is queued for `client`: a ping is answered next.
void expect_nothing_pending(protocol_probe& client);

// A real luot-server on 127.0.0.1 with its own database file.
class running_server {
 public:
  explicit running_server(config::settings settings, app::server_options options = {});
  ~running_server();
  std::uint16_t port() const { return port_; }
  config::settings& settings() { return settings_; }
  // Stops, then starts again on the same database.
  void restart();
  void stop();

 private:
  config::settings settings_;
  app::server_options options_;
  std::unique_ptr<app::server> server_;
  std::uint16_t port_ = 0;
};

// Convenience over HTTP; each fails the test on an unexpected status.
v1::Ticket take_ticket(std::uint16_t port, const std::string& category,
                       const std::string& client_key = {});
std::string sign_in(std::uint16_t port, const std::string& username, const std::string& counter);
v1::CommandResult counter_action(std::uint16_t port, const std::string& token,
                                 const std::string& counter, const std::string& action,
                                 const std::string& body = {});
// Every ticket of the day, read by the manager (GET /api/v1/snapshot).
v1::Snapshot snapshot(std::uint16_t port);
// The bounded public view (GET /api/v1/view).
v1::View public_view(std::uint16_t port);
const v1::Ticket* find_ticket(const v1::Snapshot& state, const std::string& id);
const v1::Counter* find_counter(const v1::Snapshot& state, const std::string& id);
const v1::Category* find_category(const v1::Snapshot& state, const std::string& code);

// Takes `count` tickets quickly (alternately A and B): a kiosk pipelines
// them over one WebSocket, in batches its write queue holds.
void take_many(std::uint16_t port, int count);

template <typename Message>
Message parse(const std::string& json) {
  Message message;
  parse_into(json, message);
  return message;
}

}  // namespace luot::testing
