// The WebSocket API against a real server, in both subprotocols: live
// view updates in order, resume, the bounded view, commands with request
// ids, limits.
#include <gtest/gtest.h>

#include <thread>

#include "support.hpp"

namespace luot::testing {
namespace {

class WebSocket : public ::testing::TestWithParam<std::string> {
 protected:
  temp_dir dir_;
  running_server server_{test_settings(dir_.path() / "luot.db")};
  std::uint16_t port() const { return server_.port(); }
  std::unique_ptr<protocol_probe> connect() {
    return std::make_unique<protocol_probe>(port(), GetParam());
  }
};

TEST_P(WebSocket, NegotiatesTheSubprotocol) {
  auto client = connect();
  EXPECT_EQ(client->subprotocol(), GetParam());
  expect_nothing_pending(*client);
}

TEST_P(WebSocket, SubscriberSeesUpdatesInOrderWithConsecutiveSeqs) {
  auto client = connect();
  client->send(subscribe_message(std::nullopt, 5));
  const auto first = client->receive();
  ASSERT_TRUE(first.has_view()) << first.DebugString();
  EXPECT_EQ(first.request_id(), 5u);
  const auto start = first.view().seq();
  EXPECT_EQ(first.view().centre_name(), "Trung tâm thử nghiệm");
  ASSERT_EQ(first.view().categories_size(), 2);
  ASSERT_EQ(first.view().counters_size(), 3);

  const auto ticket = take_ticket(port(), "A");
  const auto token = sign_in(port(), "lan", "1");
  counter_action(port(), token, "1", "call-next");
  counter_action(port(), token, "1", "finish", R"({"outcome":"done"})");

  const auto issued = client->next_update();
  EXPECT_EQ(issued.seq(), start + 1);
  EXPECT_EQ(issued.cause(), "ticket_issued");
  ASSERT_EQ(issued.categories_size(), 1);
  EXPECT_EQ(issued.categories(0).code(), "A");
  EXPECT_EQ(issued.categories(0).waiting_regular(), 1u);
  EXPECT_EQ(issued.categories(0).next_number(), "A002");
  EXPECT_TRUE(issued.counters().empty());
  // Nothing of the ticket itself, let alone its secret, goes to the hall.
  EXPECT_FALSE(issued.has_ticket());
  EXPECT_EQ(issued.SerializeAsString().find(ticket.status_token()), std::string::npos);
  const auto opened = client->next_update();
  EXPECT_EQ(opened.seq(), start + 2);
  ASSERT_EQ(opened.counters_size(), 1);
  EXPECT_EQ(opened.counters(0).state(), v1::COUNTER_STATE_OPEN);
  EXPECT_EQ(opened.counters(0).officer_name(), "Nguyễn Thị Lan");
  // The public view names the officer, never their username.
  EXPECT_TRUE(opened.counters(0).officer().empty());
  const auto called = client->next_update();
  EXPECT_EQ(called.seq(), start + 3);
  // A call carries the number, category and counter: enough to announce.
  ASSERT_TRUE(called.has_call());
  EXPECT_EQ(called.call().number(), "A001");
  EXPECT_EQ(called.call().category(), "A");
  EXPECT_EQ(called.call().counter(), "1");
  EXPECT_EQ(called.call().seq(), start + 3);
  ASSERT_EQ(called.counters_size(), 1);
  EXPECT_EQ(called.counters(0).current_number(), "A001");
  ASSERT_EQ(called.categories_size(), 1);
  EXPECT_EQ(called.categories(0).waiting_regular(), 0u);
  const auto finished = client->next_update();
  EXPECT_EQ(finished.seq(), start + 4);
  EXPECT_FALSE(finished.has_call());
  ASSERT_EQ(finished.counters_size(), 1);
  EXPECT_EQ(finished.counters(0).current_number(), "");
  EXPECT_EQ(finished.counters(0).served_today(), 1u);
  expect_nothing_pending(*client);
}

TEST_P(WebSocket, ResumeGetsExactlyTheMissingUpdates) {
  for (int i = 0; i < 5; ++i) take_ticket(port(), "A");
  auto client = connect();
  client->send(subscribe_message(2));
  for (std::uint64_t seq = 3; seq <= 5; ++seq) {
    const auto update = client->next_update();
    EXPECT_EQ(update.seq(), seq);
    EXPECT_EQ(update.cause(), "ticket_issued");
  }
  // Then the reply that says the backlog is over: the stream is live.
  const auto done = client->receive();
  ASSERT_TRUE(done.has_subscribed()) << done.DebugString();
  EXPECT_EQ(done.request_id(), 1u);
  EXPECT_EQ(done.subscribed().seq(), 5u);
  expect_nothing_pending(*client);
  take_ticket(port(), "B");
  EXPECT_EQ(client->next_update().seq(), 6u);

  // Resuming at the head gets nothing but live updates.
  auto current = connect();
  current->send(subscribe_message(6));
  EXPECT_EQ(current->receive().subscribed().seq(), 6u);
  expect_nothing_pending(*current);
  take_ticket(port(), "B");
  EXPECT_EQ(current->next_update().seq(), 7u);
  EXPECT_EQ(client->next_update().seq(), 7u);
}

TEST_P(WebSocket, ResumeWorksAcrossARestart) {
  for (int i = 0; i < 4; ++i) take_ticket(port(), "A");
  server_.restart();
  auto client = connect();
  client->send(subscribe_message(1));
  for (std::uint64_t seq = 2; seq <= 4; ++seq) {
    const auto update = client->next_update();
    EXPECT_EQ(update.seq(), seq);
    // Projected again from the log, exactly as first published.
    ASSERT_EQ(update.categories_size(), 1);
    EXPECT_EQ(update.categories(0).waiting_regular(), seq);
  }
  expect_nothing_pending(*client);
}

TEST_P(WebSocket, TooOldOrAbsentSeqGetsTheBoundedViewThenLiveUpdates) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  settings.server.resume_window = 3;
  running_server small(settings);
  for (int i = 0; i < 6; ++i) take_ticket(small.port(), "A");

