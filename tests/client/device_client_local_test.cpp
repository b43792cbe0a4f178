// The device client where no luot-server is needed: bad options, no server
// listening, a server that completes the handshake and then never answers,
// and misuse of its threading rules.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <future>
#include <thread>

#include "client_support.hpp"
#include "device/device_client.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;
using device::connection_state;
using device::device_client;
using device::encoding;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// A port on 127.0.0.1 that nobody listens on (bound, then released).
std::uint16_t closed_port() {
  asio::io_context context;
  tcp::acceptor acceptor(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

v1::Command take_command() {
  v1::Command command;
  command.mutable_take_ticket()->set_category("A");
  return command;
}

TEST(DeviceClientLocal, RefusesOptionsThatCannotWork) {
  auto settings = fast_options(80, encoding::binary, "");
  settings.server_url = "https://luot.local";
  settings.ca_file = "/nonexistent/luot-ca.pem";
  try {
    device_client client(settings);
    FAIL() << "accepted a CA file that does not exist";
  } catch (const std::invalid_argument& failure) {
    EXPECT_NE(std::string(failure.what()).find("/nonexistent/luot-ca.pem"), std::string::npos)
        << failure.what();
  }
}

TEST(DeviceClientLocal, ACommandWithoutARunningClientFailsAtOnce) {
  device_client client(fast_options(closed_port(), encoding::binary, ""));
  std::optional<v1::ServerMessage> got;
  client.send(take_command(), [&](const v1::ServerMessage& reply) { got = reply; });
  ASSERT_TRUE(got) << "the handler must run at once before start()";
  EXPECT_EQ(got->error().code(), v1::ERROR_CODE_UNAVAILABLE);
  client.start();
  client.stop();
  got.reset();
  client.send(take_command(), [&](const v1::ServerMessage& reply) { got = reply; });
  ASSERT_TRUE(got) << "and at once after stop()";
  EXPECT_EQ(got->error().code(), v1::ERROR_CODE_UNAVAILABLE);
}

TEST(DeviceClientLocal, NoServerListeningIsReportedAndRetriedWithBackoff) {
  const auto port = closed_port();
  // Declared first: the client calls it until the client is destroyed.
  recorder seen;
  device_client client(fast_options(port, encoding::binary, ""));
  seen.attach(client);
  client.start();
  ASSERT_TRUE(seen.wait_for_state(
      [](const device::link_status& status) { return status.failures >= 4; }, 10s));
  for (const auto& status : seen.states()) {
    if (status.state != connection_state::disconnected) continue;
    EXPECT_NE(status.reason.find("cannot connect to 127.0.0.1:" + std::to_string(port)),
              std::string::npos)
        << status.reason;
    EXPECT_LE(status.retry_in, 200ms);
    EXPECT_FALSE(status.error);
  }
  // Before each attempt the state says so.
  EXPECT_EQ(seen.states().front().state, connection_state::connecting);
  // A command while disconnected fails at once rather than waiting.
  const auto reply = client.call(take_command(), 5s);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->error().code(), v1::ERROR_CODE_UNAVAILABLE);
  client.stop();
  client.stop();
  EXPECT_EQ(client.status().state, connection_state::stopped);
}

TEST(DeviceClientLocal, AServerThatNeverWelcomesIsLeftAfterTheConnectTimeout) {
  // Accepts the WebSocket handshake with the right subprotocol, then reads
  // the Hello and never answers.
  asio::io_context context;
  tcp::acceptor acceptor(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<int> handshakes{0};
  std::thread silent([&] {
    std::vector<std::unique_ptr<websocket::stream<tcp::socket>>> held;
    for (int i = 0; i < 2; ++i) {
      auto ws = std::make_unique<websocket::stream<tcp::socket>>(acceptor.accept());
      ws->set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(beast::http::field::sec_websocket_protocol, "luot.v1.proto");
      }));
      ws->accept();
      ++handshakes;
      held.push_back(std::move(ws));
    }
    released.wait();
  });
  auto settings = fast_options(port, encoding::binary, "");
  settings.connect_timeout = 300ms;
  // Declared first: the client calls it until the client is destroyed.
  recorder seen;
  device_client client(settings);
  seen.attach(client);
  client.start();
  EXPECT_TRUE(seen.wait_for_state(
      [](const device::link_status& status) {
        return status.state == connection_state::disconnected &&
               status.reason.find("no Welcome") != std::string::npos &&
               status.reason.find("connect timeout") != std::string::npos;
      },
      5s));
  // It tries again.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (handshakes < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(handshakes, 2);
  client.stop();
  release.set_value();
  silent.join();
}

TEST(DeviceClientLocal, WaitingForItselfOnItsOwnThreadIsRefused) {
  device_client client(fast_options(closed_port(), encoding::binary, ""));
  std::promise<std::string> what_call_said;
  std::promise<std::string> what_stop_said;
  std::atomic<bool> once{false};
  client.on_state([&](const device::link_status&) {
    if (once.exchange(true)) return;
    try {
      client.call(take_command(), 1s);
      what_call_said.set_value("no exception");
    } catch (const std::logic_error& failure) {
      what_call_said.set_value(failure.what());
    }
    try {
      client.stop();
      what_stop_said.set_value("no exception");
    } catch (const std::logic_error& failure) {
      what_stop_said.set_value(failure.what());
    }
  });
  client.start();
  auto call_said = what_call_said.get_future();
  auto stop_said = what_stop_said.get_future();
  ASSERT_EQ(call_said.wait_for(5s), std::future_status::ready);
  EXPECT_NE(call_said.get().find("own thread"), std::string::npos);
  ASSERT_EQ(stop_said.wait_for(5s), std::future_status::ready);
  EXPECT_NE(stop_said.get().find("own callback"), std::string::npos);
  client.stop();
}

TEST(DeviceClientLocal, StartsOnlyOnce) {
  device_client client(fast_options(closed_port(), encoding::binary, ""));
  client.start();
  EXPECT_THROW(client.start(), std::logic_error);
  client.stop();
  EXPECT_THROW(client.start(), std::logic_error);
}

}  // namespace
}  // namespace luot::testing
