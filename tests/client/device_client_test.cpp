// The device client against a real luot-server on 127.0.0.1: the mirror
// equals the server's public view, calls are reported once, reconnects
// resume without a gap or a repeat, dead links are found by the ping
// timeout, and commands always get an answer.
#include "device/device_client.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <thread>

#include "../server/support.hpp"
#include "client_support.hpp"
#include "tcp_relay.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;
using device::call_origin;
using device::connection_state;
using device::device_client;
using device::encoding;

constexpr auto wait_limit = 10s;
const encoding both_encodings[] = {encoding::binary, encoding::json};

v1::Command take_command(const std::string& category) {
  v1::Command command;
  command.mutable_take_ticket()->set_category(category);
  return command;
}

// Finishes the ticket counter 1 serves and calls the next one: one new call
// (a third recall would make a no-show instead). Returns the call's seq.
std::uint64_t call_another(std::uint16_t port, const std::string& officer) {
  counter_action(port, officer, "1", "finish", R"({"outcome":"done"})");
  const auto called = counter_action(port, officer, "1", "call-next");
  EXPECT_EQ(called.seqs_size(), 1);
  return called.seqs_size() == 1 ? called.seqs(0) : 0;
}

// The client's mirror, once it reached the server's seq, equals the public
// view the server serves over HTTP.
void expect_mirrors_server(const device_client& client, std::uint16_t port) {
  const auto served = public_view(port);
  ASSERT_TRUE(client.wait_until([&](const v1::View& view) { return view.seq() >= served.seq(); },
                                wait_limit))
      << "client stuck at seq " << client.seq() << ", server at " << served.seq();
  std::string difference;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differencer.Compare(served, client.view())) << difference;
}

class DeviceClient : public ::testing::Test {
 protected:
  temp_dir dir_;
  running_server server_{test_settings(dir_.path() / "luot.db")};
  std::uint16_t port() const { return server_.port(); }
};

TEST_F(DeviceClient, MirrorsTheServersViewInBothEncodings) {
  take_ticket(port(), "A");
  take_ticket(port(), "B");
  const auto officer = sign_in(port(), "lan", "1");
  counter_action(port(), officer, "1", "call-next");
  for (const auto format : both_encodings) {
    SCOPED_TRACE(name_of(format));
    device_client client(fast_options(port(), format, display_token));
    client.start();
    ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;
    expect_mirrors_server(client, port());
    EXPECT_FALSE(client.view().categories().empty());
    EXPECT_FALSE(client.view().recent_calls().empty());

    // Live updates keep it equal.
    take_ticket(port(), "A");
    counter_action(port(), officer, "1", "recall");
    expect_mirrors_server(client, port());
    EXPECT_EQ(client.status().state, connection_state::live);
    EXPECT_FALSE(client.status().stale_since);
  }
}

TEST_F(DeviceClient, ReportsACallOnceAsItHappens) {
  take_ticket(port(), "A");
  const auto officer = sign_in(port(), "lan", "1");
  for (const auto format : both_encodings) {
    SCOPED_TRACE(name_of(format));
    // Declared first: the client calls it until the client is destroyed.
    recorder seen;
    device_client client(fast_options(port(), format, display_token));
    seen.attach(client);
    client.start();
    ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit));
    const auto before = seen.calls().size();

    const auto called = format == encoding::binary
                            ? counter_action(port(), officer, "1", "call-next")
                            : counter_action(port(), officer, "1", "recall");
    ASSERT_TRUE(
        seen.wait_for_calls([&](const auto& calls) { return calls.size() > before; }, wait_limit));
    // Nothing else arrives for that call, however long we wait for it.
    std::this_thread::sleep_for(3 * fast_ping_interval);
    const auto calls = seen.calls();
    ASSERT_EQ(calls.size(), before + 1);
    const auto& call = calls.back();
    EXPECT_EQ(call.origin, call_origin::live);
    EXPECT_EQ(call.call.number(), "A001");
    EXPECT_EQ(call.call.counter(), "1");
    EXPECT_EQ(call.call.category(), "A");
    EXPECT_EQ(call.call.ticket_id(), called.ticket().id());
    EXPECT_EQ(call.call.call_count(), called.ticket().call_count());
    ASSERT_EQ(called.seqs_size(), 1);
    EXPECT_EQ(call.call.seq(), called.seqs(0));
  }
}