  for (const auto after : {std::optional<std::uint64_t>(1), std::optional<std::uint64_t>()}) {
    protocol_probe client(small.port(), GetParam());
    client.send(subscribe_message(after, 9));
    const auto first = client.receive();
    ASSERT_TRUE(first.has_view()) << first.DebugString();
    EXPECT_EQ(first.request_id(), 9u);
    EXPECT_EQ(first.view().seq(), 6u);
    EXPECT_EQ(first.view().categories(0).waiting_regular(), 6u);
    EXPECT_FALSE(first.view().has_ticket());
    expect_nothing_pending(client);
  }
  protocol_probe client(small.port(), GetParam());
  client.send(subscribe_message(2, 9));
  EXPECT_TRUE(client.receive().has_view());
  take_ticket(small.port(), "A");
  const auto live = client.next_update();
  EXPECT_EQ(live.seq(), 7u);
  // Within the window it resumes.
  protocol_probe recent(small.port(), GetParam());
  recent.send(subscribe_message(4, 9));
  for (std::uint64_t seq = 5; seq <= 7; ++seq) EXPECT_EQ(recent.next_update().seq(), seq);
}

TEST_P(WebSocket, CommandsWithRequestIds) {
  auto kiosk = connect();
  const auto welcome = kiosk->request(hello_message(kiosk_token));
  ASSERT_TRUE(welcome.has_welcome()) << welcome.DebugString();
  EXPECT_EQ(welcome.welcome().role(), "kiosk");
  EXPECT_EQ(welcome.welcome().principal(), "kiosk-1");
  EXPECT_EQ(welcome.welcome().server_version(), "0.1.0");

  v1::ClientMessage take;
  take.set_request_id(41);
  take.mutable_command()->mutable_take_ticket()->set_category("A");
  const auto taken = kiosk->request(take);
  ASSERT_TRUE(taken.has_result()) << taken.DebugString();
  EXPECT_EQ(taken.request_id(), 41u);
  EXPECT_EQ(taken.result().ticket().number(), "A001");
  EXPECT_FALSE(taken.result().ticket().status_token().empty());

  const auto token = sign_in(port(), "lan", "1");
  auto officer = connect();
  const auto officer_welcome = officer->request(hello_message(token));
  ASSERT_TRUE(officer_welcome.has_welcome());
  EXPECT_EQ(officer_welcome.welcome().role(), "officer");
  EXPECT_EQ(officer_welcome.welcome().principal(), "lan");
  EXPECT_EQ(officer_welcome.welcome().seq(), 2u);

  v1::ClientMessage call;
  call.set_request_id(42);
  call.mutable_command()->mutable_call_next()->set_counter("1");
  const auto called = officer->request(call);
  ASSERT_TRUE(called.has_result()) << called.DebugString();
  EXPECT_EQ(called.result().ticket().id(), taken.result().ticket().id());
  EXPECT_EQ(called.result().ticket().state(), v1::TICKET_STATE_CALLED);

  v1::ClientMessage elsewhere;
  elsewhere.set_request_id(43);
  elsewhere.mutable_command()->mutable_recall()->set_counter("3");
  const auto denied = officer->request(elsewhere);
  ASSERT_TRUE(denied.has_error());
  EXPECT_EQ(denied.error().code(), v1::ERROR_CODE_PERMISSION_DENIED);

  v1::ClientMessage nothing;
  nothing.set_request_id(44);
  nothing.mutable_command()->mutable_call_next()->set_counter("1");
  const auto busy = officer->request(nothing);
  ASSERT_TRUE(busy.has_error());
  EXPECT_EQ(busy.error().code(), v1::ERROR_CODE_COUNTER_BUSY);
  EXPECT_FALSE(busy.error().message().empty());

  // A display may not issue commands; an anonymous client may not call.
  auto display = connect();
  EXPECT_EQ(display->request(hello_message(display_token)).welcome().role(), "display");
  v1::ClientMessage from_display;
  from_display.set_request_id(45);
  from_display.mutable_command()->mutable_take_ticket()->set_category("A");
  const auto refused = display->request(from_display);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), v1::ERROR_CODE_PERMISSION_DENIED);

  auto anonymous = connect();
  const auto unauthenticated = anonymous->request(call);
  ASSERT_TRUE(unauthenticated.has_error());
  EXPECT_EQ(unauthenticated.error().code(), v1::ERROR_CODE_UNAUTHENTICATED);
  const auto bad_hello = anonymous->request(hello_message("forged"));
  ASSERT_TRUE(bad_hello.has_error());
  EXPECT_EQ(bad_hello.error().code(), v1::ERROR_CODE_UNAUTHENTICATED);

  EXPECT_EQ(snapshot(port()).seq(), 3u);
}

