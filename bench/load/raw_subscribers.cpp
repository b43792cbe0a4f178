#include "raw_subscribers.hpp"

#include <algorithm>

#include "luot/v1/luot.pb.h"
#include "message_peek.hpp"

namespace luot::bench {

namespace {

fleet_options subscriber_options(std::uint16_t port, std::size_t count,
                                 const raw_subscriber_options& raw) {
  fleet_options options;
  options.port = port;
  options.connections = count;
  options.mode = reading::normal;
  options.kernel_timestamps = true;
  options.handshakes_at_once = raw.handshakes_at_once;
  return options;
}

}  // namespace

raw_subscribers::raw_subscribers(std::uint16_t port, std::size_t count,
                                 raw_subscriber_options options)
    : arrivals_(count),
      seqs_(count),
      is_live_(count, 0),
      options_(options),
      fleet_(subscriber_options(port, count, options), *this) {
  // A few calls per subscriber at tens of thousands of them; a thousand
  // updates each in a fan-out row of a few hundred.
  for (auto& each : arrivals_) each.reserve(count > 1000 ? 64 : 1 << 10);
  v1::ClientMessage subscribe;
  subscribe.set_request_id(1);
  subscribe.mutable_subscribe();
  subscribe_ = subscribe.SerializeAsString();
}

raw_subscribers::~raw_subscribers() {
  stop();
}

void raw_subscribers::start() {
  fleet_.start();
}

std::uint64_t raw_subscribers::lowest_seq() const {
  std::uint64_t lowest = ~std::uint64_t{0};
  for (const auto& each : seqs_) lowest = std::min(lowest, each.load(std::memory_order_acquire));
  return seqs_.empty() ? 0 : lowest;
}

void raw_subscribers::stop() {
  stopping_.store(true);
  fleet_.stop();
}

void raw_subscribers::opened(std::size_t connection) {
  if (!options_.subscribe) {
    is_live_[connection] = 1;
    live_.fetch_add(1);
    return;
  }
  if (!fleet_.send(connection, opcode::binary, subscribe_)) fail("could not send Subscribe");
}

void raw_subscribers::received(std::size_t connection, std::string_view payload,
                               bench_clock::time_point at) {
  const auto peek = peek_server_message(payload);
  if (!peek) return fail("a message that is not a ServerMessage");
  switch (peek->body) {
    case v1::ServerMessage::kUpdate: {
      arrivals_[connection].push_back({peek->seq, at});
      if (connection == 0) {
        if (options_.keep_first_payloads) first_payloads_[peek->seq] = std::string(payload);
        v1::ServerMessage message;
        if (!message.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
          return fail("an update that does not parse");
        }
        auto& issued = checked_[peek->seq];
        for (const auto& category : message.update().categories()) {
          issued[category.code()] = category.issued_today();
        }
      }
      break;
    }
    case v1::ServerMessage::kView:
    case v1::ServerMessage::kSubscribed:
      if (!is_live_[connection]) {
        is_live_[connection] = 1;
        live_.fetch_add(1);
      }
      break;
    case v1::ServerMessage::kError: {
      v1::ServerMessage message;
      message.ParseFromArray(payload.data(), static_cast<int>(payload.size()));
      return fail("server error: " + message.error().message_en());
    }
    default:
      return;
  }
  auto& seq = seqs_[connection];
  if (peek->seq > seq.load(std::memory_order_relaxed)) {
    seq.store(peek->seq, std::memory_order_release);
  }
}

void raw_subscribers::ended(std::size_t, std::uint16_t close_code, const std::string& why) {
  if (close_code == 1008) {
    cut_off_.fetch_add(1);
  } else if (!stopping_.load()) {
    fail(why);
  }
}

void raw_subscribers::fail(const std::string& why) {
  if (failed_.fetch_add(1) == 0) {
    const std::lock_guard lock(failure_mutex_);
    first_failure_ = why;
  }
}

std::string raw_subscribers::first_failure() const {
  const std::lock_guard lock(failure_mutex_);
  return first_failure_;
}

}  // namespace luot::bench
