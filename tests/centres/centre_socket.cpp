#include "centre_socket.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>

namespace luot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

void set_receive_timeout(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

struct centre_socket::impl {
  asio::io_context context;
  websocket::stream<tcp::socket> ws{context};
  beast::flat_buffer buffer;
};

centre_socket::centre_socket(std::uint16_t port, const std::string& path)
    : impl_(std::make_unique<impl>()) {
  auto& ws = impl_->ws;
  ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(ws.next_layer(), std::chrono::seconds(10));
  ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
    request.set(http::field::sec_websocket_protocol, "luot.v1.proto");
  }));
  ws.read_message_max(64 * 1024 * 1024);
  ws.handshake("127.0.0.1", path);
  ws.binary(true);
}

centre_socket::~centre_socket() {
  beast::error_code ignored;
  impl_->ws.next_layer().close(ignored);
}

void centre_socket::send(const v1::ClientMessage& message) {
  const std::string data = message.SerializeAsString();
  impl_->ws.write(asio::buffer(data));
}

v1::ServerMessage centre_socket::receive(std::chrono::milliseconds timeout) {
  set_receive_timeout(impl_->ws.next_layer(), timeout);
  impl_->buffer.clear();
  beast::error_code ec;
  impl_->ws.read(impl_->buffer, ec);
  if (ec) throw std::runtime_error("websocket read: " + ec.message());
  v1::ServerMessage message;
  if (!message.ParseFromString(beast::buffers_to_string(impl_->buffer.data())))
    throw std::runtime_error("not a ServerMessage");
  return message;
}

v1::ServerMessage centre_socket::request(v1::ClientMessage message) {
  const auto id = next_request_id_++;
  message.set_request_id(id);
  send(message);
  for (;;) {
    auto reply = receive();
    if (reply.request_id() == id) return reply;
    pushed_.push_back(std::move(reply));
  }
}

v1::ServerMessage centre_socket::next_pushed(std::chrono::milliseconds timeout) {
  if (!pushed_.empty()) {
    auto message = std::move(pushed_.front());
    pushed_.pop_front();
    return message;
  }
  return receive(timeout);
}

refused_handshake websocket_refused_at(std::uint16_t port, const std::string& path) {
  asio::io_context context;
  websocket::stream<tcp::socket> ws(context);
  ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(ws.next_layer(), std::chrono::seconds(10));
  ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
    request.set(http::field::sec_websocket_protocol, "luot.v1.proto");
  }));
  websocket::response_type response;
  beast::error_code ec;
  ws.handshake(response, "127.0.0.1", path, ec);
  if (!ec) throw std::runtime_error("the handshake on " + path + " was accepted");
  return refused_handshake{response.result_int(), response.body()};
}

}  // namespace luot::testing