TEST_F(DeviceClient, CallsAlreadyOnTheBoardAtStartAreReportedAsBeforeStart) {
  take_ticket(port(), "A");
  const auto officer = sign_in(port(), "lan", "1");
  counter_action(port(), officer, "1", "call-next");
  counter_action(port(), officer, "1", "recall");
  // Declared first: the client calls it until the client is destroyed.
  recorder seen;
  device_client client(fast_options(port(), encoding::binary, display_token));
  seen.attach(client);
  client.start();
  ASSERT_TRUE(seen.wait_for_calls([](const auto& calls) { return calls.size() == 2; }, wait_limit));
  const auto calls = seen.calls();
  // Oldest first, each once, marked so a display does not announce them.
  EXPECT_LT(calls[0].call.seq(), calls[1].call.seq());
  EXPECT_EQ(calls[0].call.call_count(), 1u);
  EXPECT_EQ(calls[1].call.call_count(), 2u);
  for (const auto& each : calls) EXPECT_EQ(each.origin, call_origin::before_start);
}

TEST_F(DeviceClient, ResumesThroughALostLinkWithoutMissingOrRepeatingACall) {
  for (int i = 0; i < 10; ++i) take_ticket(port(), "A");
  const auto officer = sign_in(port(), "lan", "1");
  counter_action(port(), officer, "1", "call-next");
  tcp_relay relay(port());
  for (const auto format : both_encodings) {
    SCOPED_TRACE(name_of(format));
    // Declared first: the client calls it until the client is destroyed.
    recorder seen;
    device_client client(fast_options(relay.port(), format, display_token));
    seen.attach(client);
    client.start();
    ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit));
    const auto at_start = seen.calls().size();

    // The network goes: nothing reaches the client while three calls are made.
    relay.retarget(1);
    relay.cut();
    ASSERT_TRUE(client.wait_for(connection_state::disconnected, wait_limit));
    std::set<std::uint64_t> made;
    made.insert(counter_action(port(), officer, "1", "recall").seqs(0));
    made.insert(call_another(port(), officer));
    made.insert(call_another(port(), officer));
    take_ticket(port(), "B");
    // The network comes back: the client resumes and learns what it missed.
    relay.retarget(port());
    ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;
    expect_mirrors_server(client, port());
    ASSERT_TRUE(seen.wait_for_calls([&](const auto& calls) { return calls.size() >= at_start + 3; },
                                    wait_limit));
    auto calls = seen.calls();
    calls.erase(calls.begin(), calls.begin() + static_cast<std::ptrdiff_t>(at_start));
    const auto seqs = seqs_of(calls);
    EXPECT_EQ(std::set<std::uint64_t>(seqs.begin(), seqs.end()), made);
    EXPECT_EQ(seqs.size(), made.size()) << "a call was reported twice";
    EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
    for (const auto& each : calls) EXPECT_EQ(each.origin, call_origin::missed);

    // A live call after the resume is live again, and reported once.
    const auto live_seq = call_another(port(), officer);
    ASSERT_TRUE(seen.wait_for_calls(
        [&](const auto& all) { return all.back().call.seq() == live_seq; }, wait_limit));
    EXPECT_EQ(seen.calls().back().origin, call_origin::live);
    EXPECT_EQ(seen.calls().size(), at_start + 4);
  }
}

