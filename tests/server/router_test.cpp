// The HTTP router and the role rules without sockets: a fake backend runs
// commands on a real engine synchronously.
#include "net/api/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "core/engine.hpp"
#include "net/auth.hpp"
#include "net/hub.hpp"
#include "net/metrics.hpp"
#include "net/rate_limiter.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

core::timestamp fixed_now() {
  // A Tuesday morning in Hà Nội.
  return core::timestamp(std::chrono::milliseconds(1795419000000));
}

class fake_backend final : public net::backend {
 public:
  explicit fake_backend(config::settings settings)
      : settings_(std::move(settings)),
        engine_(settings_.centre, [] { return net::random_token(); }),
        hub_(core::engine(settings_.centre, [] { return std::string(); }), 100, 1 << 20, nullptr,
             fixed_now()) {}

  void execute(v1::Command command, core::actor who, net::command_done done) override {
    executed.push_back(command);
    auto decided = engine_.execute(command, fixed_now(), who);
    if (!decided) return done(decided.failure());
    hub_.publish(decided->events);
    v1::CommandResult result;
    for (const auto& event : decided->events) result.add_seqs(event.seq());
    if (auto ticket =
            engine_.find_ticket(decided->ticket_id, fixed_now(), core::visibility::internal)) {
      *result.mutable_ticket() = *ticket;
    }
    done(result);
  }
  void on_hub(std::function<void(net::hub&)> work) override { work(hub_); }
  void offload(std::function<void()> work) override {
    if (defer_offloaded)
      deferred.push_back(std::move(work));
    else
      work();
  }
  // Runs what was offloaded while deferring.
  void run_deferred() {
    auto pending = std::move(deferred);
    deferred.clear();
    for (auto& work : pending) work();
  }
  bool ready() const override { return true; }
  core::timestamp now() const override { return fixed_now(); }
  const config::settings& settings() const override { return settings_; }

  std::vector<v1::Command> executed;
  // Keeps offloaded work (password checks) queued until run_deferred(), as
  // a busy password pool would.
  bool defer_offloaded = false;
  std::vector<std::function<void()>> deferred;

 private:
  config::settings settings_;
  core::engine engine_;
  net::hub hub_;
};

class Router : public ::testing::Test {
 protected:
  config::settings settings_ = [] {
    auto s = test_settings("unused.db");
    for (auto& category : s.centre.categories) category.hours.reset();
    s.server.sign_in_per_minute = 30;
    return s;
  }();
  fake_backend backend_{settings_};
  net::auth auth_{settings_.staff, settings_.devices, std::chrono::minutes(60)};
  net::rate_limiter limiter_{1000};
  net::metrics metrics_;
  net::api::router router_{backend_, auth_, limiter_, metrics_};

  net::api::http_response call(const std::string& method, const std::string& target,
                               const std::string& body = {}, const std::string& token = {},
                               const std::string& address = "192.0.2.1") {
    return call_on(router_, method, target, body, token, address);
  }

  static net::api::http_response call_on(net::api::router& router, const std::string& method,
                                         const std::string& target, const std::string& body = {},
                                         const std::string& token = {},
                                         const std::string& address = "192.0.2.1") {
    net::api::http_request request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.remote_address = address;
    if (!token.empty()) request.authorization = "Bearer " + token;
    std::optional<net::api::http_response> answer;
    router.handle(request, [&](net::api::http_response response) { answer = std::move(response); });
    EXPECT_TRUE(answer.has_value()) << method << " " << target;
    return answer.value_or(net::api::http_response{});
  }
};

TEST_F(Router, CounterCommandsTakeTheCounterFromThePath) {
  call("POST", "/api/v1/tickets", R"({"category":"A"})");
  const auto signed_in = call("POST", "/api/v1/sessions",
                              R"({"username":"lan","password":"mat-khau-lan","counter":"1"})");
  ASSERT_EQ(signed_in.status, 201u) << signed_in.body;
  const auto token = parse<v1::SessionInfo>(signed_in.body).token();
  ASSERT_EQ(call("POST", "/api/v1/counters/1/call-next", "", token).status, 200u);
  const auto finished =
      call("POST", "/api/v1/counters/1/finish", R"({"outcome":"done","note":"ok"})", token);
  EXPECT_EQ(finished.status, 200u) << finished.body;
  ASSERT_EQ(backend_.executed.size(), 4u);
  EXPECT_EQ(backend_.executed[1].open_counter().officer(), "lan");
  EXPECT_EQ(backend_.executed[1].open_counter().officer_name(), "Nguyễn Thị Lan");
  EXPECT_EQ(backend_.executed[2].call_next().counter(), "1");
  EXPECT_EQ(backend_.executed[3].finish().counter(), "1");
  EXPECT_EQ(backend_.executed[3].finish().outcome(), "done");
  EXPECT_EQ(backend_.executed[3].finish().note(), "ok");
}

