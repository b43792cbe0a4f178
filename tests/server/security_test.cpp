// Every role boundary against a real server, over HTTP and WebSocket: who
// may call, read and change what; what a status token reveals; and that no
// reply or event a non-holder sees carries a citizen's status token.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "support.hpp"

namespace luot::testing {
namespace {

constexpr const char* rating_token = "rating-secret-token-1";

// What a request may get: through the role check (whatever the domain
// then says), or refused as not signed in, or as the wrong role.
enum class outcome { allowed, unauthenticated, denied };

outcome classify(unsigned status) {
  if (status == 401) return outcome::unauthenticated;
  if (status == 403) return outcome::denied;
  return outcome::allowed;
}

const char* name_of(outcome value) {
  switch (value) {
    case outcome::allowed:
      return "allowed";
    case outcome::unauthenticated:
      return "401";
    case outcome::denied:
      return "403";
  }
  return "?";
}

class Security : public ::testing::Test {
 protected:
  void SetUp() override {
    auto settings = test_settings(dir_.path() / "luot.db");
    settings.devices.push_back({"rate-1", config::device_kind::rating, rating_token, {"1"}});
    server_ = std::make_unique<running_server>(std::move(settings));
  }

  std::uint16_t port() const { return server_->port(); }

  temp_dir dir_;
  std::unique_ptr<running_server> server_;
};

TEST_F(Security, EveryRoleReachesOnlyItsRoutes) {
  const auto officer = sign_in(port(), "lan", "1");
  const auto manager = sign_in(port(), "hoa", "");
  take_ticket(port(), "A");
  struct route {
    std::string method;
    std::string target;
    std::string body;
  };
  const std::vector<route> routes = {
      {"POST", "/api/v1/tickets", R"({"category":"A"})"},
      {"POST", "/api/v1/devices/status", R"({"health":"DEVICE_HEALTH_OK"})"},
      {"POST", "/api/v1/counters/1/call-next", ""},
      {"POST", "/api/v1/counters/2/call-next", ""},
      {"POST", "/api/v1/counters/1/finish", R"({"outcome":"done"})"},
      {"POST", "/api/v1/no-shows/return", R"({"ticket":"A001"})"},
      {"POST", "/api/v1/counters/1/rating",
       R"({"ticket":"T1","rating":"SERVICE_RATING_SATISFIED"})"},
      {"GET", "/api/v1/counters/1/rating", ""},
      {"GET", "/api/v1/snapshot", ""},
      {"GET", "/api/v1/counters/1/queue", ""},
      {"GET", "/api/v1/counters/2/queue", ""},
      {"POST", "/api/v1/categories/B/close", R"({"note":"thử"})"},
      {"POST", "/api/v1/categories/B/reopen", ""},
      {"GET", "/api/v1/monitor", ""},
      {"GET", "/api/v1/reports?from=2026-01-05&to=2026-01-05", ""},
      {"GET", "/api/v1/staff", ""},
      {"POST", "/api/v1/staff",
       R"({"username":"nam","displayName":"Nam","password":"mat-khau-nam","role":"officer"})"},
  };
  using enum outcome;
  // One column per route above, in order.
  const std::vector<std::pair<std::string, std::vector<outcome>>> rows = {
      {"",
       {allowed, unauthenticated, unauthenticated, unauthenticated, unauthenticated,
        unauthenticated, unauthenticated, unauthenticated, unauthenticated, unauthenticated,
        unauthenticated, unauthenticated, unauthenticated, unauthenticated, unauthenticated,
        unauthenticated, unauthenticated}},
      {display_token,
       {denied, allowed, denied, denied, denied, denied, denied, denied, denied, denied, denied,
        denied, denied, denied, denied, denied, denied}},
      {kiosk_token,
       {allowed, allowed, denied, denied, denied, denied, denied, denied, denied, denied, denied,
        denied, denied, denied, denied, denied, denied}},
      {rating_token,
       {denied, allowed, denied, denied, denied, denied, allowed, allowed, denied, denied, denied,
        denied, denied, denied, denied, denied, denied}},
      {officer,
       {allowed, denied, allowed, denied, allowed, allowed, denied, allowed, allowed, allowed,
        denied, denied, denied, denied, denied, denied, denied}},
      {manager,
       {allowed, denied, denied, denied, denied, allowed, denied, allowed, allowed, allowed,
        allowed, allowed, allowed, allowed, allowed, allowed, allowed}},
  };
  const std::vector<std::string> names = {"anonymous", "display", "kiosk",
                                          "rating",    "officer", "manager"};
  for (std::size_t who = 0; who < rows.size(); ++who) {
    const auto& [token, expected] = rows[who];
    ASSERT_EQ(expected.size(), routes.size());
    for (std::size_t index = 0; index < routes.size(); ++index) {
      const auto& entry = routes[index];
      SCOPED_TRACE(names[who] + ": " + entry.method + " " + entry.target);
      const auto reply = http_call(port(), entry.method, entry.target, entry.body, token);
      EXPECT_STREQ(name_of(classify(reply.status)), name_of(expected[index]))
          << reply.status << " " << reply.body;
    }
  }
}

v1::ServerMessage command_over_websocket(std::uint16_t port, const std::string& token,
                                         const v1::Command& command) {
  protocol_probe client(port, "luot.v1.json");
  if (!token.empty()) {
    EXPECT_TRUE(client.request(hello_message(token)).has_welcome());
  }
  v1::ClientMessage message;
  *message.mutable_command() = command;
  return client.request(message);
}

TEST_F(Security, WebSocketCommandsMeetTheSameRules) {
  const auto officer = sign_in(port(), "lan", "1");
  v1::Command take;
  take.mutable_take_ticket()->set_category("A");
  v1::Command call_1;
  call_1.mutable_call_next()->set_counter("1");
  v1::Command call_2;
  call_2.mutable_call_next()->set_counter("2");
  v1::Command close_category;
  close_category.mutable_close_category()->set_category("B");
  struct row {
    std::string who;
    std::string token;
    const v1::Command* command;
    v1::ErrorCode refused;  // ERROR_CODE_UNSPECIFIED: allowed
  };
  const std::vector<row> rows = {
      {"anonymous", "", &take, v1::ERROR_CODE_UNSPECIFIED},
      {"anonymous", "", &call_1, v1::ERROR_CODE_UNAUTHENTICATED},
      {"anonymous", "", &close_category, v1::ERROR_CODE_UNAUTHENTICATED},
      {"display", display_token, &take, v1::ERROR_CODE_PERMISSION_DENIED},
      {"display", display_token, &call_1, v1::ERROR_CODE_PERMISSION_DENIED},
      {"kiosk", kiosk_token, &take, v1::ERROR_CODE_UNSPECIFIED},
      {"kiosk", kiosk_token, &call_1, v1::ERROR_CODE_PERMISSION_DENIED},
      {"kiosk", kiosk_token, &close_category, v1::ERROR_CODE_PERMISSION_DENIED},
      {"officer", officer, &call_2, v1::ERROR_CODE_PERMISSION_DENIED},
      {"officer", officer, &close_category, v1::ERROR_CODE_PERMISSION_DENIED},
      {"officer", officer, &call_1, v1::ERROR_CODE_UNSPECIFIED},
  };
  for (const auto& entry : rows) {
    SCOPED_TRACE(entry.who + " " + entry.command->ShortDebugString());
    const auto answer = command_over_websocket(port(), entry.token, *entry.command);
    if (entry.refused == v1::ERROR_CODE_UNSPECIFIED) {
      EXPECT_TRUE(answer.has_result()) << answer.ShortDebugString();
    } else {
      EXPECT_EQ(answer.error().code(), entry.refused) << answer.ShortDebugString();
    }
  }
}

TEST_F(Security, AnOfficerWhoseCounterWasTakenOverNoLongerActsThere) {
  take_ticket(port(), "A");
  // Lan signs in to counter 1 on two devices, signs out on one (closing
  // the counter), and Hoa takes counter 1 over.
  const auto kept = sign_in(port(), "lan", "1");
  const auto other = sign_in(port(), "lan", "1");
  ASSERT_EQ(http_call(port(), "DELETE", "/api/v1/sessions", "", other).status, 200u);
  const auto hoa = sign_in(port(), "hoa", "1");
  // Lan's remaining session still names counter 1, but it is Hoa's now.
  const auto refused = http_call(port(), "POST", "/api/v1/counters/1/call-next", "", kept);
  EXPECT_EQ(refused.status, 403u) << refused.body;
  EXPECT_NE(parse<v1::Error>(refused.body).message_en().find("hoa"), std::string::npos);
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/counters/1/close", "", kept).status, 403u);
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/counters/1/call-next", "", hoa).status, 200u);
}

TEST_F(Security, AStatusTokenRevealsOneTicketOnly) {
  const auto first = take_ticket(port(), "A");
  const auto second = take_ticket(port(), "A");
  const auto third = take_ticket(port(), "B");
  std::set<std::string> tokens;
  for (const auto* ticket : {&first, &second, &third}) {
    const auto& token = ticket->status_token();
    // At least 128 bits: 32 hex digits or more, from a random source.
    EXPECT_GE(token.size(), 32u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
    tokens.insert(token);
  }
  EXPECT_EQ(tokens.size(), 3u);

  const auto reply = http_call(port(), "GET", "/api/v1/tickets/" + second.status_token());
  ASSERT_EQ(reply.status, 200u);
  const auto seen = parse<v1::Ticket>(reply.body);
  EXPECT_EQ(seen.id(), second.id());
  EXPECT_EQ(seen.people_ahead(), 1u);
  for (const auto* other : {&first, &third}) {
    EXPECT_EQ(reply.body.find(other->id() + "\""), std::string::npos);
    EXPECT_EQ(reply.body.find(other->status_token()), std::string::npos);
  }
  // A near miss reveals nothing.
  auto wrong = second.status_token();
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(http_call(port(), "GET", "/api/v1/tickets/" + wrong).status, 404u);
  EXPECT_EQ(http_call(port(), "GET", "/api/v1/tickets/" + wrong.substr(0, 16)).status, 404u);

  // Over WebSocket, watching a ticket shows that ticket and the public view.
  protocol_probe phone(port(), "luot.v1.json");
  auto watch = subscribe_message(std::nullopt);
  watch.mutable_subscribe()->set_ticket_token(second.status_token());
  const auto view = phone.request(watch);
  ASSERT_TRUE(view.has_view()) << view.ShortDebugString();
  EXPECT_EQ(view.view().ticket().id(), second.id());
  EXPECT_EQ(view.view().ticket().status_token(), "");
  EXPECT_EQ(view.ShortDebugString().find(first.id() + "\""), std::string::npos);
}

TEST_F(Security, AGuessedClientKeyNeverReturnsSomeoneElsesTicket) {
  // A kiosk's keys are sequential.
  const auto kiosk = http_call(port(), "POST", "/api/v1/tickets",
                               R"({"category":"A","clientKey":"7"})", kiosk_token);
  ASSERT_EQ(kiosk.status, 201u);
  const auto kiosk_ticket = parse<v1::Ticket>(kiosk.body);
  const auto over_http =
      http_call(port(), "POST", "/api/v1/tickets", R"({"category":"A","clientKey":"7"})");
  EXPECT_EQ(over_http.status, 201u);
  EXPECT_EQ(over_http.body.find(kiosk_ticket.status_token()), std::string::npos);
  v1::Command take;
  take.mutable_take_ticket()->set_category("A");
  take.mutable_take_ticket()->set_client_key("7");
  const auto over_websocket = command_over_websocket(port(), "", take);
  ASSERT_TRUE(over_websocket.has_result());
  EXPECT_NE(over_websocket.result().ticket().id(), kiosk_ticket.id());
  EXPECT_EQ(over_websocket.ShortDebugString().find(kiosk_ticket.status_token()), std::string::npos);
}

TEST(SecurityLimits, TicketsAreLimitedPerAddressPerKioskAndByShare) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  settings.server.take_ticket_per_minute = 3;
  // Category A has 8 numbers a day; one address may take a quarter.
  settings.centre.categories[0].daily_limit = 8;
  settings.server.take_ticket_address_share_percent = 25;
  running_server server(settings);
  const auto take = [&](const std::string& category, const std::string& token,
                        const std::string& key = {}) {
    const std::string body = R"({"category":")" + category + R"(","clientKey":")" + key + "\"}";
    return http_call(server.port(), "POST", "/api/v1/tickets", body, token);
  };
  // The address's share of A is 2 tickets, whatever its rate allows.
  EXPECT_EQ(take("A", "", "a1").status, 201u);
  EXPECT_EQ(take("A", "").status, 201u);
  const auto share_spent = take("A", "");
  EXPECT_EQ(share_spent.status, 429u);
  EXPECT_EQ(parse<v1::Error>(share_spent.body).code(), v1::ERROR_CODE_RATE_LIMITED);
  // The same address over WebSocket is the same party: its third request
  // this minute (the refused one counted) spends the rate.
  v1::Command over_socket;
  over_socket.mutable_take_ticket()->set_category("B");
  EXPECT_EQ(command_over_websocket(server.port(), "", over_socket).error().code(),
            v1::ERROR_CODE_RATE_LIMITED);
  // A retry of a ticket it holds is still answered.
  EXPECT_EQ(take("A", "", "a1").status, 200u);
  // The kiosk has its own rate, and is not held to the share: the hall's
  // kiosk issues most numbers.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(take("A", kiosk_token).status, 201u);
  const auto kiosk_limited = take("A", kiosk_token);
  EXPECT_EQ(kiosk_limited.status, 429u);
  EXPECT_EQ(parse<v1::Error>(kiosk_limited.body).code(), v1::ERROR_CODE_RATE_LIMITED);
  EXPECT_EQ(find_category(snapshot(server.port()), "A")->issued_today(), 5u);
  // Every refusal is counted by its reason, over HTTP and WebSocket.
  const auto metrics = http_call(server.port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("luot_rejections_total{code=\"ERROR_CODE_RATE_LIMITED\"} 3\n"),
            std::string::npos)
      << metrics;
}

TEST(SecurityText, TextIsTheSameWhicheverWayItWasTyped) {
  // "Hoà" with the accent as its own code point (NFD: a + U+0300), then as
  // one precomposed letter (NFC: U+00E0): one client key, so one ticket.
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto take = [&](const std::string& key) {
    return http_call(server.port(), "POST", "/api/v1/tickets",
                     R"({"category":"A","clientKey":")" + key + "\"}", kiosk_token);
  };
  const auto decomposed = take("Hoa\xcc\x80-1");
  ASSERT_EQ(decomposed.status, 201u) << decomposed.body;
  const auto precomposed = take("Ho\xc3\xa0-1");
  ASSERT_EQ(precomposed.status, 200u) << precomposed.body;
  EXPECT_EQ(parse<v1::Ticket>(precomposed.body).number(),
            parse<v1::Ticket>(decomposed.body).number());
  // Over WebSocket the same.
  v1::Command command;
  command.mutable_take_ticket()->set_category("A");
  command.mutable_take_ticket()->set_client_key("Hoa\xcc\x80-1");
  const auto answer = command_over_websocket(server.port(), kiosk_token, command);
  ASSERT_TRUE(answer.has_result()) << answer.DebugString();
  EXPECT_EQ(answer.result().ticket().number(), parse<v1::Ticket>(decomposed.body).number());
}

