// The HTTP API against a real server: the take -> call -> finish spine,
// roles, limits, idempotency, rate limits, restarts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "support.hpp"

namespace luot::testing {
namespace {

class HttpApi : public ::testing::Test {
 protected:
  temp_dir dir_;
  running_server server_{test_settings(dir_.path() / "luot.db")};
  std::uint16_t port() const { return server_.port(); }
};

TEST_F(HttpApi, TakeCallFinish) {
  const auto ticket = take_ticket(port(), "A");
  EXPECT_EQ(ticket.number(), "A001");
  EXPECT_EQ(ticket.category(), "A");
  EXPECT_EQ(ticket.people_ahead(), 0u);
  EXPECT_GE(ticket.status_token().size(), 32u);

  const auto token = sign_in(port(), "lan", "1");
  const auto called = counter_action(port(), token, "1", "call-next");
  EXPECT_EQ(called.ticket().id(), ticket.id());
  EXPECT_EQ(called.ticket().state(), v1::TICKET_STATE_CALLED);
  EXPECT_EQ(called.counter().current_ticket_id(), ticket.id());
  EXPECT_FALSE(called.seqs().empty());

  const auto finished = counter_action(port(), token, "1", "finish", R"({"outcome":"done"})");
  EXPECT_EQ(finished.ticket().state(), v1::TICKET_STATE_DONE);
  EXPECT_EQ(finished.ticket().outcome(), "done");

  const auto state = snapshot(port());
  EXPECT_EQ(state.seq(), finished.seqs(finished.seqs_size() - 1));
  const auto* seen = find_ticket(state, ticket.id());
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(seen->state(), v1::TICKET_STATE_DONE);
  // Public state never carries secrets.
  EXPECT_TRUE(seen->status_token().empty());
  EXPECT_EQ(find_counter(state, "1")->state(), v1::COUNTER_STATE_OPEN);

  const auto mine = http_call(port(), "GET", "/api/v1/tickets/" + ticket.status_token());
  ASSERT_EQ(mine.status, 200u) << mine.body;
  EXPECT_EQ(parse<v1::Ticket>(mine.body).state(), v1::TICKET_STATE_DONE);
  EXPECT_EQ(http_call(port(), "GET", "/api/v1/tickets/not-a-token").status, 404u);
}

TEST_F(HttpApi, PeopleAheadAndStatusByToken) {
  take_ticket(port(), "A");
  const auto second = take_ticket(port(), "A");
  EXPECT_EQ(second.number(), "A002");
  EXPECT_EQ(second.people_ahead(), 1u);
  const auto mine = http_call(port(), "GET", "/api/v1/tickets/" + second.status_token());
  ASSERT_EQ(mine.status, 200u);
  const auto seen = parse<v1::Ticket>(mine.body);
  EXPECT_EQ(seen.number(), "A002");
  EXPECT_EQ(seen.people_ahead(), 1u);
  EXPECT_TRUE(seen.client_key().empty());
}

TEST_F(HttpApi, ErrorsCarryCodeAndBothLanguages) {
  const auto reply = http_call(port(), "POST", "/api/v1/tickets", R"({"category":"ZZ"})");
  EXPECT_EQ(reply.status, 404u);
  EXPECT_EQ(reply.content_type, "application/json");
  const auto error = parse<v1::Error>(reply.body);
  EXPECT_EQ(error.code(), v1::ERROR_CODE_UNKNOWN_CATEGORY);
  EXPECT_NE(error.message().find("lĩnh vực"), std::string::npos) << error.message();
  EXPECT_FALSE(error.message_en().empty());
}

TEST_F(HttpApi, IdempotentTakeWithClientKey) {
  v1::TakeTicket take;
  const std::string body = R"({"category":"A","clientKey":"kiosk-retry-1"})";
  const auto first = http_call(port(), "POST", "/api/v1/tickets", body);
  ASSERT_EQ(first.status, 201u) << first.body;
  const auto again = http_call(port(), "POST", "/api/v1/tickets", body);
  ASSERT_EQ(again.status, 200u) << again.body;
  const auto a = parse<v1::Ticket>(first.body);
  const auto b = parse<v1::Ticket>(again.body);
  EXPECT_EQ(a.id(), b.id());
  EXPECT_EQ(a.number(), b.number());
  EXPECT_EQ(a.status_token(), b.status_token());
  EXPECT_EQ(find_category(snapshot(port()), "A")->issued_today(), 1u);
  EXPECT_EQ(take_ticket(port(), "A").number(), "A002");
}

TEST_F(HttpApi, RoleChecks) {
  take_ticket(port(), "A");
  const auto lan = sign_in(port(), "lan", "1");
  const auto before = snapshot(port());
  const auto call = [&](const std::string& counter, const std::string& token) {
    return http_call(port(), "POST", "/api/v1/counters/" + counter + "/call-next", "", token);
  };
  EXPECT_EQ(call("1", "").status, 401u);
  EXPECT_EQ(call("1", "no-such-token").status, 401u);
  const auto elsewhere = call("3", lan);
  EXPECT_EQ(elsewhere.status, 403u);  // Signed in to 1, not 3.
  // The reason is in the officer's language, not English inside Vietnamese.
  const auto refusal = parse<v1::Error>(elsewhere.body);
  EXPECT_EQ(refusal.code(), v1::ERROR_CODE_PERMISSION_DENIED);
  EXPECT_EQ(refusal.message(),
            "Không có quyền thực hiện thao tác này: bạn đăng nhập tại quầy 1, không phải quầy 3");
  EXPECT_EQ(refusal.message_en(), "Not allowed: you are signed in to counter 1, not counter 3");
  EXPECT_EQ(call("2", lan).status, 403u);
  EXPECT_EQ(call("1", display_token).status, 403u);
  EXPECT_EQ(call("1", kiosk_token).status, 403u);
  // Only managers close categories.
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/categories/A/close", "", lan).status, 403u);
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/categories/A/close", "").status, 401u);
  // Returning a no-show needs a staff member.
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/no-shows/return", R"({"ticket":"A001"})").status,
            401u);
  // A display takes no tickets; a kiosk does.
  EXPECT_EQ(
      http_call(port(), "POST", "/api/v1/tickets", R"({"category":"A"})", display_token).status,
      403u);
  // Every refusal changed nothing.
  EXPECT_EQ(snapshot(port()).seq(), before.seq());
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/tickets", R"({"category":"A"})", kiosk_token).status,
            201u);
  EXPECT_EQ(call("1", lan).status, 200u);
}

