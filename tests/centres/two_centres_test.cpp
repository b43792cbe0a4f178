// Two centres in one real luot-server on 127.0.0.1:0, each with its own
// SQLite file: numbering, seqs and event streams of their own, tokens bound
// to their centre over HTTP and WebSocket, and the province report.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/server.hpp"
#include "centre_socket.hpp"
#include "config/settings.hpp"
#include "support.hpp"
#include "text/catalogue.hpp"

namespace luot::testing {
namespace {

constexpr const char* kiosk_a_token = "kiosk-of-centre-a-token";
constexpr const char* display_b_token = "display-of-centre-b-token";

std::string json_of(const google::protobuf::Message& message) {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out);
  return out;
}

std::string take_body(const std::string& category) {
  v1::TakeTicket take;
  take.set_category(category);
  return json_of(take);
}

std::string sign_in_body(const std::string& username, const std::string& counter) {
  v1::SignIn form;
  form.set_username(username);
  form.set_password(officer_password);
  form.set_counter(counter);
  return json_of(form);
}

// The English message a refusal carries, as the catalogue words it.
std::string english(v1::ErrorCode code, const std::string& key,
                    const std::vector<std::string>& args) {
  return text::error_message(text::language::en, code, {}, text::reason(key, args));
}

// Centres "a" and "b", both with the test centre's categories and counters
// (A and B; counters 1-3). Lan works at a, Minh at b, the manager Hoa at
// both; a kiosk of a and a display of b.
config::deployment two_centres(const std::filesystem::path& directory) {
  const auto base = test_settings(directory / "luot.db");
  config::deployment both;
  both.directory = true;
  both.server = base.server;
  for (const std::string id : {"a", "b"}) {
    config::centre_entry entry;
    entry.id = id;
    entry.centre = base.centre;
    entry.centre.name = "Trung tâm " + id;
    both.centres.push_back(entry);
  }
  for (auto member : base.staff) {
    if (member.username == "lan") member.centres = {"a"};
    if (member.username == "minh") member.centres = {"b"};
    if (member.username == "hoa") member.centres = {"a", "b"};
    both.staff.push_back(member);
  }
  config::device kiosk{"kiosk-a", config::device_kind::kiosk, kiosk_a_token, {}, "a"};
  config::device display{"display-b", config::device_kind::display, display_b_token, {}, "b"};
  both.devices = {kiosk, display};
  return both;
}

class TwoCentres : public ::testing::Test {
 protected:
  TwoCentres() : server_(std::make_unique<app::server>(two_centres(dir_.path()))) {
    server_->start();
    port_ = server_->port();
  }

  http_reply call(const std::string& method, const std::string& target,
                  const std::string& body = {}, const std::string& token = {}) {
    return http_call(port_, method, target, body, token);
  }

  v1::Ticket take(const std::string& centre, const std::string& token = {}) {
    const auto reply =
        call("POST", "/api/v1/centres/" + centre + "/tickets", take_body("A"), token);
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return parse<v1::Ticket>(reply.body);
  }

  v1::View view(const std::string& centre) {
    const auto reply = call("GET", "/api/v1/centres/" + centre + "/view");
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return parse<v1::View>(reply.body);
  }

  std::string sign_in_at(const std::string& centre, const std::string& username,
                         const std::string& counter) {
    const auto reply =
        call("POST", "/api/v1/centres/" + centre + "/sessions", sign_in_body(username, counter));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return parse<v1::SessionInfo>(reply.body).token();
  }

  temp_dir dir_;
  std::unique_ptr<app::server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(TwoCentres, EachCentreNumbersAndSequencesItsOwnTickets) {
  const auto seq_b = view("b").seq();
  EXPECT_EQ(take("a", kiosk_a_token).number(), "A001");
  EXPECT_EQ(take("a").number(), "A002");
  EXPECT_EQ(view("b").seq(), seq_b) << "a's tickets are not b's events";
  const auto seq_a = view("a").seq();
  EXPECT_EQ(take("b").number(), "A001") << "b numbers from 1 as well";
  EXPECT_EQ(view("a").seq(), seq_a);
  EXPECT_GT(view("b").seq(), seq_b);
  EXPECT_EQ(view("a").centre_name(), "Trung tâm a");
  EXPECT_EQ(view("b").centre_name(), "Trung tâm b");
  // One SQLite file per centre, named after [server] database.
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "luot.a.db"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "luot.b.db"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "luot.db"));
}

