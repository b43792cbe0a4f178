#include "support.hpp"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdlib>
#include <deque>
#include <random>
#include <stdexcept>
#include <thread>

namespace luot::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// The server logs at info; tests only want warnings and worse, unless
// LUOT_TEST_LOG is set (then everything, for debugging).
const bool quiet_logs = [] {
  spdlog::set_level(std::getenv("LUOT_TEST_LOG") ? spdlog::level::debug : spdlog::level::warn);
  return true;
}();

http_reply to_reply(const http::response<http::string_body>& response) {
  return http_reply{response.result_int(), std::string(response[http::field::content_type]),
                    response.body()};
}

http_reply exchange(std::uint16_t port, http::request<http::string_body>& request) {
  asio::io_context context;
  tcp::socket socket(context);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(socket.native_handle(), std::chrono::seconds(10));
  request.set(http::field::host, "127.0.0.1");
  request.prepare_payload();
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(socket, buffer, parser);
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  return to_reply(parser.get());
}

}  // namespace

void set_receive_timeout(int socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

// The hash is computed once, with libsodium's cheapest limits: verifying
// reads the limits from the string, so tests stay fast.
const std::string& password_hash() {
  static const std::string hash = [] {
    if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, officer_password, std::strlen(officer_password),
                          crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0) {
      throw std::runtime_error("crypto_pwhash_str failed");
    }
    return std::string(out);
  }();
  return hash;
}

config::settings test_settings(const std::filesystem::path& database) {
  config::settings s;
  auto& centre = s.centre;
  centre.name = "Trung tâm thử nghiệm";
  centre.time_zone = "Asia/Ho_Chi_Minh";
  centre.reset_time = std::chrono::minutes(0);
  core::category_config a;
  a.code = "A";
  a.name_vi = "Lao động – Việc làm";
  a.name_en = "Labour";
  a.format.prefix = "A";
  core::category_config b;
  b.code = "B";
  b.name_vi = "Người có công";
  b.name_en = "Merit";
  b.format.prefix = "B";
  centre.categories = {a, b};
  core::counter_config c1;
  c1.id = "1";
  c1.name_vi = "Quầy 1";
  c1.name_en = "Counter 1";
  c1.categories = {"A", "B"};
  core::counter_config c2;
  c2.id = "2";
  c2.name_vi = "Quầy 2";
  c2.name_en = "Counter 2";
  c2.categories = {"A"};
  core::counter_config c3;
  c3.id = "3";
  c3.name_vi = "Quầy 3";
  c3.name_en = "Counter 3";
  c3.categories = {"B"};
  centre.counters = {c1, c2, c3};
  centre.priority_classes = {{"cao-tuoi", "Người cao tuổi", "Elderly"}};
  centre.outcomes = {{"done", "Đã tiếp nhận", "Received"}};

  config::staff_member lan{
      "lan", "Nguyễn Thị Lan", password_hash(), config::role::officer, {"1", "3"}};
  config::staff_member minh{"minh", "Trần Văn Minh", password_hash(), config::role::officer, {"2"}};
  config::staff_member hoa{"hoa", "Lê Thị Hoa", password_hash(), config::role::manager, {}};
  s.staff = {lan, minh, hoa};
  s.devices = {{"hall", config::device_kind::display, display_token, {}},
               {"kiosk-1", config::device_kind::kiosk, kiosk_token, {}},
               {"hall-b", config::device_kind::display, zone_b_display_token, {"3"}}};

  auto& server = s.server;
  server.address = "127.0.0.1";
  server.port = 0;
  server.database = database;
  server.io_threads = 2;
  server.body_limit = 4096;
  server.header_limit = 4096;
  server.websocket_message_limit = 4096;
  server.take_ticket_per_minute = 100000;
  server.subscribe_per_minute = 100000;
  server.sign_in_per_minute = 100000;
  return s;
}

