#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace luot::bench {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;

// POST /api/v1/tickets for `category`, built once and sent many times.
http_request take_ticket_request(std::string_view category);
http_request get_request(std::string_view target);

// A synchronous HTTP/1.1 client on one keep-alive connection, like a kiosk
// or a phone. It binds its own loopback source address so the server's
// per-address take-ticket limit counts it as one device.
class http_connection {
 public:
  // Throws std::runtime_error when it cannot connect.
  explicit http_connection(std::uint16_t port, std::uint32_t source_address = 0x7F000001);

  // Sends the request and returns the reply's status; the body stays in
  // body(). Throws boost::system::system_error when the connection fails.
  unsigned exchange(const http_request& request);
  const std::string& body() const { return response_.body(); }

 private:
  boost::asio::io_context context_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
};

// One GET on a fresh connection; throws unless the server answers 200.
std::string http_get(std::uint16_t port, std::string_view target);

// The value of an unlabelled sample in a Prometheus text page, e.g.
// luot_websocket_cutoffs_total; throws when the page has none.
double metric_value(std::string_view metrics_page, std::string_view name);

}  // namespace luot::bench
