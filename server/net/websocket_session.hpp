#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/beast.hpp"
#include "net/fifo.hpp"
#include "net/hub.hpp"
#include "net/session_stream.hpp"
#include "net/shared_state.hpp"

namespace luot::net {

// One WebSocket connection speaking luot.v1.proto (binary frames) or
// luot.v1.json (text frames). Reads ClientMessages one at a time, answers
// each request on this session's thread, and writes through a bounded queue:
// a client too slow to drain it is cut off (1008) and resubscribes, and
// never slows anyone else. The same over plain TCP and over TLS.
class websocket_session : public subscriber,
                          public closable,
                          public std::enable_shared_from_this<websocket_session> {
 public:
  static constexpr std::string_view proto_subprotocol = "luot.v1.proto";
  static constexpr std::string_view json_subprotocol = "luot.v1.json";

  // `stream` is the upgraded HTTP connection (plain or TLS).
  websocket_session(websocket_stream&& stream, shared_state& state, encoding format,
                    std::string remote_address);
  ~websocket_session() override;

  // Completes the opening handshake of `upgrade`, then reads.
  void run(http::request<http::string_body> upgrade);

  encoding wanted() const override { return format_; }
  void deliver(std::shared_ptr<const std::string> message) override;
  void catch_up(std::vector<std::shared_ptr<const published_update>> backlog, view::zone zone,
                std::uint64_t request_id, std::uint64_t reached_seq) override;
  void send_view(published_view view, view::zone zone, std::uint64_t request_id) override;
  const void* home() const override { return home_; }
  void deliver_batch(delivery_batch batch) override;
  void shutdown() override;
  void keep_alive(std::chrono::steady_clock::time_point now) override;

 private:
  // Errors that only mean the connection ended (not worth a log line).
  static bool is_shutdown(const beast::error_code& ec);
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void handle(std::string_view frame, bool text);
  void handle_hello(std::uint64_t request_id, const v1::Hello& hello);
  void handle_subscribe(std::uint64_t request_id, const v1::Subscribe& subscribe);
  void handle_command(std::uint64_t request_id, v1::Command command);
  void reply_error(std::uint64_t request_id, const core::error& failure);
  void reply(const v1::ServerMessage& message);

  // On the strand: queue one message, or cut the client off when full.
  void enqueue(std::shared_ptr<const std::string> message);
  // The next message to write: the resume backlog once everything queued
  // before it is out, then the queue. Empty when there is nothing.
  std::shared_ptr<const std::string> next_message();
  // On this session's thread: a fan-out message, written at once when
  // nothing is queued or being written, else queued.
  void deliver_here(const std::shared_ptr<const std::string>& message);
  // Writes queued messages while the socket takes them whole.
  void do_write();
  // Writes `message` by hand at once if the socket takes it whole (see
  // websocket_stream::write_now) and says so; otherwise starts writing it
  // asynchronously (the rest by hand, or all of it through Beast).
  bool write(const std::shared_ptr<const std::string>& message);
  // `payload` as one data frame: the header in frame_header_.
  frame_buffers frame_of(const std::string& payload);
  static frame_buffers rest_of(const frame_buffers& frame, std::size_t sent);
  void on_write(beast::error_code ec, std::size_t bytes);
  // Stops reading and queueing, and closes with `reason` once the write in
  // flight (if any) is done; the socket is cut after `grace` regardless.
  void begin_close(websocket::close_reason reason, std::chrono::steady_clock::duration grace);
  // Closes a client that broke a limit (1008, 1009) without the closing
  // handshake: the close frame goes out, then the end of the stream, and
  // nothing more is read from it (see send_close_frame).
  void cut_off(websocket::close_reason reason);
  void send_close();
  void send_close_frame();
  void leave_hub();
  // On this session's thread: a command's reply, which may resume reading.
  void command_answered(std::shared_ptr<const std::string> reply);
  // Takes one subscribe from this connection's allowance and its address's.
  enum class subscribe_verdict { allowed, connection_exhausted, address_limited };
  subscribe_verdict allow_subscribe();

  websocket_stream ws_;
  // The context this session runs on when it has a thread to itself (see
  // net::listener), for the hub's batches; null on a strand.
  const void* home_ = nullptr;
  beast::flat_buffer buffer_;
  shared_state& state_;
  encoding format_;
  std::string remote_address_;
  // The token given in Hello; resolved again for each command so an expired
  // session stops working on an open connection.
  std::string token_;
  // The device this connection said Hello as, if any (for its presence).
  std::string device_;
  fifo<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  // A resume under way: the updates a resuming subscriber still has to
  // get, written one at a time as the socket takes them (shared with the
  // hub's window, so they count against no cap), the zone's part of each
  // cut on the way. Only while resuming: an idle screen holds none of it.
  struct resume_state {
    fifo<std::shared_ptr<const published_update>> backlog;
    view::zone zone;
    // The Subscribed reply that follows the backlog's last update.
    std::shared_ptr<const std::string> done;
    // Messages queued before the backlog arrived, which go out first.
    std::size_t ahead = 0;
  };
  std::unique_ptr<resume_state> resume_;
  std::shared_ptr<const std::string> in_flight_;
  std::array<char, 10> frame_header_{};
  bool writing_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  // Set by cut_off: the close is one frame, not a handshake.
  bool close_without_reply_ = false;
  bool subscribed_ = false;
  // Subscribes refused by the rate limit since the last one accepted.
  int refused_subscribes_ = 0;
  // Commands sent and not yet answered; reading pauses at the limit.
  std::size_t commands_in_flight_ = 0;
  bool read_paused_ = false;
  // This connection's own allowance of subscribes (a token bucket): a
  // device subscribes once per connection, so a few are plenty.
  double subscribe_allowance_;
  std::chrono::steady_clock::time_point allowance_updated_;
  // What closing needs, made when it starts (an open session holds none
  // of it): the reason, the close frame written by hand, and the timer that
  // cuts the socket after the grace.
  struct closing_state {
    explicit closing_state(const plain_stream::executor_type& executor) : cutoff(executor) {}
    websocket::close_reason reason;
    std::string frame;
    asio::steady_timer cutoff;
  };
  std::unique_ptr<closing_state> close_;
};

}  // namespace luot::net
