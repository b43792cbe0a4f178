// The public view stream against a real server: catching up far behind,
// byte caps, zones, a phone's ticket, the clock, rate limits, and device
// mirrors that equal the server's view through restarts.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "device/device_client.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

std::uint64_t server_seq(std::uint16_t port) {
  return public_view(port).seq();
}

TEST(Stream, ASubscriberFarBehindCatchesUpInOneConnection) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  take_many(server.port(), 5001);
  ASSERT_EQ(server_seq(server.port()), 5001u);
  // 5,000 updates behind, inside the window: far more than the write queue
  // holds (1,024 messages), yet it is paced by the socket, not cut off.
  protocol_probe late(server.port(), "luot.v1.json");
  late.send(subscribe_message(1));
  for (std::uint64_t seq = 2; seq <= 5001; ++seq) {
    const auto update = late.next_update();
    ASSERT_EQ(update.seq(), seq);
  }
  take_ticket(server.port(), "A");
  EXPECT_EQ(late.next_update().seq(), 5002u);
  expect_nothing_pending(late);
  EXPECT_NE(http_call(server.port(), "GET", "/metrics").body.find("luot_websocket_cutoffs_total 0"),
            std::string::npos);
}

TEST(Stream, SubscribingWithoutReadingCostsAFewViewsThenTheConnection) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  settings.server.write_queue_bytes = 64 * 1024;
  running_server server(settings);
  take_ticket(server.port(), "A");

  protocol_probe watcher(server.port(), "luot.v1.proto");
  watcher.send(subscribe_message(1));
  // Asks for the whole view again and again and never reads: the server
  // answers a connection's first few and then closes it, so the flood
  // costs a few views, far below its byte cap.
  protocol_probe greedy(server.port(), "luot.v1.json");
  // Its first answer is read before the flood: a view on its way from the
  // hub is dropped if the close overtakes it, so only this order makes the
  // count below exact.
  greedy.send(subscribe_message(std::nullopt, 9));
  frame first = greedy.read(std::chrono::seconds(15));
  ASSERT_FALSE(first.closed);
  v1::ServerMessage answer;
  parse_into(first.data, answer);
  ASSERT_TRUE(answer.has_view()) << answer.DebugString();
  for (int i = 0; i < 2000; ++i) greedy.send(subscribe_message(std::nullopt, 10 + i));
  int views = 1;
  int refusals = 0;
  frame got;
  for (int frames = 0; frames < 10000 && !got.closed; ++frames) {
    got = greedy.read(std::chrono::seconds(15));
    if (got.closed) break;
    v1::ServerMessage message;
    parse_into(got.data, message);
    if (message.has_view()) ++views;
    if (message.has_error()) {
      EXPECT_EQ(message.error().code(), v1::ERROR_CODE_RATE_LIMITED);
      ++refusals;
    }
  }
  ASSERT_TRUE(got.closed);
  EXPECT_EQ(got.close_code, 1008);
  EXPECT_EQ(got.close_reason, "too many subscribes, back off");
  // It got its connection's one view, then the close; nothing was refused
  // with an error it would never read.
  EXPECT_EQ(views, 1);
  EXPECT_EQ(refusals, 0);
  // The others never noticed.
  take_ticket(server.port(), "B");
  EXPECT_EQ(watcher.next_update().seq(), 2u);
}

TEST(Stream, AConnectionCutOffForFloodingIsNeverReadAgain) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  // A long grace, so only not reading (never the grace timer) can stall
  // the flood below.
  settings.server.handshake_timeout = std::chrono::seconds(120);
  running_server server(settings);
  protocol_probe greedy(server.port(), "luot.v1.proto");
  for (int i = 0; i < 3; ++i) greedy.send(subscribe_message(std::nullopt, 10 + i));
  while (http_call(server.port(), "GET", "/metrics").body.find("luot_websocket_cutoffs_total 1") ==
         std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // After the close frame, whatever the client sends stays unread: its
  // flood stalls in TCP flow control instead of being drained by the
  // server (a graceful close would read and discard it for the whole
  // grace, and these bytes, not frames, would break it at once).
  EXPECT_TRUE(greedy.flood_until_stalled(std::chrono::seconds(60)));
  // Everyone else is served.
  EXPECT_EQ(take_ticket(server.port(), "A").number(), "A001");
}