TEST_P(WebSocket, MalformedFramesGetAnErrorAndTheConnectionStays) {
  take_ticket(port(), "A");
  const auto before = snapshot(port());
  auto client = connect();
  const bool json = client->json();
  // Garbage in the right frame type.
  client->send_raw(json ? std::string("{\"subscribe\":") : std::string("\xff\xff\xff\xff", 4),
                   json);
  auto error = client->receive();
  ASSERT_TRUE(error.has_error()) << error.DebugString();
  EXPECT_EQ(error.error().code(), v1::ERROR_CODE_MALFORMED_MESSAGE);
  // The wrong frame type for the subprotocol.
  client->send_raw(json ? std::string("\x08\x01", 2) : std::string("{}"), !json);
  error = client->receive();
  ASSERT_TRUE(error.has_error());
  EXPECT_EQ(error.error().code(), v1::ERROR_CODE_MALFORMED_MESSAGE);
  if (json) {
    client->send_raw(R"({"requestId":"3","nonsense":true})", true);
    error = client->receive();
    ASSERT_TRUE(error.has_error());
    EXPECT_EQ(error.error().code(), v1::ERROR_CODE_MALFORMED_MESSAGE);
  }
  expect_nothing_pending(*client);
  EXPECT_EQ(snapshot(port()).seq(), before.seq());
}