TEST_F(Security, WebSocketCommandsAreHeldToTheTextCaps) {
  const auto officer = sign_in(port(), "lan", "1");
  v1::Command take;
  take.mutable_take_ticket()->set_category("A");
  take.mutable_take_ticket()->set_client_key(std::string(129, 'k'));
  auto answer = command_over_websocket(port(), "", take);
  EXPECT_EQ(answer.error().code(), v1::ERROR_CODE_BAD_REQUEST);
  EXPECT_NE(answer.error().message_en().find("clientKey"), std::string::npos);
  v1::Command pause;
  pause.mutable_pause_counter()->set_counter("1");
  pause.mutable_pause_counter()->set_reason(std::string(501, 'r'));
  answer = command_over_websocket(port(), officer, pause);
  EXPECT_EQ(answer.error().code(), v1::ERROR_CODE_BAD_REQUEST);
  EXPECT_NE(answer.error().message().find("reason"), std::string::npos);
  EXPECT_EQ(snapshot(port()).tickets_size(), 0);
  pause.mutable_pause_counter()->set_reason("họp giao ban");
  EXPECT_TRUE(command_over_websocket(port(), officer, pause).has_result());
}

// Every raw frame a client received until the server answered a ping.
std::vector<std::string> frames_until_pong(protocol_probe& client, std::uint64_t request_id) {
  client.send(ping_message(request_id));
  std::vector<std::string> frames;
  for (int i = 0; i < 10000; ++i) {
    const auto got = client.read(std::chrono::seconds(10));
    if (got.closed) {
      ADD_FAILURE() << "closed " << got.close_code;
      break;
    }
    frames.push_back(got.data);
    v1::ServerMessage message;
    if (client.json())
      parse_into(got.data, message);
    else
      EXPECT_TRUE(message.ParseFromString(got.data));
    if (message.has_pong() && message.request_id() == request_id) break;
  }
  return frames;
}