TEST_F(TwoCentres, ListsTheCentresAndRefusesPathsWithoutOne) {
  const auto list = call("GET", "/api/v1/centres");
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.body,
            R"({"centres":[{"id":"a","name":"Trung tâm a"},{"id":"b","name":"Trung tâm b"}]})");

  for (const std::string path : {"/api/v1/view", "/api/v1/tickets", "/api/v1/sessions"}) {
    const auto bare = call(path == "/api/v1/view" ? "GET" : "POST", path, "{}");
    EXPECT_EQ(bare.status, 404u) << path;
    const auto refusal = parse<v1::Error>(bare.body);
    EXPECT_EQ(refusal.code(), v1::ERROR_CODE_NOT_FOUND);
    EXPECT_EQ(refusal.message_en(),
              english(v1::ERROR_CODE_NOT_FOUND, "sec.centre_required", {path}));
  }
  const auto unknown = call("GET", "/api/v1/centres/zz/view");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(parse<v1::Error>(unknown.body).message_en(),
            english(v1::ERROR_CODE_NOT_FOUND, "sec.unknown_centre", {"zz"}));
  // The web pages of a centre (their scripts then call its API).
  const auto board = call("GET", "/centres/b/board");
  EXPECT_EQ(board.status, 200u);
  EXPECT_EQ(board.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(call("GET", "/centres/zz/board").status, 404u);
  EXPECT_EQ(call("GET", "/healthz").status, 200u);
  EXPECT_EQ(call("GET", "/readyz").status, 200u);

  EXPECT_EQ(websocket_refused_at(port_, "/api/v1/ws").status, 404u);
  EXPECT_EQ(websocket_refused_at(port_, "/api/v1/centres/zz/ws").status, 404u);
}

TEST_F(TwoCentres, TokensOfOneCentreAreRefusedAtTheOther) {
  // A device token of a.
  const auto kiosk_at_b = call("POST", "/api/v1/centres/b/tickets", take_body("A"), kiosk_a_token);
  EXPECT_EQ(kiosk_at_b.status, 403u) << kiosk_at_b.body;
  EXPECT_EQ(parse<v1::Error>(kiosk_at_b.body).message_en(),
            english(v1::ERROR_CODE_PERMISSION_DENIED, "reason.other_centre", {"a", "b"}));
  // An officer of a: no account at b, and a's session does nothing there.
  EXPECT_EQ(call("POST", "/api/v1/centres/b/sessions", sign_in_body("lan", "1")).status, 401u);
  const auto lan = sign_in_at("a", "lan", "1");
  take("b");
  const auto call_at_b = call("POST", "/api/v1/centres/b/counters/1/call-next", "{}", lan);
  EXPECT_EQ(call_at_b.status, 403u) << call_at_b.body;
  EXPECT_EQ(view("b").counters(0).state(), v1::COUNTER_STATE_CLOSED);
  // A manager of both signs in at each; a session of a is still a's only.
  const auto hoa_a = sign_in_at("a", "hoa", "");
  EXPECT_EQ(call("GET", "/api/v1/centres/a/snapshot", {}, hoa_a).status, 200u);
  EXPECT_EQ(call("GET", "/api/v1/centres/b/snapshot", {}, hoa_a).status, 403u);
  const auto hoa_b = sign_in_at("b", "hoa", "");
  EXPECT_EQ(call("GET", "/api/v1/centres/b/snapshot", {}, hoa_b).status, 200u);

  // Over the WebSocket: hello with another centre's token is refused, and
  // the connection stays anonymous.
  centre_socket at_b(port_, "/api/v1/centres/b/ws");
  v1::ClientMessage hello;
  hello.mutable_hello()->set_token(kiosk_a_token);
  const auto refused = at_b.request(hello);
  ASSERT_TRUE(refused.has_error()) << refused.DebugString();
  EXPECT_EQ(refused.error().code(), v1::ERROR_CODE_PERMISSION_DENIED);
  centre_socket at_a(port_, "/api/v1/centres/a/ws");
  hello.mutable_hello()->set_token(display_b_token);
  EXPECT_EQ(at_a.request(hello).error().code(), v1::ERROR_CODE_PERMISSION_DENIED);
  hello.mutable_hello()->set_token(lan);
  EXPECT_EQ(at_b.request(hello).error().code(), v1::ERROR_CODE_PERMISSION_DENIED);
  hello.mutable_hello()->set_token(lan);
  EXPECT_TRUE(at_a.request(hello).has_welcome()) << "at its own centre the session is welcome";
  v1::ClientMessage call_next;
  call_next.mutable_command()->mutable_call_next()->set_counter("1");
  const auto anonymous = at_b.request(call_next);
  EXPECT_EQ(anonymous.error().code(), v1::ERROR_CODE_UNAUTHENTICATED);
}

