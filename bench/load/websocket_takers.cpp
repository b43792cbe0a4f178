#include "websocket_takers.hpp"

#include "luot/v1/luot.pb.h"
#include "message_peek.hpp"
#include "server_child.hpp"

namespace luot::bench {

namespace {

fleet_options taker_options(std::uint16_t port, unsigned clients, std::uint32_t first_address) {
  fleet_options options;
  options.port = port;
  options.connections = clients;
  options.mode = reading::normal;
  options.kernel_timestamps = true;
  options.first_source_address = first_address;
  return options;
}

}  // namespace

websocket_takers::websocket_takers(std::uint16_t port, unsigned clients,
                                   std::uint32_t first_source_address)
    : clients_(clients),
      sent_at_(clients),
      latencies_(clients),
      fleet_(taker_options(port, clients, first_source_address), *this) {
  for (unsigned client = 0; client < clients; ++client) {
    v1::ClientMessage message;
    message.set_request_id(1);
    message.mutable_command()->mutable_take_ticket()->set_category(
        std::string(bench_categories[client % std::size(bench_categories)]));
    requests_.push_back(message.SerializeAsString());
    latencies_[client].reserve(1 << 14);
  }
}

websocket_takers::~websocket_takers() {
  stop();
}

void websocket_takers::start() {
  fleet_.start();
}

void websocket_takers::go(bench_clock::time_point deadline) {
  fleet_.post([this, deadline] {
    deadline_ = deadline;
    for (std::size_t client = 0; client < clients_; ++client) send_next(client);
  });
}

void websocket_takers::stop() {
  stopping_.store(true);
  fleet_.stop();
}

latency_summary websocket_takers::latency() const {
  std::vector<double> all;
  for (const auto& each : latencies_) all.insert(all.end(), each.begin(), each.end());
  return summarize(std::move(all));
}

void websocket_takers::opened(std::size_t) {}

void websocket_takers::send_next(std::size_t connection) {
  sent_at_[connection] = bench_clock::now();
  if (!fleet_.send(connection, opcode::binary, requests_[connection])) {
    fail("could not send a take-ticket command");
  }
}

void websocket_takers::received(std::size_t connection, std::string_view payload,
                                bench_clock::time_point at) {
  const auto peek = peek_server_message(payload);
  if (!peek) return fail("a message that is not a ServerMessage");
  if (peek->request_id != 1) return;
  if (peek->body != v1::ServerMessage::kResult && peek->body != v1::ServerMessage::kError) return;
  if (peek->body == v1::ServerMessage::kError) ++not_created_;
  latencies_[connection].push_back(to_microseconds(at - sent_at_[connection]));
  answered_.fetch_add(1, std::memory_order_relaxed);
  if (bench_clock::now() < deadline_) {
    send_next(connection);
  } else {
    done_.fetch_add(1);
  }
}

void websocket_takers::ended(std::size_t, std::uint16_t close_code, const std::string& why) {
  if (!stopping_.load()) fail("closed (" + std::to_string(close_code) + "): " + why);
}

void websocket_takers::fail(const std::string& why) {
  if (failed_.fetch_add(1) == 0) {
    const std::lock_guard lock(failure_mutex_);
    first_failure_ = why;
  }
}

std::string websocket_takers::first_failure() const {
  const std::lock_guard lock(failure_mutex_);
  return first_failure_;
}

}  // namespace luot::bench