TEST_F(DeviceClient, ResumesAfterTheServerRestartsOnTheSamePort) {
  take_ticket(port(), "A");
  take_ticket(port(), "A");
  auto officer = sign_in(port(), "lan", "1");
  counter_action(port(), officer, "1", "call-next");
  // Declared first: the client calls it until the client is destroyed.
  recorder seen;
  device_client client(fast_options(port(), encoding::binary, display_token));
  seen.attach(client);
  client.start();
  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit));
  const auto seq_before = client.seq();

  const auto same_port = port();
  server_.settings().server.port = same_port;
  server_.restart();
  ASSERT_EQ(port(), same_port);
  // The server said it was going away, and the client noticed.
  EXPECT_TRUE(seen.wait_for_state(
      [](const device::link_status& status) {
        return status.state == connection_state::disconnected && status.stale_since;
      },
      wait_limit));
  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;
  officer = sign_in(port(), "lan", "1");
  counter_action(port(), officer, "1", "finish", R"({"outcome":"done"})");
  const auto next = counter_action(port(), officer, "1", "call-next");
  expect_mirrors_server(client, port());
  EXPECT_GT(client.seq(), seq_before);
  ASSERT_TRUE(seen.wait_for_calls(
      [&](const auto& calls) { return calls.back().call.seq() == next.seqs(0); }, wait_limit));
  const auto seqs = seqs_of(seen.calls());
  EXPECT_EQ(std::set<std::uint64_t>(seqs.begin(), seqs.end()).size(), seqs.size())
      << "a call was reported twice";
  EXPECT_EQ(seen.calls().back().origin, call_origin::live);
  EXPECT_EQ(seen.calls().back().call.number(), "A002");
}

TEST_F(DeviceClient, FollowsAServerWhoseLogStartedAgain) {
  // A server moved to a fresh database: its seqs are behind the mirror's,
  // so there is nothing to resume; its view and calls replace the old ones.
  for (int i = 0; i < 3; ++i) take_ticket(port(), "A");
  const auto officer = sign_in(port(), "lan", "1");
  counter_action(port(), officer, "1", "call-next");
  counter_action(port(), officer, "1", "recall");
  tcp_relay relay(port());
  // Declared first: the client calls it until the client is destroyed.
  recorder seen;
  device_client client(fast_options(relay.port(), encoding::binary, display_token));
  seen.attach(client);
  client.start();
  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit));
  const auto old_seq = client.seq();

  temp_dir other_dir;
  running_server other(test_settings(other_dir.path() / "luot.db"));
  take_ticket(other.port(), "B");
  const auto other_officer = sign_in(other.port(), "lan", "3");
  const auto called = counter_action(other.port(), other_officer, "3", "call-next");
  ASSERT_LT(called.seqs(0), old_seq);
  relay.retarget(other.port());
  relay.cut();
  ASSERT_TRUE(client.wait_until([](const v1::View& view) { return view.recent_calls_size() == 1; },
                                wait_limit));
  expect_mirrors_server(client, other.port());
  ASSERT_TRUE(seen.wait_for_calls(
      [&](const auto& calls) { return calls.back().call.seq() == called.seqs(0); }, wait_limit));
  EXPECT_EQ(seen.calls().back().call.number(), "B001");
  EXPECT_EQ(seen.calls().back().origin, call_origin::missed);
}

TEST_F(DeviceClient, CatchesUpThousandsOfMissedEventsInOneConnection) {
  tcp_relay relay(port());
  // Declared first: the client calls it until the client is destroyed.
  recorder seen;
  device_client client(fast_options(relay.port(), encoding::binary, display_token));
  seen.attach(client);
  client.start();
  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit));
  relay.retarget(1);
  relay.cut();
  ASSERT_TRUE(client.wait_for(connection_state::disconnected, wait_limit));

  // 2,000 tickets taken while the display is away, from four clients.
  constexpr int takers = 4;
  constexpr int per_taker = 500;
  std::vector<std::thread> threads;
  for (int each = 0; each < takers; ++each) {
    threads.emplace_back([&] {
      for (int i = 0; i < per_taker; ++i) take_ticket(port(), i % 2 == 0 ? "A" : "B");
    });
  }
  for (auto& thread : threads) thread.join();
  const auto states_before = seen.states().size();
  relay.retarget(port());
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.wait_until(
      [](const v1::View& view) { return view.seq() >= takers * per_taker; }, wait_limit));
  const auto took = std::chrono::steady_clock::now() - started;
  // Once welcomed, it went live (the recorder hears it after the mirror
  // changed, so wait for that)...
  const auto live_since_retarget = [&](const device::link_status& status) {
    return status.state == connection_state::live;
  };
  ASSERT_TRUE(seen.wait_for_state_after(states_before, live_since_retarget, wait_limit));
  expect_mirrors_server(client, port());
  // ...and was never cut off for being slow: one connection did it.
  auto states = seen.states();
  states.erase(states.begin(), states.begin() + static_cast<std::ptrdiff_t>(states_before));
  const auto welcomed = std::find_if(states.begin(), states.end(), [](const auto& status) {
    return status.state == connection_state::syncing;
  });
  ASSERT_NE(welcomed, states.end());
  ASSERT_EQ(states.end() - welcomed, 2);
  EXPECT_EQ((welcomed + 1)->state, connection_state::live);
  std::cout << "caught up " << takers * per_taker << " events in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
}