TEST_F(TwoCentres, ASubscriberOfOneCentreNeverSeesTheOther) {
  centre_socket at_a(port_, "/api/v1/centres/a/ws");
  v1::ClientMessage subscribe;
  subscribe.mutable_subscribe();
  const auto subscribed = at_a.request(subscribe);
  ASSERT_TRUE(subscribed.has_view()) << subscribed.DebugString();
  const auto from = subscribed.view().seq();
  // b's tickets are durable and published before a's is taken: were they
  // sent to a's subscriber, they would come first.
  for (int i = 0; i < 3; ++i) take("b");
  const auto ticket = take("a");
  auto update = at_a.next_pushed();
  ASSERT_TRUE(update.has_update()) << update.DebugString();
  EXPECT_EQ(update.update().seq(), from + 1);
  // a's one ticket: b's three never counted here.
  ASSERT_GE(update.update().categories_size(), 1) << update.DebugString();
  EXPECT_EQ(update.update().categories(0).code(), "A");
  EXPECT_EQ(update.update().categories(0).issued_today(), 1u);
  EXPECT_EQ(update.update().categories(0).waiting_regular(), 1u);
  EXPECT_EQ(ticket.number(), "A001");
  // And nothing else is queued: the next message answers a ping.
  v1::ClientMessage ping;
  ping.mutable_ping();
  EXPECT_TRUE(at_a.request(ping).has_pong());
  EXPECT_EQ(at_a.pending(), 0u);
}

TEST_F(TwoCentres, TheProvinceReportSumsTheCentres) {
  take("a");
  take("a");
  take("b");
  const auto day = view("a").service_day();
  const std::string query = "?from=" + day + "&to=" + day;
  const auto hoa = sign_in_at("b", "hoa", "");

  const auto province = call("GET", "/api/v1/report/province" + query, {}, hoa);
  ASSERT_EQ(province.status, 200u) << province.body;
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(province.body, &parsed).ok())
      << province.body;
  const auto& centres = parsed.fields().at("centres").list_value();
  ASSERT_EQ(centres.values_size(), 2);
  std::uint32_t sum = 0;
  for (const auto& row : centres.values()) {
    const auto& fields = row.struct_value().fields();
    const std::string id = fields.at("centre").string_value();
    // Each row is the centre's own report.
    const auto own =
        call("GET", "/api/v1/centres/" + id + "/reports" + query, {}, sign_in_at(id, "hoa", ""));
    ASSERT_EQ(own.status, 200u) << own.body;
    const auto expected = parse<v1::Report>(own.body);
    const auto got = parse<v1::Report>(json_of(fields.at("report")));
    EXPECT_EQ(got.total().issued(), expected.total().issued()) << id;
    EXPECT_EQ(got.centre_name(), "Trung tâm " + id);
    sum += got.total().issued();
  }
  EXPECT_EQ(sum, 3u);
  const auto total = parse<v1::Report>(json_of(parsed.fields().at("total")));
  EXPECT_EQ(total.total().issued(), 3u);
  EXPECT_EQ(total.from_day(), day);

  // Managers only, and a day range is required.
  EXPECT_EQ(call("GET", "/api/v1/report/province" + query).status, 401u);
  EXPECT_EQ(call("GET", "/api/v1/report/province" + query, {}, sign_in_at("a", "lan", "")).status,
            403u);
  EXPECT_EQ(call("GET", "/api/v1/report/province", {}, hoa).status, 400u);
  EXPECT_EQ(call("POST", "/api/v1/report/province" + query, {}, hoa).status, 405u);
}

TEST(OneCentre, KeepsTodaysPathsAndTakesThePrefix) {
  temp_dir dir;
  app::server one(test_settings(dir.path() / "luot.db"));
  one.start();
  const auto port = one.port();
  EXPECT_EQ(http_call(port, "POST", "/api/v1/tickets", take_body("A")).status, 201u);
  const auto plain = http_call(port, "GET", "/api/v1/view");
  const auto prefixed = http_call(port, "GET", "/api/v1/centres/default/view");
  ASSERT_EQ(plain.status, 200u);
  ASSERT_EQ(prefixed.status, 200u);
  EXPECT_EQ(parse<v1::View>(prefixed.body).seq(), parse<v1::View>(plain.body).seq());
  EXPECT_EQ(http_call(port, "GET", "/api/v1/centres/other/view").status, 404u);
  EXPECT_EQ(http_call(port, "GET", "/api/v1/centres").body,
            R"({"centres":[{"id":"default","name":"Trung tâm thử nghiệm"}]})");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "luot.db")) << "the file it always used";
  centre_socket socket(port, "/api/v1/centres/default/ws");
  v1::ClientMessage subscribe;
  subscribe.mutable_subscribe();
  EXPECT_TRUE(socket.request(subscribe).has_view());
}

}  // namespace
}  // namespace luot::testing