temp_dir::temp_dir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("luot-server-test-" + std::to_string(random()) + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

http_reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body, const std::string& token) {
  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = body;
  return exchange(port, request);
}

http_reply http_call_with_header(std::uint16_t port, const std::string& target,
                                 const std::string& header_name, const std::string& header_value,
                                 const std::string& method, const std::string& body) {
  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  request.set(header_name, header_value);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  return exchange(port, request);
}

void parse_into(const std::string& json, google::protobuf::Message& message) {
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  if (!status.ok()) {
    ADD_FAILURE() << "not a " << message.GetTypeName() << ": " << status.ToString() << "\n" << json;
  }
}

http_reply websocket_refused(std::uint16_t port, const std::string& subprotocol) {
  asio::io_context context;
  websocket::stream<tcp::socket> ws(context);
  ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(ws.next_layer().native_handle(), std::chrono::seconds(10));
  ws.set_option(websocket::stream_base::decorator([subprotocol](websocket::request_type& req) {
    if (!subprotocol.empty()) req.set(http::field::sec_websocket_protocol, subprotocol);
  }));
  websocket::response_type response;
  beast::error_code ec;
  ws.handshake(response, "127.0.0.1", "/api/v1/ws", ec);
  if (!ec) ADD_FAILURE() << "the handshake was accepted";
  return http_reply{response.result_int(), std::string(response[http::field::content_type]),
                    response.body()};
}

struct protocol_probe::impl {
  asio::io_context context;
  websocket::stream<tcp::socket> ws{context};
  beast::flat_buffer buffer;
  std::deque<v1::ServerMessage> pending;
};

protocol_probe::protocol_probe(std::uint16_t port, const std::string& subprotocol,
                               int receive_buffer)
    : impl_(std::make_unique<impl>()) {
  auto& ws = impl_->ws;
  if (receive_buffer > 0) {
    ws.next_layer().open(tcp::v4());
    ws.next_layer().set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  }
  ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(ws.next_layer().native_handle(), std::chrono::seconds(5));
  ws.set_option(websocket::stream_base::decorator([subprotocol](websocket::request_type& req) {
    req.set(http::field::sec_websocket_protocol, subprotocol);
  }));
  ws.read_message_max(64 * 1024 * 1024);
  websocket::response_type response;
  ws.handshake(response, "127.0.0.1", "/api/v1/ws");
  subprotocol_ = std::string(response[http::field::sec_websocket_protocol]);
  json_ = subprotocol_ == "luot.v1.json";
  ws.binary(!json_);
}

protocol_probe::~protocol_probe() {
  beast::error_code ignored;
  impl_->ws.next_layer().close(ignored);
}

void protocol_probe::send(const v1::ClientMessage& message) {
  if (json_) {
    std::string text;
    (void)google::protobuf::util::MessageToJsonString(message, &text);
    send_raw(text, true);
  } else {
    send_raw(message.SerializeAsString(), false);
  }
}

void protocol_probe::send_raw(const std::string& data, bool text) {
  impl_->ws.text(text);
  impl_->ws.write(asio::buffer(data));
  impl_->ws.binary(!json_);
}