TEST_F(Router, EveryRouteMapsToItsCommand) {
  const auto session = auth_.open_session(settings_.staff[0], "1", fixed_now());
  const auto manager = auth_.open_session(settings_.staff[2], "", fixed_now());
  struct row {
    std::string target;
    std::string body;
    std::string token;
    v1::Command::ActionCase action;
  };
  const std::vector<row> rows = {
      {"/api/v1/tickets", R"({"category":"A"})", "", v1::Command::kTakeTicket},
      {"/api/v1/counters/1/call-next", "", session.token(), v1::Command::kCallNext},
      {"/api/v1/counters/1/finish", "", session.token(), v1::Command::kFinish},
      {"/api/v1/counters/1/call", R"({"ticket":"A001"})", session.token(),
       v1::Command::kCallTicket},
      {"/api/v1/counters/1/recall", "", session.token(), v1::Command::kRecall},
      {"/api/v1/counters/1/no-show", "", session.token(), v1::Command::kMarkNoShow},
      {"/api/v1/counters/1/park", "", session.token(), v1::Command::kPark},
      {"/api/v1/counters/1/resume-parked", R"({"ticket":"T1"})", session.token(),
       v1::Command::kResumeParked},
      {"/api/v1/counters/1/transfer", R"({"toCategory":"B"})", session.token(),
       v1::Command::kTransfer},
      {"/api/v1/counters/1/pause", R"({"reason":"nghỉ"})", session.token(),
       v1::Command::kPauseCounter},
      {"/api/v1/counters/1/resume", "", session.token(), v1::Command::kResumeCounter},
      {"/api/v1/counters/1/close", "", session.token(), v1::Command::kCloseCounter},
      {"/api/v1/no-shows/return", R"({"ticket":"A001"})", session.token(),
       v1::Command::kReturnNoShow},
      {"/api/v1/categories/A/close", R"({"note":"x"})", manager.token(),
       v1::Command::kCloseCategory},
      {"/api/v1/categories/A/reopen", "", manager.token(), v1::Command::kReopenCategory},
  };
  for (const auto& entry : rows) {
    SCOPED_TRACE(entry.target);
    backend_.executed.clear();
    call("POST", entry.target, entry.body, entry.token);
    ASSERT_EQ(backend_.executed.size(), 1u);
    EXPECT_EQ(backend_.executed[0].action_case(), entry.action);
  }
}

TEST_F(Router, RefusalsNeverReachTheEngine) {
  const auto session = auth_.open_session(settings_.staff[0], "1", fixed_now());
  struct row {
    std::string method;
    std::string target;
    std::string body;
    std::string token;
    unsigned status;
  };
  const std::vector<row> rows = {
      {"POST", "/api/v1/counters/1/call-next", "", "", 401},
      {"POST", "/api/v1/counters/1/call-next", "", "forged", 401},
      {"POST", "/api/v1/counters/3/call-next", "", session.token(), 403},
      {"POST", "/api/v1/counters/1/call-next", "", display_token, 403},
      {"POST", "/api/v1/counters/1/call-next", R"({"counter":"2"})", session.token(), 400},
      {"POST", "/api/v1/counters/1/finish", R"({"outcome":)", session.token(), 400},
      {"POST", "/api/v1/counters/1/finish", R"({"result":"done"})", session.token(), 400},
      {"POST", "/api/v1/categories/A/close", "", session.token(), 403},
      {"POST", "/api/v1/tickets", R"({"category":"A"})", display_token, 403},
      {"GET", "/api/v1/counters/1/call-next", "", session.token(), 405},
      {"DELETE", "/api/v1/tickets", "", "", 405},
      {"POST", "/api/v1/counters/1/dance", "", session.token(), 404},
      {"GET", "/api/v2/snapshot", "", "", 404},
      {"GET", "/", "", "", 404},
  };
  for (const auto& entry : rows) {
    SCOPED_TRACE(entry.method + " " + entry.target + " " + entry.body);
    const auto response = call(entry.method, entry.target, entry.body, entry.token);
    EXPECT_EQ(response.status, entry.status) << response.body;
    EXPECT_EQ(response.content_type, "application/json");
  }
  EXPECT_TRUE(backend_.executed.empty());
}

