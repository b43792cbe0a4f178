#include "http_connection.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <stdexcept>

namespace luot::bench {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

http_request take_ticket_request(std::string_view category) {
  http_request request(http::verb::post, "/api/v1/tickets", 11);
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.body() = R"({"category":")" + std::string(category) + R"("})";
  request.prepare_payload();
  return request;
}

http_request get_request(std::string_view target) {
  http_request request(http::verb::get, std::string(target), 11);
  request.set(http::field::host, "127.0.0.1");
  return request;
}

http_connection::http_connection(std::uint16_t port, std::uint32_t source_address)
    : socket_(context_) {
  socket_.open(tcp::v4());
  socket_.bind(tcp::endpoint(asio::ip::address_v4(source_address), 0));
  socket_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  socket_.set_option(tcp::no_delay(true));
  // A server that stops answering fails the benchmark instead of hanging it.
  timeval timeout{};
  timeout.tv_sec = 60;
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

unsigned http_connection::exchange(const http_request& request) {
  http::write(socket_, request);
  response_ = {};
  http::read(socket_, buffer_, response_);
  return response_.result_int();
}

std::string http_get(std::uint16_t port, std::string_view target) {
  http_connection connection(port);
  const auto status = connection.exchange(get_request(target));
  if (status != 200) {
    throw std::runtime_error("GET " + std::string(target) + " answered " + std::to_string(status) +
                             ": " + connection.body());
  }
  return connection.body();
}

double metric_value(std::string_view metrics_page, std::string_view name) {
  std::size_t at = 0;
  while (at < metrics_page.size()) {
    auto line_end = metrics_page.find('\n', at);
    if (line_end == std::string_view::npos) line_end = metrics_page.size();
    const auto line = metrics_page.substr(at, line_end - at);
    at = line_end + 1;
    if (line.size() > name.size() && line.substr(0, name.size()) == name &&
        line[name.size()] == ' ') {
      return std::stod(std::string(line.substr(name.size() + 1)));
    }
  }
  throw std::runtime_error("/metrics has no " + std::string(name));
}

}  // namespace luot::bench