TEST_P(WebSocket, OversizeMessageClosesWith1009) {
  take_ticket(port(), "A");
  const auto before = snapshot(port());
  auto client = connect();
  const bool json = client->json();
  client->send_raw(std::string(6000, json ? ' ' : '\0'), json);
  const auto got = client->read();
  ASSERT_TRUE(got.closed);
  EXPECT_EQ(got.close_code, 1009);
  EXPECT_NE(got.close_reason.find("too large"), std::string::npos) << got.close_reason;
  // The server still serves, and nothing changed.
  EXPECT_EQ(snapshot(port()).seq(), before.seq());
  auto next = connect();
  next->send(subscribe_message(before.seq()));
  take_ticket(port(), "A");
  EXPECT_EQ(next->next_update().seq(), before.seq() + 1);
}

INSTANTIATE_TEST_SUITE_P(Subprotocols, WebSocket,
                         ::testing::Values("luot.v1.proto", "luot.v1.json"),
                         [](const auto& param_info) {
                           return param_info.param == "luot.v1.json" ? "json" : "proto";
                         });

TEST(WebSocketFrames, AViewMuchBiggerThanTheSocketBufferArrivesWholeInBothEncodings) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  // A send buffer a fraction of the view's size: the session's one-shot
  // write of the frame takes only part of it and the rest follows by hand;
  // 700 counters make the JSON view pass 64 KiB (the longest length form).
  settings.server.websocket_send_buffer = 4096;
  for (int i = 4; i <= 703; ++i) {
    core::counter_config extra;
    extra.id = std::to_string(i);
    extra.name_vi = "Quầy số " + std::to_string(i) + " – tiếp nhận và trả kết quả";
    extra.name_en = "Counter " + std::to_string(i);
    extra.categories = {"A", "B"};
    settings.centre.counters.push_back(extra);
  }
  running_server server(settings);
  std::uint64_t seq = 0;
  for (const auto* subprotocol : {"luot.v1.proto", "luot.v1.json"}) {
    protocol_probe screen(server.port(), subprotocol);
    screen.send(subscribe_message(std::nullopt, 7));
    const auto first = screen.read(std::chrono::seconds(15));
    ASSERT_FALSE(first.closed);
    if (std::string_view(subprotocol) == "luot.v1.json") {
      EXPECT_GT(first.data.size(), 65535u);
    }
    v1::ServerMessage view;
    if (std::string_view(subprotocol) == "luot.v1.json") {
      parse_into(first.data, view);
    } else {
      ASSERT_TRUE(view.ParseFromString(first.data));
    }
    ASSERT_TRUE(view.has_view()) << subprotocol;
    EXPECT_EQ(view.request_id(), 7u);
    EXPECT_EQ(view.view().counters_size(), 703);
    EXPECT_EQ(view.view().counters(702).name_vi(), "Quầy số 703 – tiếp nhận và trả kết quả");
    // The stream goes on framed right after it.
    take_ticket(server.port(), "A");
    EXPECT_EQ(screen.next_update().seq(), ++seq);
  }
}