TEST_F(HttpApi, SignInChecks) {
  const auto sign = [&](const std::string& body) {
    return http_call(port(), "POST", "/api/v1/sessions", body).status;
  };
  EXPECT_EQ(sign(R"({"username":"lan","password":"wrong","counter":"1"})"), 401u);
  EXPECT_EQ(sign(R"({"username":"nobody","password":"x","counter":"1"})"), 401u);
  EXPECT_EQ(sign(R"({"username":"lan","password":"mat-khau-lan","counter":"2"})"), 403u);
  EXPECT_EQ(sign(R"({"username":"lan","password":"mat-khau-lan","counter":"99"})"), 404u);
  EXPECT_EQ(find_counter(snapshot(port()), "1")->state(), v1::COUNTER_STATE_CLOSED);
  const auto token = sign_in(port(), "lan", "1");
  auto counter = *find_counter(snapshot(port()), "1");
  EXPECT_EQ(counter.state(), v1::COUNTER_STATE_OPEN);
  EXPECT_EQ(counter.officer(), "lan");
  EXPECT_EQ(counter.officer_name(), "Nguyễn Thị Lan");
  // Signing in again to one's own counter is fine.
  const auto again = sign_in(port(), "lan", "1");
  EXPECT_NE(again, token);

  const auto out = http_call(port(), "DELETE", "/api/v1/sessions", "", token);
  EXPECT_EQ(out.status, 200u);
  EXPECT_EQ(find_counter(snapshot(port()), "1")->state(), v1::COUNTER_STATE_CLOSED);
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/counters/1/call-next", "", token).status, 401u);
}