TEST_F(DeviceClient, FindsAFrozenLinkWithinThePingTimeout) {
  tcp_relay relay(port());
  // Declared first: the client calls it until the client is destroyed.
  recorder seen;
  device_client client(fast_options(relay.port(), encoding::binary, display_token));
  seen.attach(client);
  client.start();
  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit));

  const auto frozen_at = std::chrono::system_clock::now();
  relay.freeze();
  // The link looks open: only the silence tells. Allow one ping interval of
  // lateness for the watchdog, and scheduling slack on a busy machine.
  ASSERT_TRUE(client.wait_for(connection_state::disconnected, fast_ping_timeout * 4));
  const auto detected_at = std::chrono::system_clock::now();
  EXPECT_GE(detected_at - frozen_at, fast_ping_timeout - fast_ping_interval);
  device::link_status status;
  ASSERT_TRUE(seen.wait_for_state(
      [&](const device::link_status& reported) {
        if (reported.state != connection_state::disconnected) return false;
        status = reported;
        return true;
      },
      wait_limit));
  EXPECT_NE(status.reason.find("ping timeout"), std::string::npos) << status.reason;
  ASSERT_TRUE(status.stale_since);
  // The data was current until about the freeze, not until the detection.
  EXPECT_LE(*status.stale_since, frozen_at + fast_ping_interval);

  relay.thaw();
  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;
  EXPECT_GE(relay.accepted(), 2u);
}

TEST_F(DeviceClient, CommandsGetTheirOwnReplies) {
  for (const auto format : both_encodings) {
    SCOPED_TRACE(name_of(format));
    // Declared first: the client answers into them until it is destroyed.
    std::mutex mutex;
    std::condition_variable answered;
    std::map<int, v1::ServerMessage> replies;
    device_client kiosk(fast_options(port(), format, kiosk_token));
    kiosk.start();
    ASSERT_TRUE(kiosk.wait_for(connection_state::live, wait_limit));

    // Many at once: each reply reaches the request it answers.
    const std::string categories[] = {"A", "B", "Z"};
    for (int i = 0; i < 9; ++i) {
      kiosk.send(take_command(categories[i % 3]), [&, i](const v1::ServerMessage& reply) {
        std::lock_guard lock(mutex);
        replies[i] = reply;
        answered.notify_all();
      });
    }
    std::unique_lock lock(mutex);
    ASSERT_TRUE(answered.wait_for(lock, wait_limit, [&] { return replies.size() == 9; }));
    std::set<std::string> numbers;
    for (const auto& [i, reply] : replies) {
      SCOPED_TRACE(i);
      if (categories[i % 3] == "Z") {
        ASSERT_TRUE(reply.has_error());
        EXPECT_EQ(reply.error().code(), v1::ERROR_CODE_UNKNOWN_CATEGORY);
        continue;
      }
      ASSERT_TRUE(reply.has_result()) << reply.DebugString();
      EXPECT_EQ(reply.result().ticket().category(), categories[i % 3]);
      numbers.insert(reply.result().ticket().number());
    }
    EXPECT_EQ(numbers.size(), 6u);
    lock.unlock();

    // The blocking form, for the headless kiosk.
    const auto reply = kiosk.call(take_command("A"), wait_limit);
    ASSERT_TRUE(reply);
    ASSERT_TRUE(reply->has_result());
    EXPECT_FALSE(reply->result().ticket().status_token().empty());
  }
}