bool protocol_probe::flood_until_stalled(std::chrono::seconds within) {
  auto& socket = impl_->ws.next_layer();
  socket.non_blocking(true);
  const std::string chunk(64 * 1024, 'x');
  const auto deadline = std::chrono::steady_clock::now() + within;
  auto last_accepted = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline) {
    beast::error_code ec;
    const auto written = socket.write_some(asio::buffer(chunk), ec);
    const auto now = std::chrono::steady_clock::now();
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return false;
    if (written > 0) {
      last_accepted = now;
    } else if (now - last_accepted >= std::chrono::seconds(1)) {
      return true;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return false;
}

frame protocol_probe::read(std::chrono::milliseconds timeout) {
  set_receive_timeout(impl_->ws.next_layer().native_handle(), timeout);
  frame result;
  impl_->buffer.clear();
  beast::error_code ec;
  impl_->ws.read(impl_->buffer, ec);
  if (ec == websocket::error::closed) {
    result.closed = true;
    result.close_code = impl_->ws.reason().code;
    result.close_reason = std::string(impl_->ws.reason().reason.c_str());
    return result;
  }
  if (ec) throw std::runtime_error("websocket read: " + ec.message());
  result.text = impl_->ws.got_text();
  result.data = beast::buffers_to_string(impl_->buffer.data());
  return result;
}

v1::ServerMessage protocol_probe::receive(std::chrono::milliseconds timeout) {
  if (!impl_->pending.empty()) {
    auto message = std::move(impl_->pending.front());
    impl_->pending.pop_front();
    return message;
  }
  const frame got = read(timeout);
  v1::ServerMessage message;
  if (got.closed) {
    ADD_FAILURE() << "closed with " << got.close_code << " " << got.close_reason;
    return message;
  }
  if (json_) {
    EXPECT_TRUE(got.text);
    parse_into(got.data, message);
  } else {
    EXPECT_FALSE(got.text);
    EXPECT_TRUE(message.ParseFromString(got.data));
  }
  return message;
}

v1::ServerMessage protocol_probe::request(v1::ClientMessage message) {
  if (message.request_id() == 0) message.set_request_id(++next_request_id_);
  send(message);
  std::deque<v1::ServerMessage> skipped;
  for (int i = 0; i < 10000; ++i) {
    const frame got = read(std::chrono::seconds(5));
    if (got.closed) {
      ADD_FAILURE() << "closed with " << got.close_code << " " << got.close_reason;
      return {};
    }
    v1::ServerMessage answer;
    if (json_) {
      parse_into(got.data, answer);
    } else {
      EXPECT_TRUE(answer.ParseFromString(got.data));
    }
    if (answer.request_id() == message.request_id()) {
      for (auto& other : skipped) impl_->pending.push_back(std::move(other));
      return answer;
    }
    skipped.push_back(std::move(answer));
  }
  ADD_FAILURE() << "no reply to request " << message.request_id();
  return {};
}

v1::ViewUpdate protocol_probe::next_update(std::chrono::milliseconds timeout) {
  auto message = receive(timeout);
  // The reply that ends a resume backlog is not an update; remember it.
  while (message.has_subscribed()) {
    last_subscribed_ = message;
    message = receive(timeout);
  }
  EXPECT_TRUE(message.has_update()) << message.DebugString();
  EXPECT_EQ(message.request_id(), 0u);
  return message.update();
}

void protocol_probe::close() {
  beast::error_code ignored;
  impl_->ws.close(websocket::close_code::normal, ignored);
}

v1::ClientMessage subscribe_message(std::optional<std::uint64_t> after_seq,
                                    std::uint64_t request_id) {
  v1::ClientMessage message;
  message.set_request_id(request_id);
  auto& subscribe = *message.mutable_subscribe();
  if (after_seq) subscribe.set_after_seq(*after_seq);
  return message;
}

v1::ClientMessage hello_message(const std::string& token) {
  v1::ClientMessage message;
  message.mutable_hello()->set_token(token);
  message.mutable_hello()->set_client("server-test");
  return message;
}

v1::ClientMessage ping_message(std::uint64_t request_id) {
  v1::ClientMessage message;
  message.set_request_id(request_id);
  message.mutable_ping();
  return message;
}

void expect_nothing_pending(protocol_probe& client) {
  client.send(ping_message(777));
  auto pong = client.receive();
  while (pong.has_subscribed()) pong = client.receive();
  EXPECT_TRUE(pong.has_pong()) << pong.DebugString();
  EXPECT_EQ(pong.request_id(), 777u);
}

running_server::running_server(config::settings settings, app::server_options options)
    : settings_(std::move(settings)), options_(std::move(options)) {
  server_ = std::make_unique<app::server>(settings_, options_);
  server_->start();
  port_ = server_->port();
}

running_server::~running_server() {
  stop();
}

void running_server::stop() {
  if (server_) server_->stop();
  server_.reset();
}

void running_server::restart() {
  stop();
  server_ = std::make_unique<app::server>(settings_, options_);
  server_->start();
  port_ = server_->port();
}

v1::Ticket take_ticket(std::uint16_t port, const std::string& category,
                       const std::string& client_key) {
  v1::TakeTicket take;
  take.set_category(category);
  take.set_client_key(client_key);
  std::string body;
  (void)google::protobuf::util::MessageToJsonString(take, &body);
  const auto reply = http_call(port, "POST", "/api/v1/tickets", body);
  EXPECT_TRUE(reply.status == 201 || reply.status == 200) << reply.status << " " << reply.body;
  return parse<v1::Ticket>(reply.body);
}

std::string sign_in(std::uint16_t port, const std::string& username, const std::string& counter) {
  v1::SignIn form;
  form.set_username(username);
  form.set_password(officer_password);
  form.set_counter(counter);
  std::string body;
  (void)google::protobuf::util::MessageToJsonString(form, &body);
  const auto reply = http_call(port, "POST", "/api/v1/sessions", body);
  EXPECT_EQ(reply.status, 201u) << reply.body;
  return parse<v1::SessionInfo>(reply.body).token();
}

v1::CommandResult counter_action(std::uint16_t port, const std::string& token,
                                 const std::string& counter, const std::string& action,
                                 const std::string& body) {
  const auto reply =
      http_call(port, "POST", "/api/v1/counters/" + counter + "/" + action, body, token);
  EXPECT_EQ(reply.status, 200u) << action << ": " << reply.body;
  return parse<v1::CommandResult>(reply.body);
}

v1::Snapshot snapshot(std::uint16_t port) {
  // Every ticket of the day is for staff only: read it as the manager.
  const auto token = sign_in(port, "hoa", "");
  const auto reply = http_call(port, "GET", "/api/v1/snapshot", {}, token);
  EXPECT_EQ(reply.status, 200u) << reply.body;
  return parse<v1::Snapshot>(reply.body);
}

v1::View public_view(std::uint16_t port) {
  const auto reply = http_call(port, "GET", "/api/v1/view");
  EXPECT_EQ(reply.status, 200u) << reply.body;
  return parse<v1::View>(reply.body);
}

const v1::Ticket* find_ticket(const v1::Snapshot& state, const std::string& id) {
  for (const auto& ticket : state.tickets()) {
    if (ticket.id() == id) return &ticket;
  }
  return nullptr;
}

const v1::Counter* find_counter(const v1::Snapshot& state, const std::string& id) {
  for (const auto& counter : state.counters()) {
    if (counter.id() == id) return &counter;
  }
  return nullptr;
}

const v1::Category* find_category(const v1::Snapshot& state, const std::string& code) {
  for (const auto& category : state.categories()) {
    if (category.code() == code) return &category;
  }
  return nullptr;
}

void take_many(std::uint16_t port, int count) {
  protocol_probe kiosk(port, "luot.v1.proto");
  ASSERT_TRUE(kiosk.request(hello_message(kiosk_token)).has_welcome());
  constexpr int batch = 200;
  for (int done = 0; done < count; done += batch) {
    const int size = std::min(batch, count - done);
    for (int i = 0; i < size; ++i) {
      v1::ClientMessage take;
      take.set_request_id(static_cast<std::uint64_t>(done + i + 1));
      take.mutable_command()->mutable_take_ticket()->set_category((done + i) % 2 ? "B" : "A");
      kiosk.send(take);
    }
    for (int i = 0; i < size; ++i) ASSERT_TRUE(kiosk.receive().has_result());
  }
}

}  // namespace luot::testing