TEST_F(Security, NothingANonHolderSeesCarriesAStatusToken) {
  std::vector<v1::Ticket> tickets;
  for (int i = 0; i < 4; ++i) tickets.push_back(take_ticket(port(), "A"));
  const auto kiosk =
      http_call(port(), "POST", "/api/v1/tickets", R"({"category":"B"})", kiosk_token);
  ASSERT_EQ(kiosk.status, 201u);
  tickets.push_back(parse<v1::Ticket>(kiosk.body));
  for (const auto& ticket : tickets) ASSERT_FALSE(ticket.status_token().empty());

  const auto officer = sign_in(port(), "lan", "1");
  const auto manager = sign_in(port(), "hoa", "");
  // Subscribers: the officer's console, a hall display (binary), an
  // anonymous browser, and a phone watching its own ticket.
  protocol_probe console(port(), "luot.v1.json");
  ASSERT_TRUE(console.request(hello_message(officer)).has_welcome());
  protocol_probe display(port(), "luot.v1.proto");
  ASSERT_TRUE(display.request(hello_message(display_token)).has_welcome());
  protocol_probe browser(port(), "luot.v1.json");
  protocol_probe phone(port(), "luot.v1.json");
  auto watch = subscribe_message(std::nullopt);
  watch.mutable_subscribe()->set_ticket_token(tickets[3].status_token());
  std::vector<std::string> seen;
  for (auto* client : {&console, &display, &browser}) {
    const auto view = client->request(subscribe_message(std::nullopt));
    seen.push_back(view.SerializeAsString());
  }
  seen.push_back(phone.request(watch).SerializeAsString());

  // The officer's whole workflow, over HTTP and over the console's socket.
  const auto act = [&](const std::string& action, const std::string& body = {}) {
    const auto reply = http_call(port(), "POST", "/api/v1/counters/1/" + action, body, officer);
    EXPECT_EQ(reply.status, 200u) << action << " " << reply.body;
    seen.push_back(reply.body);
    return parse<v1::CommandResult>(reply.body);
  };
  act("call-next");
  act("recall");
  act("no-show");
  const auto parked = act("call-next");
  act("park");
  act("resume-parked", R"({"ticket":")" + parked.ticket().id() + "\"}");
  act("transfer", R"({"toCategory":"B"})");
  v1::ClientMessage call;
  call.mutable_command()->mutable_call_next()->set_counter("1");
  seen.push_back(console.request(call).SerializeAsString());
  act("finish", R"({"outcome":"done"})");
  const auto returned = http_call(port(), "POST", "/api/v1/no-shows/return",
                                  R"({"ticket":")" + tickets[0].id() + "\"}", officer);
  EXPECT_EQ(returned.status, 200u) << returned.body;
  seen.push_back(returned.body);
  // What staff and everyone else read.
  for (const auto& [target, token] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/counters/1/queue", officer},
           {"/api/v1/snapshot", officer},
           {"/api/v1/monitor", manager},
           {"/api/v1/view", ""},
           {"/api/v1/tickets/" + tickets[3].status_token(), ""}}) {
    const auto reply = http_call(port(), "GET", target, "", token);
    EXPECT_EQ(reply.status, 200u) << target << " " << reply.body;
    seen.push_back(reply.body);
  }
  std::uint64_t ping = 9000;
  for (auto* client : {&console, &display, &browser, &phone})
    for (auto& frame : frames_until_pong(*client, ++ping)) seen.push_back(std::move(frame));

  ASSERT_GT(seen.size(), 20u);
  for (const auto& text : seen)
    for (const auto& ticket : tickets)
      EXPECT_EQ(text.find(ticket.status_token()), std::string::npos)
          << ticket.number() << "'s token in: " << text.substr(0, 300);
}

}  // namespace
}  // namespace luot::testing