TEST_F(DeviceClient, WaitingCommandsFailUnavailableWhenTheLinkDrops) {
  tcp_relay relay(port());
  device_client kiosk(fast_options(relay.port(), encoding::binary, kiosk_token));
  kiosk.start();
  ASSERT_TRUE(kiosk.wait_for(connection_state::live, wait_limit));

  relay.freeze();
  // Sent into a link that no longer answers: the ping timeout ends the wait.
  const auto started = std::chrono::steady_clock::now();
  const auto reply = kiosk.call(take_command("A"), wait_limit);
  ASSERT_TRUE(reply) << "the command was left hanging";
  ASSERT_TRUE(reply->has_error());
  EXPECT_EQ(reply->error().code(), v1::ERROR_CODE_UNAVAILABLE);
  EXPECT_FALSE(reply->error().message().empty());
  EXPECT_LT(std::chrono::steady_clock::now() - started, wait_limit);

  // While disconnected, a command fails at once instead of waiting.
  relay.retarget(1);
  relay.thaw();
  relay.cut();
  ASSERT_TRUE(kiosk.wait_for(connection_state::disconnected, wait_limit));
  const auto refused = kiosk.call(take_command("A"), wait_limit);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->error().code(), v1::ERROR_CODE_UNAVAILABLE);
}

TEST_F(DeviceClient, ABadTokenIsReportedWithTheServersReason) {
  for (const auto format : both_encodings) {
    SCOPED_TRACE(name_of(format));
    // Declared first: the client calls it until the client is destroyed.
    recorder seen;
    device_client client(fast_options(port(), format, "not-a-real-token-at-all"));
    seen.attach(client);
    client.start();
    // It keeps trying (the token may be added to the config), backing off.
    ASSERT_TRUE(seen.wait_for_state(
        [](const device::link_status& status) { return status.failures >= 3; }, wait_limit));
    const auto status = client.status();
    EXPECT_NE(status.state, connection_state::live);
    for (const auto& each : seen.states()) {
      if (each.state != connection_state::disconnected) continue;
      ASSERT_TRUE(each.error);
      EXPECT_EQ(each.error->code(), v1::ERROR_CODE_UNAUTHENTICATED);
      EXPECT_FALSE(each.error->message().empty());
      EXPECT_NE(each.reason.find("refused the Hello"), std::string::npos) << each.reason;
      EXPECT_NE(each.reason.find("ERROR_CODE_UNAUTHENTICATED"), std::string::npos);
      EXPECT_LE(each.retry_in, std::chrono::milliseconds(200));
      EXPECT_FALSE(each.stale_since) << "there never was data to be stale";
    }
    EXPECT_FALSE(client.has_view());
  }
}

TEST_F(DeviceClient, AZoneSeesOnlyItsCounters) {
  auto settings = fast_options(port(), encoding::binary, display_token);
  settings.counters = {"2"};
  device_client client(settings);
  client.start();
  ASSERT_TRUE(client.wait_for(connection_state::live, wait_limit)) << client.status().reason;
  const auto view = client.view();
  ASSERT_EQ(view.counters_size(), 1);
  EXPECT_EQ(view.counters(0).id(), "2");
  ASSERT_EQ(view.zone_size(), 1);
  EXPECT_EQ(view.zone(0), "2");
  // Counter 2 serves A only.
  ASSERT_EQ(view.categories_size(), 1);
  EXPECT_EQ(view.categories(0).code(), "A");
}

TEST_F(DeviceClient, APhoneWatchesItsTicketUntilItIsCalled) {
  const auto ticket = take_ticket(port(), "B");
  auto settings = fast_options(port(), encoding::json, "");
  settings.ticket_token = ticket.status_token();
  device_client phone(settings);
  phone.start();
  ASSERT_TRUE(phone.wait_for(connection_state::live, wait_limit)) << phone.status().reason;
  EXPECT_EQ(phone.view().ticket().id(), ticket.id());
  EXPECT_EQ(phone.view().ticket().state(), v1::TICKET_STATE_WAITING);
  EXPECT_TRUE(phone.view().ticket().status_token().empty()) << "the token is never sent back";

  const auto officer = sign_in(port(), "lan", "3");
  counter_action(port(), officer, "3", "call-next");
  EXPECT_TRUE(phone.wait_until(
      [](const v1::View& view) { return view.ticket().state() == v1::TICKET_STATE_CALLED; },
      wait_limit));
  EXPECT_EQ(phone.view().ticket().counter(), "3");
}

}  // namespace
}  // namespace luot::testing