TEST(Stream, TwoThousandScreensReconnectingAtOnceAllConverge) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  // All of them come from 127.0.0.1; in a centre each screen has its own
  // address, so the per-address limit is lifted here.
  settings.server.subscribe_per_minute = 100000;
  running_server server(settings);
  take_many(server.port(), 70);
  // The screens had seen seq 50 when the network dropped: all of them
  // reconnect and ask to resume at the same moment (every Subscribe is sent
  // before any answer is read).
  constexpr int screens = 2000;
  // Two descriptors a screen (its end and the server's) in this process.
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  files.rlim_cur = files.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &files), 0);
  ASSERT_GE(files.rlim_cur, static_cast<rlim_t>(2 * screens + 200))
      << "the hard limit on open files is too low for this test";
  std::vector<std::unique_ptr<protocol_probe>> crowd;
  crowd.reserve(screens);
  for (int i = 0; i < screens; ++i) {
    crowd.push_back(std::make_unique<protocol_probe>(server.port(), "luot.v1.proto"));
  }
  for (auto& screen : crowd) screen->send(subscribe_message(50, 5));
  for (auto& screen : crowd) {
    std::uint64_t seq = 50;
    for (;;) {
      const auto message = screen->receive(std::chrono::seconds(30));
      ASSERT_FALSE(message.has_error()) << message.error().message_en();
      if (message.has_subscribed()) {
        EXPECT_EQ(message.request_id(), 5u);
        EXPECT_EQ(message.subscribed().seq(), 70u);
        break;
      }
      ASSERT_TRUE(message.has_update()) << message.DebugString();
      ASSERT_EQ(message.update().seq(), seq + 1);  // Nothing missed or repeated.
      seq = message.update().seq();
    }
    ASSERT_EQ(seq, 70u);
  }
  // And all of them are live.
  take_ticket(server.port(), "A");
  for (auto& screen : crowd) EXPECT_EQ(screen->next_update(std::chrono::seconds(30)).seq(), 71u);
}

TEST(Stream, SubscribesAreRateLimitedPerConnectionAndPerAddress) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  settings.server.subscribe_per_minute = 5;
  running_server server(settings);
  auto expect_closed = [](protocol_probe& client) {
    const auto got = client.read();
    ASSERT_TRUE(got.closed);
    EXPECT_EQ(got.close_code, 1008);
    EXPECT_EQ(got.close_reason, "too many subscribes, back off");
  };
  // One connection gets one; a second closes it (no device asks twice on
  // one connection).
  protocol_probe first(server.port(), "luot.v1.proto");
  EXPECT_TRUE(first.request(subscribe_message(std::nullopt)).has_view());
  first.send(subscribe_message(std::nullopt, 40));
  expect_closed(first);
  // The address has five: the next connections share what is left, then
  // are refused with RATE_LIMITED (a device behind a busy NAT retries
  // later) ...
  std::vector<std::unique_ptr<protocol_probe>> others;
  for (int i = 0; i < 4; ++i) {
    others.push_back(std::make_unique<protocol_probe>(server.port(), "luot.v1.proto"));
    EXPECT_TRUE(others.back()->request(subscribe_message(std::nullopt)).has_view());
  }
  protocol_probe refused(server.port(), "luot.v1.proto");
  for (int i = 0; i < 3; ++i) {
    const auto answer = refused.request(subscribe_message(std::nullopt));
    ASSERT_TRUE(answer.has_error()) << answer.DebugString();
    EXPECT_EQ(answer.error().code(), v1::ERROR_CODE_RATE_LIMITED);
  }
  // ... and one that keeps asking after being refused is closed.
  refused.send(subscribe_message(std::nullopt, 50));
  expect_closed(refused);
  // Others from elsewhere are still served.
  EXPECT_EQ(public_view(server.port()).seq(), 0u);
}

