// The device client against the real luot-server program in another
// process: frozen with SIGSTOP (the link stays open and says nothing), and
// killed with SIGKILL then restarted on the same port and database.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <set>

#include "../server/server_process.hpp"
#include "../server/support.hpp"
#include "client_support.hpp"
#include "device/device_client.hpp"
#include "tcp_relay.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;
using device::call_origin;
using device::connection_state;
using device::device_client;
using device::encoding;

constexpr auto wait_limit = 15s;

std::uint64_t call_next(std::uint16_t port, const std::string& officer, bool finish_first) {
  if (finish_first) counter_action(port, officer, "1", "finish", R"({"outcome":"done"})");
  const auto called = counter_action(port, officer, "1", "call-next");
  EXPECT_EQ(called.seqs_size(), 1);
  return called.seqs_size() == 1 ? called.seqs(0) : 0;
}

TEST(DeviceClientProcess, FindsAStoppedServerWithinThePingTimeout) {
  temp_dir dir;
  server_process server(dir.path());
  server.start();
  for (const auto format : {encoding::binary, encoding::json}) {
    SCOPED_TRACE(name_of(format));
    // Declared first: the client calls it until the client is destroyed.
    recorder seen;
    device_client client(fast_options(server.port(), format, display_token));
    seen.attach(client);
    client.start();
    ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;

    server.freeze();
    const auto frozen_at = std::chrono::steady_clock::now();
    // Within the ping timeout, plus one ping interval for the watchdog and
    // slack for a loaded machine; the reason names the ping timeout.
    const bool detected = client.wait_for(connection_state::disconnected, fast_ping_timeout * 4);
    const auto took = std::chrono::steady_clock::now() - frozen_at;
    server.thaw();
    ASSERT_TRUE(detected);
    EXPECT_GE(took, fast_ping_timeout - fast_ping_interval);
    EXPECT_TRUE(seen.wait_for_state(
        [](const device::link_status& status) {
          return status.state == connection_state::disconnected &&
                 status.reason.find("ping timeout") != std::string::npos && status.stale_since;
        },
        wait_limit));
    ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;
  }
}

TEST(DeviceClientProcess, ResumesAfterKillAndRestartWithoutAGapOrARepeat) {
  temp_dir dir;
  server_process server(dir.path());
  server.start();
  const auto port = server.port();
  for (int i = 0; i < 12; ++i) take_ticket(port, "A");
  auto officer = sign_in(port, "lan", "1");
  std::vector<std::uint64_t> made;
  made.push_back(call_next(port, officer, false));

  // Through a relay, so the client can be kept away while calls are made.
  tcp_relay relay(port);
  // Declared first: the client calls it until the client is destroyed.
  recorder seen;
  device_client client(fast_options(relay.port(), encoding::binary, display_token));
  seen.attach(client);
  client.start();
  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;
  made.push_back(call_next(port, officer, true));
  made.push_back(call_next(port, officer, true));
  ASSERT_TRUE(
      seen.wait_for_calls([&](const auto& calls) { return calls.size() == 3; }, wait_limit));

  // Killed mid-day; restarted on the same port and database. The client is
  // kept away until calls were made on the restarted server.
  server.kill();
  ASSERT_TRUE(client.wait_for(connection_state::disconnected, wait_limit));
  relay.retarget(1);
  relay.cut();
  server.start(port);
  ASSERT_EQ(server.port(), port);
  officer = sign_in(port, "lan", "1");
  made.push_back(call_next(port, officer, true));
  made.push_back(call_next(port, officer, true));
  relay.retarget(port);

  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;
  made.push_back(call_next(port, officer, true));
  ASSERT_TRUE(seen.wait_for_calls(
      [&](const auto& calls) { return calls.back().call.seq() == made.back(); }, wait_limit))
      << seen.calls().size() << " calls reported";

  const auto calls = seen.calls();
  EXPECT_EQ(seqs_of(calls), made) << "every call once, in order";
  const call_origin expected[] = {call_origin::before_start, call_origin::live,
                                  call_origin::live,         call_origin::missed,
                                  call_origin::missed,       call_origin::live};
  ASSERT_EQ(calls.size(), std::size(expected));
  for (std::size_t i = 0; i < calls.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(calls[i].origin, expected[i]);
  }
  const auto served = public_view(port);
  ASSERT_TRUE(client.wait_until([&](const v1::View& view) { return view.seq() == served.seq(); },
                                wait_limit));
  std::string difference;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differencer.Compare(served, client.view())) << difference;
}

}  // namespace
}  // namespace luot::testing
