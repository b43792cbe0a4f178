// Connections that never finish what they start are cut by deadlines and
// cleaned up: a request trickled a byte at a time, a connection that says
// nothing, an upgrade that stops halfway, a WebSocket that goes silent (a
// half-open connection looks the same from the server), and a crowd of
// idle connections. Against a real server on 127.0.0.1:0 with deadlines of
// two seconds; nothing here times the server, each test waits for the
// outcome with a generous deadline.

#include <gtest/gtest.h>

#include <charconv>
#include <thread>
#include <vector>

#include "../server/support.hpp"
#include "raw_socket.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;

// Far beyond every deadline below; only a broken server waits this long.
constexpr auto patience = 30s;

// The value of luot_connections{kind="<kind>"} in /metrics.
long connections(std::uint16_t port, const std::string& kind) {
  const auto reply = http_call(port, "GET", "/metrics");
  const std::string key = "luot_connections{kind=\"" + kind + "\"} ";
  const auto at = reply.body.find(key);
  if (at == std::string::npos) return -1;
  long value = -1;
  const char* first = reply.body.data() + at + key.size();
  std::from_chars(first, reply.body.data() + reply.body.size(), value);
  return value;
}

// Waits until `holds` (checked every 50 ms); false after `patience`.
template <typename Condition>
bool eventually(Condition holds) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!holds()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

class Transport : public ::testing::Test {
 protected:
  static config::settings short_deadlines(const temp_dir& directory) {
    auto settings = test_settings(directory.path() / "luot.db");
    settings.server.http_idle_timeout = 2s;
    settings.server.handshake_timeout = 2s;
    settings.server.websocket_idle_timeout = 2s;
    return settings;
  }

  temp_dir directory_;
  running_server server_{short_deadlines(directory_)};
  std::uint16_t port() const { return server_.port(); }
};

TEST_F(Transport, ARequestTrickledAByteAtATimeIsCutByOneDeadlineForTheWholeRequest) {
  raw_socket slow(port());
  ASSERT_TRUE(slow.send("GET /api/v1/view HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
  // A byte every 250 ms would keep a per-read timeout of 2 s alive
  // forever; only a deadline for the whole request ends it.
  bool closed = false;
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (!closed && std::chrono::steady_clock::now() < give_up) {
    closed = !slow.send("a") || slow.closed_within(250ms);
  }
  EXPECT_TRUE(closed) << "the server kept reading a trickled header for " << patience.count()
                      << " s";
  EXPECT_EQ(http_get_status(port(), "/healthz", patience), 200u);
}

TEST_F(Transport, AConnectionThatSaysNothingIsClosed) {
  raw_socket silent(port());
  EXPECT_TRUE(silent.closed_within(patience));
}

TEST_F(Transport, AnUpgradeThatStopsHalfwayIsClosed) {
  raw_socket halfway(port());
  ASSERT_TRUE(
      halfway.send("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"));
  EXPECT_TRUE(halfway.closed_within(patience));
}

TEST_F(Transport, ASubscriberThatGoesSilentIsClosedAndForgotten) {
  {
    protocol_probe screen(port(), "luot.v1.proto");
    ASSERT_TRUE(screen.request(hello_message(display_token)).has_welcome());
    ASSERT_TRUE(screen.request(subscribe_message(std::nullopt)).has_view());
    ASSERT_EQ(connections(port(), "websocket"), 1);
    // From here the probe reads nothing and answers no ping, as if its
    // network had gone: the server's pings go unanswered until the idle
    // deadline closes it, and its session (and its subscription) ends.
    EXPECT_TRUE(eventually([&] { return connections(port(), "websocket") == 0; }));
  }
  // Calls still flow to the others.
  const auto token = sign_in(port(), "lan", "1");
  take_ticket(port(), "A");
  EXPECT_TRUE(counter_action(port(), token, "1", "call-next").has_ticket());
}

TEST_F(Transport, ACrowdOfIdleConnectionsIsClosedAndCleanedUp) {
  constexpr long crowd = 200;
  std::vector<raw_socket> idle;
  for (long i = 0; i < crowd; ++i) idle.emplace_back(port());
  // Each becomes a session (the metrics request is one more).
  ASSERT_TRUE(eventually([&] { return connections(port(), "http") >= crowd + 1; }));
  EXPECT_TRUE(eventually([&] { return connections(port(), "http") == 1; }))
      << connections(port(), "http") << " connections still open";
  for (auto& connection : idle) EXPECT_TRUE(connection.closed_within(patience));
}

}  // namespace
}  // namespace luot::testing