TEST_F(Router, PasswordGuessingIsRateLimitedPerAddressAndUsername) {
  // The lockout is tested elsewhere (web_test); this is the rate alone.
  auto settings = settings_;
  settings.server.sign_in_lockout_failures = 0;
  fake_backend backend(settings);
  net::api::router router(backend, auth_, limiter_, metrics_);
  const auto attempt = [&](const std::string& username, const std::string& address) {
    const std::string wrong =
        R"({"username":")" + username + R"(","password":"doan-mo","counter":"1"})";
    return call_on(router, "POST", "/api/v1/sessions", wrong, "", address).status;
  };
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    const auto status = attempt("lan", "192.0.2.1");
    EXPECT_TRUE(status == 401 || status == 429) << status;
    if (status == 429) ++refused;
  }
  // 30 a minute: the rest are refused (a token may refill while this runs).
  EXPECT_GE(refused, 8);
  EXPECT_LE(refused, 10);
  // Guessing at "lan" from one address locks out neither "lan" elsewhere
  // nor the other officers behind the same address (one office's NAT).
  EXPECT_EQ(attempt("lan", "192.0.2.2"), 401u);
  EXPECT_EQ(attempt("minh", "192.0.2.1"), 401u);
  const auto signed_in =
      call_on(router, "POST", "/api/v1/sessions",
              R"({"username":"minh","password":"mat-khau-lan","counter":"2"})", "", "192.0.2.1");
  EXPECT_EQ(signed_in.status, 201u) << signed_in.body;
}

TEST_F(Router, OneAddressCannotFillThePasswordQueue) {
  backend_.defer_offloaded = true;
  std::vector<unsigned> statuses;
  const auto attempt = [&](const std::string& username, const std::string& address) {
    net::api::http_request request;
    request.method = "POST";
    request.target = "/api/v1/sessions";
    request.body = R"({"username":")" + username + R"(","password":"doan-mo"})";
    request.remote_address = address;
    // Shared with the callback: a deferred check answers after this
    // lambda has returned (ASan caught it writing to a dead stack slot).
    auto answered = std::make_shared<std::optional<unsigned>>();
    router_.handle(request, [&statuses, answered](net::api::http_response response) {
      statuses.push_back(response.status);
      *answered = response.status;
    });
    return *answered;
  };
  // An attacker spraying usernames from one address holds at most 4 of
  // the 16 checks that may wait at once; the rest are refused at once...
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(attempt("user" + std::to_string(i), "203.0.113.9"));
  EXPECT_EQ(attempt("user4", "203.0.113.9"), 429u);
  // ...while officers elsewhere still get in line, up to the total.
  for (int address = 1; address <= 3; ++address)
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(attempt("lan", "192.0.2." + std::to_string(address)));
  EXPECT_EQ(attempt("minh", "192.0.2.4"), 429u);
  EXPECT_EQ(backend_.deferred.size(), 16u);
  backend_.run_deferred();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 401u), 16);
  // Answered checks free their places.
  EXPECT_FALSE(attempt("user5", "203.0.113.9"));
  backend_.run_deferred();
  EXPECT_EQ(statuses.back(), 401u);
}

TEST(Auth, AnUnknownUserCostsTheSamePasswordCheckAsAKnownOne) {
  const auto settings = test_settings("unused.db");
  auto staff = settings.staff;
  staff[1].disabled = true;
  net::auth authority(staff, settings.devices, std::chrono::minutes(60));
  // Counting checks, not timing them: every attempt verifies one argon2id
  // hash with the same parameters, whether or not the user exists.
  const auto before = authority.password_checks();
  EXPECT_FALSE(authority.verify_password("lan", "sai-mat-khau"));
  EXPECT_EQ(authority.password_checks(), before + 1);
  EXPECT_FALSE(authority.verify_password("khong-co-ai", "sai-mat-khau"));
  EXPECT_EQ(authority.password_checks(), before + 2);
  // A disabled account is checked too, and refused even with its password.
  EXPECT_FALSE(authority.verify_password("minh", officer_password));
  EXPECT_EQ(authority.password_checks(), before + 3);
  // The dummy hash is never a way in, not even with a member's password.
  EXPECT_FALSE(authority.verify_password("khong-co-ai", officer_password));
  EXPECT_TRUE(authority.verify_password("lan", officer_password));
}

