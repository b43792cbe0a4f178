#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "device/asio.hpp"
#include "device/backoff.hpp"
#include "device/options.hpp"
#include "device/request_table.hpp"
#include "device/server_url.hpp"
#include "device/websocket_link.hpp"
#include "view/mirror.hpp"

namespace luot::device {

// Keeps a view::mirror equal to the server's view across any number of
// connections: connect, Hello, Subscribe (resuming from the mirror's seq),
// apply the view or the missed updates, then live updates; Ping to prove the
// link alive; on any failure report it, fail the waiting commands and try
// again after a jittered backoff. Lives on one strand and is driven only
// from it.
class synchronizer : public std::enable_shared_from_this<synchronizer> {
 public:
  // Told about everything on the strand, in order.
  class observer {
   public:
    virtual ~observer() = default;
    // After every view or update applied (also when nothing visible changed,
    // so the seq copy stays current).
    virtual void changed(const view::mirror& mirror, const view::change& what) = 0;
    virtual void called(const v1::Call& call, call_origin origin) = 0;
    virtual void state_changed(const link_status& status) = 0;
  };

  synchronizer(strand executor, options settings, server_url url, observer& watcher);

  void start();
  // Closes the link, cancels every timer and fails waiting commands; nothing
  // is reported after it but the final `stopped` state.
  void stop();
  // Sends a command once welcomed; otherwise answers UNAVAILABLE at once.
  void send(v1::Command command, reply_handler handler);

 private:
  enum class phase { stopped, waiting, connecting, greeting, subscribing, live };

  void connect();
  void on_opened();
  void on_message(v1::ServerMessage message);
  void on_ended(link_end why);
  void on_welcome(const v1::Welcome& welcome);
  void on_view(const v1::View& view);
  void on_update(const v1::ViewUpdate& update);
  void catch_up_if_current();
  // The stream is cut to a zone or a ticket, so it may skip seqs.
  bool narrowed() const;
  void go_live(const std::string& how);
  // Drops the link because of `reason`; `error` is the server's, if any.
  void drop(std::string reason, std::optional<v1::Error> error = std::nullopt);
  std::uint64_t send_ping();
  void arm_watchdog();
  void arm_pinger();
  void report(connection_state state, std::string reason, std::optional<v1::Error> error = {},
              std::uint16_t close_code = 0, std::chrono::milliseconds retry_in = {});

  strand executor_;
  options settings_;
  server_url url_;
  observer& watcher_;
  view::mirror mirror_;
  request_table requests_;
  backoff backoff_;
  std::shared_ptr<websocket_link> link_;
  asio::steady_timer watchdog_;
  asio::steady_timer pinger_;
  asio::steady_timer retry_;
  phase phase_ = phase::stopped;
  // Counts connection attempts; timers and link handlers carry the attempt
  // they belong to and do nothing once it is over.
  std::uint64_t attempt_ = 0;
  std::uint64_t hello_id_ = 0;
  std::uint64_t subscribe_id_ = 0;
  // The server's seq when it welcomed this connection: calls up to it were
  // missed, calls after it are live.
  std::uint64_t welcome_seq_ = 0;
  bool had_view_ = false;
  // The link is dead when nothing at all arrives before this moment.
  std::chrono::steady_clock::time_point deadline_;
  // The last frame received while live: the data was current then.
  std::optional<std::chrono::system_clock::time_point> current_at_;
  // The server's error that the link is being dropped for, for the report.
  std::optional<v1::Error> drop_error_;
  std::uint32_t failures_ = 0;
};

}  // namespace luot::device
