#pragma once

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "device/asio.hpp"
#include "device/options.hpp"
#include "device/server_url.hpp"
#include "luot/v1/luot.pb.h"

namespace luot::device {

namespace ssl = asio::ssl;

// A TLS client context that verifies the server against the CA
// certificates in `ca_file` (PEM), or the system's store when it is empty.
// Throws std::invalid_argument naming the file and what is wrong with it.
std::shared_ptr<ssl::context> make_tls_client_context(const std::string& ca_file);

// Why a link ended, as its owner reports it.
struct link_end {
  std::string reason;
  // The server's close code when it closed the link; 0 otherwise.
  std::uint16_t close_code = 0;
};

// One WebSocket connection to the server: name lookup, TCP connect, for a
// wss:// or https:// URL the TLS handshake (the certificate verified against
// the URL's host name), the WebSocket handshake with the chosen subprotocol, a read loop that
// decodes each frame into a ServerMessage, and a single writer draining a bounded queue. It knows
// nothing of Hello or Subscribe, nor of time limits: its owner (the synchronizer) decides when a
// silent link is dead and calls fail(). Every handler runs on the owner's strand.
class websocket_link : public std::enable_shared_from_this<websocket_link> {
 public:
  // Called on the strand. `ended` is called exactly once, unless the owner
  // abandoned the link first.
  struct handlers {
    std::function<void()> opened;
    std::function<void(v1::ServerMessage)> received;
    std::function<void(link_end)> ended;
  };

  // `close_grace` bounds a polite close: a frozen server never answers it.
  websocket_link(strand executor, server_url url, encoding format, std::size_t queue_limit,
                 std::size_t message_limit, std::chrono::milliseconds close_grace, handlers events);

  // Starts connecting; `opened` follows the completed handshake.
  void open();
  // Queues a message; false when the queue is full or the link is not open.
  bool send(const v1::ClientMessage& message);
  // Room left in the outgoing queue.
  std::size_t room() const;
  // Cuts the connection at once (no close handshake: the peer may be
  // frozen) and reports `ended` with `reason`.
  void fail(std::string reason);
  // Closes politely (a close frame, cut after a short grace) without
  // reporting anything more: the owner is done with this link.
  void abandon();

 private:
  enum class phase { idle, resolving, connecting, securing, handshaking, open, ended };
  using plain_websocket = websocket::stream<beast::tcp_stream>;
  using tls_websocket = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results);
  void on_connect(beast::error_code ec, tcp::endpoint);
  void on_secured(beast::error_code ec);
  void start_handshake();
  void on_handshake(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void end(link_end why);
  // A close frame; the socket is cut when the server answers (or the grace ends).
  void close_politely();
  void cut();
  // The TCP stream under either kind of WebSocket.
  beast::tcp_stream& tcp_layer();

  strand executor_;
  server_url url_;
  encoding format_;
  std::size_t queue_limit_;
  std::chrono::milliseconds close_grace_;
  handlers events_;
  tcp::resolver resolver_;
  // Plain for ws:// and http://, TLS for wss:// and https://.
  std::variant<plain_websocket, tls_websocket> ws_;
  websocket::response_type handshake_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  // Set by abandon(): no more events; close once the write in flight is done.
  bool abandoned_ = false;
  bool close_sent_ = false;
  phase phase_ = phase::idle;
  asio::steady_timer grace_;
};

}  // namespace luot::device
