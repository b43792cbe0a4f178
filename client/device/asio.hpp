#pragma once

// The one place the device client names Boost.Asio and Boost.Beast. Only
// client/device .cpp files include it: devices that use the client through
// device_client.hpp never compile Beast.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace luot::device {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using strand = asio::strand<asio::io_context::executor_type>;

}  // namespace luot::device