TEST_F(HttpApi, TakingOverACounterEndsThePreviousOfficersRights) {
  take_ticket(port(), "A");
  const auto lan = sign_in(port(), "lan", "1");
  const auto hoa = sign_in(port(), "hoa", "1");
  EXPECT_EQ(find_counter(snapshot(port()), "1")->officer(), "hoa");
  const auto stale = http_call(port(), "POST", "/api/v1/counters/1/call-next", "", lan);
  EXPECT_EQ(stale.status, 403u) << stale.body;
  // Nor may the previous officer's sign-out close the counter under the new one.
  EXPECT_EQ(http_call(port(), "DELETE", "/api/v1/sessions", "", lan).status, 200u);
  EXPECT_EQ(find_counter(snapshot(port()), "1")->state(), v1::COUNTER_STATE_OPEN);
  EXPECT_EQ(counter_action(port(), hoa, "1", "call-next").ticket().number(), "A001");
}

TEST(HttpExpiry, ExpiredSessionIsRefused) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  // Sessions that expire the moment they start.
  settings.server.session_lifetime = std::chrono::minutes(0);
  running_server server(settings);
  take_ticket(server.port(), "A");
  const auto token = sign_in(server.port(), "lan", "1");
  const auto reply = http_call(server.port(), "POST", "/api/v1/counters/1/call-next", "", token);
  EXPECT_EQ(reply.status, 401u) << reply.body;
  EXPECT_EQ(parse<v1::Error>(reply.body).code(), v1::ERROR_CODE_UNAUTHENTICATED);
}

TEST_F(HttpApi, BadInputChangesNothing) {
  take_ticket(port(), "A");
  const auto before = snapshot(port());

  const auto broken = http_call(port(), "POST", "/api/v1/tickets", R"({"category":)");
  EXPECT_EQ(broken.status, 400u);
  EXPECT_EQ(parse<v1::Error>(broken.body).code(), v1::ERROR_CODE_MALFORMED_MESSAGE);

  const auto unknown = http_call(port(), "POST", "/api/v1/tickets", R"({"category":"A","x":1})");
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_NE(parse<v1::Error>(unknown.body).message_en().find("x"), std::string::npos)
      << unknown.body;

  const auto huge = http_call(port(), "POST", "/api/v1/tickets",
                              R"({"category":"A","clientKey":")" + std::string(10000, 'k') + "\"}");
  EXPECT_EQ(huge.status, 413u);
  EXPECT_EQ(parse<v1::Error>(huge.body).code(), v1::ERROR_CODE_MESSAGE_TOO_LARGE);

  const auto long_header =
      http_call_with_header(port(), "/api/v1/snapshot", "X-Padding", std::string(8000, 'p'));
  EXPECT_EQ(long_header.status, 431u);

  EXPECT_EQ(http_call(port(), "GET", "/api/v1/nothing-here").status, 404u);
  EXPECT_EQ(http_call(port(), "GET", "/api/v1/tickets").status, 405u);
  EXPECT_EQ(http_call(port(), "PUT", "/api/v1/snapshot").status, 405u);
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/counters/1/dance").status, 404u);

  const auto after = snapshot(port());
  EXPECT_EQ(after.seq(), before.seq());
  EXPECT_EQ(find_category(after, "A")->issued_today(), 1u);
  EXPECT_EQ(take_ticket(port(), "A").number(), "A002");
}