TEST_F(Router, ClientKeysBelongToTheirIssuer) {
  const std::string keyed = R"({"category":"A","clientKey":"1"})";
  const auto kiosk = call("POST", "/api/v1/tickets", keyed, kiosk_token);
  ASSERT_EQ(kiosk.status, 201u) << kiosk.body;
  const auto kiosk_ticket = parse<v1::Ticket>(kiosk.body);
  ASSERT_FALSE(kiosk_ticket.status_token().empty());
  // Kiosk keys are sequential: an anonymous caller sending "1" gets a
  // ticket of its own, never the kiosk's status token.
  const auto guessed = call("POST", "/api/v1/tickets", keyed);
  ASSERT_EQ(guessed.status, 201u) << guessed.body;
  const auto guessed_ticket = parse<v1::Ticket>(guessed.body);
  EXPECT_NE(guessed_ticket.id(), kiosk_ticket.id());
  EXPECT_EQ(guessed.body.find(kiosk_ticket.status_token()), std::string::npos);
  // Each issuer's own retry is answered with its own ticket.
  const auto kiosk_retry = call("POST", "/api/v1/tickets", keyed, kiosk_token);
  EXPECT_EQ(kiosk_retry.status, 200u);
  EXPECT_EQ(parse<v1::Ticket>(kiosk_retry.body).status_token(), kiosk_ticket.status_token());
  const auto retry = call("POST", "/api/v1/tickets", keyed);
  EXPECT_EQ(retry.status, 200u);
  EXPECT_EQ(parse<v1::Ticket>(retry.body).id(), guessed_ticket.id());
  // Another address is another issuer.
  const auto elsewhere = call("POST", "/api/v1/tickets", keyed, "", "192.0.2.99");
  EXPECT_EQ(elsewhere.status, 201u);
  EXPECT_NE(parse<v1::Ticket>(elsewhere.body).id(), guessed_ticket.id());
}

TEST_F(Router, ARetryIsAnsweredWithoutSpendingTheRateLimit) {
  net::rate_limiter two_a_minute(2);
  net::api::router limited(backend_, auth_, two_a_minute, metrics_);
  const auto take = [&](const std::string& key) {
    return call_on(limited, "POST", "/api/v1/tickets",
                   R"({"category":"A","clientKey":")" + key + "\"}");
  };
  const auto first = take("a");
  ASSERT_EQ(first.status, 201u);
  // A kiosk retrying a printed ticket many times spends nothing...
  for (int i = 0; i < 5; ++i) {
    const auto again = take("a");
    EXPECT_EQ(again.status, 200u) << again.body;
    EXPECT_EQ(parse<v1::Ticket>(again.body).id(), parse<v1::Ticket>(first.body).id());
  }
  EXPECT_EQ(take("b").status, 201u);
  // ...and once the limit is spent, its retries are still answered.
  EXPECT_EQ(take("c").status, 429u);
  EXPECT_EQ(take("a").status, 200u);
  EXPECT_EQ(take("b").status, 200u);
  EXPECT_EQ(call_on(limited, "POST", "/api/v1/tickets", R"({"category":"A"})").status, 429u);
}

