#include "http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace luot::history {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Generous: the server is only ever slow here because two loaded cores run
// it in a debug build, never because it hangs.
constexpr int answer_timeout_seconds = 30;

void set_timeouts(tcp::socket& socket) {
  timeval limit{};
  limit.tv_sec = answer_timeout_seconds;
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

}  // namespace

http_answer http_exchange(std::uint16_t port, const std::string& method, const std::string& target,
                          const std::string& body, const std::string& token) {
  http_answer answer;
  asio::io_context context;
  tcp::socket socket(context);
  beast::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    answer.how = delivery::refused;
    answer.error = "connect: " + ec.message();
    return answer;
  }
  set_timeouts(socket);
  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  answer.how = delivery::lost;
  http::write(socket, request, ec);
  if (ec) {
    answer.error = "write: " + ec.message();
    return answer;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(socket, buffer, parser, ec);
  if (ec) {
    answer.error = "read: " + ec.message();
    return answer;
  }
  answer.how = delivery::answered;
  answer.status = parser.get().result_int();
  answer.body = parser.get().body();
  socket.shutdown(tcp::socket::shutdown_both, ec);
  return answer;
}

}  // namespace luot::history