TEST_F(HttpApi, HealthReadinessAndMetrics) {
  const auto health = http_call(port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(http_call(port(), "GET", "/readyz").status, 200u);

  take_ticket(port(), "A");
  take_ticket(port(), "B");
  const auto token = sign_in(port(), "lan", "1");
  counter_action(port(), token, "1", "call-next");
  const auto metrics = http_call(port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_EQ(metrics.content_type.rfind("text/plain; version=0.0.4", 0), 0u) << metrics.content_type;
  for (const char* line :
       {"luot_tickets_issued_total{category=\"A\"} 1",
        "luot_tickets_issued_total{category=\"B\"} 1",
        "luot_tickets_called_total{category=\"A\"} 1", "luot_events_committed_total 4",
        "luot_commit_seconds_count", "luot_connections{kind=\"http\"}",
        "luot_connections{kind=\"websocket\"}"}) {
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << "\n" << metrics.body;
  }

  // An independent parser and linter: Prometheus' own promtool.
  temp_dir dir;
  const auto exposition = dir.path() / "metrics.txt";
  const auto report = dir.path() / "promtool.txt";
  std::ofstream(exposition) << metrics.body;
  const std::string command =
      "promtool check metrics < '" + exposition.string() + "' > '" + report.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream report_file(report);
  const std::string findings{std::istreambuf_iterator<char>(report_file), {}};
  EXPECT_EQ(status, 0) << findings << "\n" << metrics.body;
  EXPECT_EQ(findings, "") << metrics.body;
}

TEST(HttpRateLimit, TakeTicketIsLimitedPerAddressAndPerKiosk) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  settings.server.take_ticket_per_minute = 3;
  running_server server(settings);
  const std::string body = R"({"category":"A"})";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(http_call(server.port(), "POST", "/api/v1/tickets", body).status, 201u);
  }
  const auto limited = http_call(server.port(), "POST", "/api/v1/tickets", body);
  EXPECT_EQ(limited.status, 429u);
  EXPECT_EQ(parse<v1::Error>(limited.body).code(), v1::ERROR_CODE_RATE_LIMITED);
  EXPECT_EQ(find_category(snapshot(server.port()), "A")->issued_today(), 3u);
  // A kiosk has its own budget.
  EXPECT_EQ(http_call(server.port(), "POST", "/api/v1/tickets", body, kiosk_token).status, 201u);
}

TEST(HttpRateLimit, BehindATrustedProxyEachClientHasItsOwnLimit) {
  temp_dir dir;
  auto settings = test_settings(dir.path() / "luot.db");
  settings.server.take_ticket_per_minute = 2;
  const std::string body = R"({"category":"A"})";
  auto take_as = [&](std::uint16_t port, const std::string& client) {
    return http_call_with_header(port, "/api/v1/tickets", "X-Forwarded-For", client, "POST", body)
        .status;
  };
  {
    // Without trusted proxies the header is anyone's to write: ignored, and
    // every request counts against the one address they came from.
    running_server server(settings);
    EXPECT_EQ(take_as(server.port(), "192.0.2.1"), 201u);
    EXPECT_EQ(take_as(server.port(), "192.0.2.2"), 201u);
    EXPECT_EQ(take_as(server.port(), "192.0.2.3"), 429u);
  }
  // nginx in front on this host: each citizen has their own budget, and a
  // citizen cannot get a new one by writing the header themselves.
  settings.server.trusted_proxies = {*config::address_range::parse("127.0.0.1")};
  running_server server(settings);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(take_as(server.port(), "192.0.2.1"), 201u);
  EXPECT_EQ(take_as(server.port(), "192.0.2.1"), 429u);
  EXPECT_EQ(take_as(server.port(), "203.0.113.9, 192.0.2.1"), 429u);
  EXPECT_EQ(take_as(server.port(), "192.0.2.2"), 201u);
}

TEST_F(HttpApi, RestartKeepsNumbers) {
  take_ticket(port(), "A");
  const auto second = take_ticket(port(), "A");
  take_ticket(port(), "B");
  const auto seq = snapshot(port()).seq();
  server_.restart();
  const auto state = snapshot(port());
  EXPECT_EQ(state.seq(), seq);
  EXPECT_EQ(find_category(state, "A")->issued_today(), 2u);
  EXPECT_EQ(take_ticket(port(), "A").number(), "A003");
  // The citizen's token still works after the restart.
  EXPECT_EQ(http_call(port(), "GET", "/api/v1/tickets/" + second.status_token()).status, 200u);
}

}  // namespace
}  // namespace luot::testing