TEST_F(Router, TextOverItsCapIsRefusedBeforeTheEngine) {
  // Signed in for real, so counter 1 is open and a pause can succeed.
  const auto session =
      parse<v1::SessionInfo>(call("POST", "/api/v1/sessions",
                                  R"({"username":"lan","password":"mat-khau-lan","counter":"1"})")
                                 .body);
  const auto manager = auth_.open_session(settings_.staff[2], "", fixed_now());
  const auto text = [](std::size_t count, const std::string& unit = "k") {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += unit;
    return out;
  };
  struct row {
    std::string target;
    std::string body;
    std::string token;
    std::string field;
  };
  // Each just over its cap; "ệ" is three bytes, and caps count characters.
  const std::vector<row> rows = {
      {"/api/v1/tickets", R"({"category":"A","clientKey":")" + text(129) + "\"}", "", "clientKey"},
      {"/api/v1/tickets", R"({"category":")" + text(65) + "\"}", "", "category"},
      {"/api/v1/counters/1/pause", R"({"reason":")" + text(501, "ệ") + "\"}", session.token(),
       "reason"},
      {"/api/v1/counters/1/finish", R"({"outcome":"done","note":")" + text(501) + "\"}",
       session.token(), "note"},
      {"/api/v1/counters/1/transfer", R"({"toCategory":"B","note":")" + text(501) + "\"}",
       session.token(), "note"},
      {"/api/v1/categories/A/close", R"({"note":")" + text(501) + "\"}", manager.token(), "note"},
      {"/api/v1/sessions", R"({"username":")" + text(65) + R"(","password":"x"})", "", "username"},
      {"/api/v1/sessions", R"({"username":"lan","password":")" + text(257) + "\"}", "", "password"},
      {"/api/v1/staff",
       R"({"username":"nam","displayName":")" + text(101) +
           R"(","password":"mat-khau-moi","role":"officer"})",
       manager.token(), "displayName"},
      {"/api/v1/tickets", R"({"category":"A","clientKey":"a\u0007b"})", "", "clientKey"},
      {"/api/v1/counters/1/pause", R"({"reason":"a\u001b[31mb"})", session.token(), "reason"},
  };
  for (const auto& entry : rows) {
    SCOPED_TRACE(entry.target + " " + entry.field);
    backend_.executed.clear();
    const auto response = call("POST", entry.target, entry.body, entry.token);
    EXPECT_EQ(response.status, 400u) << response.body;
    const auto error = parse<v1::Error>(response.body);
    EXPECT_EQ(error.code(), v1::ERROR_CODE_BAD_REQUEST);
    EXPECT_NE(error.message_en().find(entry.field), std::string::npos) << error.message_en();
    EXPECT_NE(error.message().find(entry.field), std::string::npos) << error.message();
    EXPECT_TRUE(backend_.executed.empty());
  }
  // At the cap is fine, and a note may hold line breaks.
  EXPECT_EQ(call("POST", "/api/v1/tickets", R"({"category":"A","clientKey":")" + text(128) + "\"}")
                .status,
            201u);
  EXPECT_EQ(call("POST", "/api/v1/counters/1/pause", R"({"reason":")" + text(500, "ệ") + "\"}",
                 session.token())
                .status,
            200u);
  EXPECT_EQ(
      call("POST", "/api/v1/categories/A/close", R"({"note":"hai\ndòng"})", manager.token()).status,
      200u);
}