TEST(Stream, AZoneDisplayNeverReceivesAnotherZonesCounters) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  protocol_probe zone_b(server.port(), "luot.v1.proto");
  ASSERT_TRUE(zone_b.request(hello_message(zone_b_display_token)).has_welcome());
  const auto first = zone_b.request(subscribe_message(std::nullopt));
  ASSERT_TRUE(first.has_view()) << first.DebugString();
  ASSERT_EQ(first.view().counters_size(), 1);
  EXPECT_EQ(first.view().counters(0).id(), "3");
  ASSERT_EQ(first.view().categories_size(), 1);
  EXPECT_EQ(first.view().categories(0).code(), "B");
  ASSERT_EQ(first.view().zone_size(), 1);

  // Work in zone A (counter 2, category A) sends zone B nothing at all.
  take_ticket(server.port(), "A");
  const auto minh = sign_in(server.port(), "minh", "2");
  counter_action(server.port(), minh, "2", "call-next");
  expect_nothing_pending(zone_b);

  take_ticket(server.port(), "B");
  const auto lan = sign_in(server.port(), "lan", "3");
  counter_action(server.port(), lan, "3", "call-next");
  for (int i = 0; i < 3; ++i) {
    const auto update = zone_b.next_update();
    for (const auto& counter : update.counters()) EXPECT_EQ(counter.id(), "3");
    for (const auto& category : update.categories()) EXPECT_EQ(category.code(), "B");
    if (update.has_call()) {
      EXPECT_EQ(update.call().counter(), "3");
    }
  }
  expect_nothing_pending(zone_b);

  // A zone device may narrow, never widen; unknown counters are refused.
  // (Each on a new connection: a connection subscribes once.)
  protocol_probe widening(server.port(), "luot.v1.proto");
  ASSERT_TRUE(widening.request(hello_message(zone_b_display_token)).has_welcome());
  v1::ClientMessage widen = subscribe_message(std::nullopt, 5);
  widen.mutable_subscribe()->add_counters("2");
  const auto narrowed = widening.request(widen);
  ASSERT_TRUE(narrowed.has_view());
  EXPECT_TRUE(narrowed.view().counters().empty());
  protocol_probe again(server.port(), "luot.v1.proto");
  ASSERT_TRUE(again.request(hello_message(zone_b_display_token)).has_welcome());
  v1::ClientMessage unknown = subscribe_message(std::nullopt, 6);
  unknown.mutable_subscribe()->add_counters("99");
  const auto refused = again.request(unknown);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), v1::ERROR_CODE_UNKNOWN_COUNTER);
}

TEST(Stream, APhoneWatchingItsTicketNeverReceivesAnotherTicket) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto before = take_ticket(server.port(), "A");
  const auto mine = take_ticket(server.port(), "A");
  protocol_probe phone(server.port(), "luot.v1.json");
  v1::ClientMessage watch = subscribe_message(std::nullopt, 3);
  watch.mutable_subscribe()->set_ticket_token(mine.status_token());
  const auto first = phone.request(watch);
  ASSERT_TRUE(first.has_view()) << first.DebugString();
  EXPECT_EQ(first.view().ticket().number(), "A002");
  EXPECT_EQ(first.view().ticket().people_ahead(), 1u);
  EXPECT_TRUE(first.view().ticket().status_token().empty());

  const auto after = take_ticket(server.port(), "A");
  const auto lan = sign_in(server.port(), "lan", "1");
  counter_action(server.port(), lan, "1", "call-next");  // A001
  counter_action(server.port(), lan, "1", "finish");
  counter_action(server.port(), lan, "1", "call-next");  // A002: mine.
  std::vector<v1::ViewUpdate> seen;
  while (seen.empty() || seen.back().ticket().state() != v1::TICKET_STATE_CALLED)
    seen.push_back(phone.next_update());
  for (const auto& update : seen) {
    EXPECT_EQ(update.ticket().id(), mine.id());
    EXPECT_FALSE(update.has_call());
    for (const auto& category : update.categories()) EXPECT_EQ(category.code(), "A");
    const auto bytes = update.SerializeAsString();
    EXPECT_EQ(bytes.find(before.id() + "\x1a"), std::string::npos);
    EXPECT_EQ(bytes.find(after.number()), std::string::npos);
  }
  EXPECT_EQ(seen.back().ticket().counter(), "1");
  ASSERT_EQ(seen.back().counters_size(), 1);
  EXPECT_EQ(seen.back().counters(0).name_vi(), "Quầy 1");

  v1::ClientMessage forged = subscribe_message(std::nullopt, 4);
  forged.mutable_subscribe()->set_ticket_token("guessed-token");
  protocol_probe guesser(server.port(), "luot.v1.json");
  const auto refused = guesser.request(forged);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), v1::ERROR_CODE_UNKNOWN_TICKET);
  // Named by its first characters, in the reader's language: no English
  // placeholder in the Vietnamese text, no whole credential echoed.
  EXPECT_NE(refused.error().message().find("\"guessed-…\""), std::string::npos)
      << refused.error().message();
  EXPECT_EQ(refused.error().message().find("token"), std::string::npos);
}

