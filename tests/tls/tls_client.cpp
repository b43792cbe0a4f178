#include "tls_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <exception>

namespace luot::testing {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Generous: CI runs the suites two at a time on two loaded cores.
constexpr auto step_deadline = 20s;

ssl::context client_context(const std::filesystem::path& ca_file) {
  ssl::context context(ssl::context::tls_client);
  context.load_verify_file(ca_file.string());
  context.set_verify_mode(ssl::verify_peer);
  return context;
}

// A TLS stream to 127.0.0.1:`port`, handshaken for `host`.
asio::awaitable<void> connect_tls(beast::ssl_stream<beast::tcp_stream>& stream, std::uint16_t port,
                                  const std::string& host) {
  auto& tcp_layer = beast::get_lowest_layer(stream);
  tcp_layer.expires_after(step_deadline);
  co_await tcp_layer.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                   asio::use_awaitable);
  SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
  stream.set_verify_callback(ssl::host_name_verification(host));
  co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
}

// Runs `task` to the end; its exception's text, or empty.
template <typename Task>
std::string run(asio::io_context& context, Task task) {
  std::string failure;
  asio::co_spawn(context, std::move(task), [&](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  context.run();
  return failure;
}

}  // namespace

https_reply https_call(std::uint16_t port, const std::filesystem::path& ca_file,
                       const std::string& method, const std::string& target,
                       const std::string& body, const std::string& token, const std::string& host) {
  asio::io_context context;
  auto tls = client_context(ca_file);
  beast::ssl_stream<beast::tcp_stream> stream(context, tls);
  https_reply reply;
  reply.error = run(context, [&]() -> asio::awaitable<void> {
    co_await connect_tls(stream, port, host);
    http::request<http::string_body> request(http::string_to_verb(method), target, 11);
    request.set(http::field::host, host);
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    co_await http::async_write(stream, request, asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    co_await http::async_read(stream, buffer, response, asio::use_awaitable);
    reply.status = response.result_int();
    reply.body = response.body();
    beast::error_code ignored;
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
  });
  return reply;
}

wss_close wss_send_and_wait_for_close(std::uint16_t port, const std::filesystem::path& ca_file,
                                      std::size_t size) {
  asio::io_context context;
  auto tls = client_context(ca_file);
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(context, tls);
  wss_close seen;
  seen.error = run(context, [&]() -> asio::awaitable<void> {
    co_await connect_tls(ws.next_layer(), port, "localhost");
    ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
      request.set(http::field::sec_websocket_protocol, "luot.v1.proto");
    }));
    co_await ws.async_handshake("localhost", "/api/v1/ws", asio::use_awaitable);
    ws.binary(true);
    const std::string message(size, 'x');
    co_await ws.async_write(asio::buffer(message), asio::use_awaitable);
    beast::flat_buffer buffer;
    beast::error_code ec;
    while (!ec) {
      buffer.clear();
      co_await ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
    }
    // Over TLS the server ends the stream after its close frame without
    // close_notify (it never reads a cut-off client again): truncated.
    if (ec != websocket::error::closed && ec != ssl::error::stream_truncated) {
      throw beast::system_error(ec);
    }
    seen.code = static_cast<std::uint16_t>(ws.reason().code);
    seen.reason = std::string(ws.reason().reason.c_str());
  });
  return seen;
}

bool closed_by_server(std::uint16_t port, const std::string& bytes, std::chrono::seconds within) {
  asio::io_context context;
  beast::tcp_stream stream(context);
  bool closed = false;
  const auto failure = run(context, [&]() -> asio::awaitable<void> {
    stream.expires_after(step_deadline);
    co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                  asio::use_awaitable);
    if (!bytes.empty())
      co_await asio::async_write(stream, asio::buffer(bytes), asio::use_awaitable);
    // Whatever the server answers is read and dropped until it closes.
    stream.expires_after(within);
    char scratch[4096];
    beast::error_code ec;
    while (!ec) {
      co_await stream.async_read_some(asio::buffer(scratch),
                                      asio::redirect_error(asio::use_awaitable, ec));
    }
    closed = ec != beast::error::timeout;
  });
  return closed && failure.empty();
}

}  // namespace luot::testing