TEST(RateLimiter, BurstsThenRefillsEvenlyPerKey) {
  net::rate_limiter limiter(6);
  const auto start = net::rate_limiter::clock::now();
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(limiter.allow("address:192.0.2.1", start));
  EXPECT_FALSE(limiter.allow("address:192.0.2.1", start));
  EXPECT_TRUE(limiter.allow("kiosk:kiosk-1", start));
  // Six a minute: one more every ten seconds, never more than the burst.
  EXPECT_FALSE(limiter.allow("address:192.0.2.1", start + std::chrono::seconds(9)));
  EXPECT_TRUE(limiter.allow("address:192.0.2.1", start + std::chrono::seconds(11)));
  EXPECT_FALSE(limiter.allow("address:192.0.2.1", start + std::chrono::seconds(12)));
  int allowed = 0;
  for (int i = 0; i < 10; ++i)
    allowed += limiter.allow("address:192.0.2.1", start + std::chrono::hours(1));
  EXPECT_EQ(allowed, 6);
  net::rate_limiter unlimited(0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(unlimited.allow("x", start));
}

TEST(RateLimiter, ARefundGivesBackOneTokenUpToTheBurst) {
  net::rate_limiter limiter(2);
  const auto start = net::rate_limiter::clock::now();
  EXPECT_TRUE(limiter.allow("k", start));
  EXPECT_TRUE(limiter.allow("k", start));
  EXPECT_FALSE(limiter.allow("k", start));
  limiter.refund("k");
  EXPECT_TRUE(limiter.allow("k", start));
  EXPECT_FALSE(limiter.allow("k", start));
  // Never more than the burst.
  for (int i = 0; i < 5; ++i) limiter.refund("k");
  EXPECT_TRUE(limiter.allow("k", start));
  EXPECT_TRUE(limiter.allow("k", start));
  EXPECT_FALSE(limiter.allow("k", start));
}

TEST(RateLimiter, ForgetsIdleKeysAsTheCrowdGrowsAndKeepsActiveOnes) {
  net::rate_limiter limiter(2);
  const auto start = net::rate_limiter::clock::now();
  const auto key = [](int i) { return "address:10." + std::to_string(i) + ".0.1"; };
  // 20,000 parties at once: every one of them is still limited.
  for (int i = 0; i < 20000; ++i) EXPECT_TRUE(limiter.allow(key(i), start));
  for (int i = 0; i < 20000; ++i) EXPECT_TRUE(limiter.allow(key(i), start));
  EXPECT_EQ(limiter.tracked(), 20000u);
  EXPECT_FALSE(limiter.allow(key(0), start));
  EXPECT_FALSE(limiter.allow(key(19999), start));
  // Minutes later another 20,000 come: the idle ones are forgotten on the
  // way (their buckets were full again), so the map does not keep growing.
  const auto later = start + std::chrono::minutes(3);
  for (int i = 20000; i < 40000; ++i) EXPECT_TRUE(limiter.allow(key(i), later));
  EXPECT_LE(limiter.tracked(), 20000u);
  EXPECT_TRUE(limiter.allow(key(0), later));
}

TEST(AddressScope, OneIPv6NetworkIsOneParty) {
  EXPECT_EQ(net::address_scope("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(net::address_scope("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(net::address_scope("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(net::address_scope("2001:db8:1:2::1"), net::address_scope("2001:db8:1:2:ffff::9"));
  EXPECT_NE(net::address_scope("2001:db8:1:2::1"), net::address_scope("2001:db8:1:3::1"));
  EXPECT_EQ(net::address_scope("unknown"), "unknown");
}

TEST(HttpStatus, ErrorCodesMapToStatuses) {
  const std::vector<std::pair<v1::ErrorCode, unsigned>> rows = {
      {v1::ERROR_CODE_BAD_REQUEST, 400},
      {v1::ERROR_CODE_MALFORMED_MESSAGE, 400},
      {v1::ERROR_CODE_MESSAGE_TOO_LARGE, 413},
      {v1::ERROR_CODE_UNAUTHENTICATED, 401},
      {v1::ERROR_CODE_PERMISSION_DENIED, 403},
      {v1::ERROR_CODE_NOT_FOUND, 404},
      {v1::ERROR_CODE_UNKNOWN_CATEGORY, 404},
      {v1::ERROR_CODE_UNKNOWN_COUNTER, 404},
      {v1::ERROR_CODE_UNKNOWN_TICKET, 404},
      {v1::ERROR_CODE_UNKNOWN_PRIORITY_CLASS, 404},
      {v1::ERROR_CODE_UNKNOWN_OUTCOME, 404},
      {v1::ERROR_CODE_RATE_LIMITED, 429},
      {v1::ERROR_CODE_UNAVAILABLE, 503},
      {v1::ERROR_CODE_INTERNAL, 500},
      {v1::ERROR_CODE_COUNTER_BUSY, 409},
      {v1::ERROR_CODE_NOTHING_WAITING, 409},
      {v1::ERROR_CODE_CATEGORY_CLOSED, 409},
      {v1::ERROR_CODE_CATEGORY_LIMIT_REACHED, 409},
      {v1::ERROR_CODE_CATEGORY_OUTSIDE_HOURS, 409},
      {v1::ERROR_CODE_TICKET_NOT_WAITING, 409},
      {v1::ERROR_CODE_AMBIGUOUS_TICKET, 409},
  };
  for (const auto& [code, status] : rows) {
    SCOPED_TRACE(v1::ErrorCode_Name(code));
    EXPECT_EQ(net::api::http_status(code), status);
  }
}

TEST(BearerToken, ParsesTheAuthorizationHeader) {
  EXPECT_EQ(net::api::bearer_token(""), std::string());
  EXPECT_EQ(net::api::bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(net::api::bearer_token("bearer  abc "), "abc");
  EXPECT_EQ(net::api::bearer_token("Basic YWxhZGRpbjpvcGVu"), std::nullopt);
  EXPECT_EQ(net::api::bearer_token("Bearer "), std::nullopt);
}

}  // namespace
}  // namespace luot::testing