TEST(Stream, OpeningHoursEndWithoutTrafficAndAKioskMirrorSeesIt) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  // A opens until 11:00 every day.
  core::weekly_hours hours{std::array<std::vector<core::time_range>, 7>{}};
  for (auto& day : *hours) day = {{std::chrono::hours(7), std::chrono::hours(11)}};
  settings.centre.categories[0].hours = hours;
  // 10:59:30 in Hà Nội, Monday 2026-11-23.
  auto clock = std::make_shared<std::atomic<std::int64_t>>(1795406370000);
  app::server_options options;
  options.clock = [clock] { return core::timestamp(std::chrono::milliseconds(clock->load())); };
  options.view_refresh_interval = std::chrono::milliseconds(50);
  running_server server(settings, options);

  device::options kiosk_options;
  kiosk_options.server_url = "http://127.0.0.1:" + std::to_string(server.port());
  kiosk_options.token = kiosk_token;
  device::device_client kiosk(kiosk_options);
  kiosk.start();
  const auto status_of_a = [](const v1::View& view) {
    for (const auto& category : view.categories())
      if (category.code() == "A") return category.status();
    return v1::CATEGORY_STATUS_UNSPECIFIED;
  };
  ASSERT_TRUE(kiosk.wait_until(
      [&](const v1::View& view) { return status_of_a(view) == v1::CATEGORY_STATUS_OPEN; },
      std::chrono::seconds(5)));
  const auto seq = kiosk.seq();
  clock->fetch_add(60 * 1000);  // 11:00:30, and no command at all.
  EXPECT_TRUE(kiosk.wait_until(
      [&](const v1::View& view) {
        return status_of_a(view) == v1::CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS;
      },
      std::chrono::seconds(5)));
  EXPECT_EQ(kiosk.seq(), seq);  // No event was needed.
  kiosk.stop();
}

class MirrorThroughRestarts : public ::testing::TestWithParam<device::encoding> {};

// Random commands through the HTTP API while a display's mirror follows;
// the server is restarted (on the same port) at random points. After each
// round the mirror equals the server's own view, byte for byte.
TEST_P(MirrorThroughRestarts, EqualsTheServerView) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  server.settings().server.port = server.port();
  device::options display_options;
  display_options.server_url = "http://127.0.0.1:" + std::to_string(server.port());
  display_options.token = display_token;
  display_options.format = GetParam();
  display_options.backoff_initial = std::chrono::milliseconds(20);
  display_options.backoff_max = std::chrono::milliseconds(200);
  device::device_client display(display_options);
  std::set<std::uint64_t> calls_reported;
  int repeated_calls = 0;
  display.on_call([&](const v1::Call& call, device::call_origin) {
    if (!calls_reported.insert(call.seq()).second) ++repeated_calls;
  });
  display.start();

  std::mt19937 random(20261123u);
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
  std::string token = sign_in(server.port(), "lan", "1");
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    for (int step = 0; step < 25; ++step) {
      switch (pick(5)) {
        case 0:
        case 1:
          take_ticket(server.port(), pick(2) ? "A" : "B");
          break;
        case 2:
          http_call(server.port(), "POST", "/api/v1/counters/1/call-next", {}, token);
          break;
        case 3:
          http_call(server.port(), "POST", "/api/v1/counters/1/finish", {}, token);
          break;
        default:
          http_call(server.port(), "POST", "/api/v1/counters/1/recall", {}, token);
          break;
      }
    }
    if (pick(2) == 0) {
      server.restart();  // Same port; the display resumes on its own.
      token = sign_in(server.port(), "lan", "1");
    }
    const auto seq = server_seq(server.port());
    ASSERT_TRUE(display.wait_until([&](const v1::View& view) { return view.seq() >= seq; },
                                   std::chrono::seconds(10)));
    const auto expected = public_view(server.port());
    auto mirrored = display.view();
    mirrored.clear_at();
    auto server_view = expected;
    server_view.clear_at();
    EXPECT_EQ(mirrored.SerializeAsString(), server_view.SerializeAsString())
        << "mirror:\n"
        << mirrored.DebugString() << "\nserver:\n"
        << server_view.DebugString();
  }
  display.stop();
  EXPECT_EQ(repeated_calls, 0);
  EXPECT_FALSE(calls_reported.empty());
}