TEST(WebSocketBackpressure, ASlowClientIsCutOffAndNeverSlowsTheOthers) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  // Room for the kiosk's pipelined replies (take_many sends 200 at a time).
  settings.server.write_queue_limit = 256;
  settings.server.websocket_message_limit = 64 * 1024;
  // A small kernel buffer: the stalled reader backs the server up soon.
  settings.server.websocket_send_buffer = 16 * 1024;
  running_server server(settings);
  for (int i = 0; i < 300; ++i) take_ticket(server.port(), i % 2 == 0 ? "A" : "B");

  protocol_probe fast(server.port(), "luot.v1.proto");
  fast.send(subscribe_message(300));
  // The slow client subscribes, then stops reading while the day goes on:
  // once the socket buffers are full its queue overflows.
  protocol_probe slow(server.port(), "luot.v1.json", 4096);
  slow.send(subscribe_message(300, 1000));

  take_ticket(server.port(), "A");
  const auto live = fast.next_update();
  EXPECT_EQ(live.seq(), 301u);

  // Work goes on until the server has cut it off (it says so in its
  // metrics); the fast one follows every update.
  std::uint64_t seq = 301;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (http_call(server.port(), "GET", "/metrics").body.find("luot_websocket_cutoffs_total 1") ==
         std::string::npos) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the slow client was never cut off";
    take_many(server.port(), 200);
    for (int i = 0; i < 200; ++i) ASSERT_EQ(fast.next_update().seq(), ++seq);
  }

  // Reading now, the slow client finds what was in flight, then the close.
  frame got;
  int frames = 0;
  for (; frames < 100000; ++frames) {
    got = slow.read(std::chrono::seconds(15));
    if (got.closed) break;
  }
  SCOPED_TRACE(std::to_string(frames) + " frames before the close, at seq " + std::to_string(seq));
  ASSERT_TRUE(got.closed);
  EXPECT_EQ(got.close_code, 1008);
  EXPECT_EQ(got.close_reason, "too slow, resubscribe");

  // The fast one is unaffected, and the slow one may come back.
  take_ticket(server.port(), "B");
  EXPECT_EQ(fast.next_update().seq(), seq + 1);
  protocol_probe again(server.port(), "luot.v1.json");
  again.send(subscribe_message(300));
  EXPECT_EQ(again.next_update().seq(), 301u);
  EXPECT_EQ(again.next_update().seq(), 302u);
}

TEST(WebSocketBackpressure, APipelineThatNeverReadsIsHeldToAFewCommandsInFlight) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  settings.server.websocket_send_buffer = 16 * 1024;
  running_server server(settings);
  // A kiosk pipelines 60,000 take-tickets and never reads a reply. The
  // server reads on only while replies go out, so it stops taking its
  // commands once the unread replies fill the socket buffers (16 KiB here)
  // and the queue (1,024 replies), and then cuts it off.
  protocol_probe flood(server.port(), "luot.v1.proto", 4096);
  ASSERT_TRUE(flood.request(hello_message(kiosk_token)).has_welcome());
  constexpr int sent = 60000;
  for (int i = 0; i < sent; ++i) {
    v1::ClientMessage take;
    take.set_request_id(static_cast<std::uint64_t>(i + 1));
    take.mutable_command()->mutable_take_ticket()->set_category(i % 2 ? "B" : "A");
    flood.send(take);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (http_call(server.port(), "GET", "/metrics").body.find("luot_websocket_cutoffs_total 1") ==
         std::string::npos) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the flood was never cut off";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto issued = public_view(server.port()).seq();
  EXPECT_LT(issued, 10000u) << "the server read the whole pipeline";
  // Others are served as usual; of the flood, at most the commands already
  // in flight when it was cut off were still issued.
  EXPECT_FALSE(take_ticket(server.port(), "A").number().empty());
  EXPECT_LE(public_view(server.port()).seq(), issued + 1 + 32);
}

TEST(WebSocketHandshake, WithoutAKnownSubprotocolIsRefusedWith400) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  for (const std::string offered : {"", "chat", "luot.v2.proto"}) {
    const auto reply = websocket_refused(server.port(), offered);
    EXPECT_EQ(reply.status, 400u) << offered;
    EXPECT_EQ(parse<v1::Error>(reply.body).code(), v1::ERROR_CODE_BAD_REQUEST);
  }
  // The server's preference does not matter: the client's first known offer wins.
  protocol_probe both(server.port(), "chat, luot.v1.json, luot.v1.proto");
  EXPECT_EQ(both.subprotocol(), "luot.v1.json");
}

}  // namespace
}  // namespace luot::testing