INSTANTIATE_TEST_SUITE_P(Subprotocols, MirrorThroughRestarts,
                         ::testing::Values(device::encoding::binary, device::encoding::json),
                         [](const auto& param_info) {
                           return param_info.param == device::encoding::json ? "json" : "proto";
                         });

}  // namespace
}  // namespace luot::testing

namespace luot::testing {
namespace {

TEST(DeviceStatus, AKioskReportsItsPrinterAndTheViewShowsIt) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  protocol_probe hall(server.port(), "luot.v1.json");
  ASSERT_TRUE(hall.request(subscribe_message(std::nullopt)).has_view());

  // The kiosk cannot pretend to be another device: the server names it.
  const auto paper_out =
      R"({"health":"DEVICE_HEALTH_PAPER_OUT","detail":"DLE EOT 4: 0x72","device":"kiosk-9"})";
  auto reply = http_call(server.port(), "POST", "/api/v1/devices/status", paper_out, kiosk_token);
  EXPECT_EQ(reply.status, 200u) << reply.body;
  const auto update = hall.next_update();
  EXPECT_EQ(update.cause(), "device_status_changed");
  ASSERT_EQ(update.devices_size(), 1);
  EXPECT_EQ(update.devices(0).device(), "kiosk-1");
  EXPECT_EQ(update.devices(0).health(), v1::DEVICE_HEALTH_PAPER_OUT);
  const auto view = public_view(server.port());
  ASSERT_EQ(view.devices_size(), 1);
  EXPECT_EQ(view.devices(0).detail(), "DLE EOT 4: 0x72");

  // The same report again records nothing; a change does.
  const auto seq = view.seq();
  EXPECT_EQ(
      http_call(server.port(), "POST", "/api/v1/devices/status", paper_out, kiosk_token).status,
      200u);
  EXPECT_EQ(server_seq(server.port()), seq);
  EXPECT_EQ(http_call(server.port(), "POST", "/api/v1/devices/status",
                      R"({"health":"DEVICE_HEALTH_OK"})", kiosk_token)
                .status,
            200u);
  EXPECT_EQ(public_view(server.port()).devices(0).health(), v1::DEVICE_HEALTH_OK);

  // Only devices report, and only real states.
  EXPECT_EQ(http_call(server.port(), "POST", "/api/v1/devices/status", paper_out).status, 401u);
  const auto officer = sign_in(server.port(), "lan", "1");
  EXPECT_EQ(http_call(server.port(), "POST", "/api/v1/devices/status", paper_out, officer).status,
            403u);
  EXPECT_EQ(
      http_call(server.port(), "POST", "/api/v1/devices/status", R"({"detail":"x"})", kiosk_token)
          .status,
      400u);
  EXPECT_EQ(http_call(server.port(), "POST", "/api/v1/devices/status",
                      R"({"health":"DEVICE_HEALTH_OK","detail":")" + std::string(300, 'x') + "\"}",
                      kiosk_token)
                .status,
            400u);
  EXPECT_EQ(http_call(server.port(), "POST", "/api/v1/devices/status",
                      R"({"health":"DEVICE_HEALTH_OK"})", display_token)
                .status,
            200u);
  EXPECT_EQ(public_view(server.port()).devices_size(), 2);
  // It survives a restart (snapshot or replay alike).
  server.restart();
  EXPECT_EQ(public_view(server.port()).devices_size(), 2);
}

}  // namespace
}  // namespace luot::testing
