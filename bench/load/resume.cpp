#include "resume.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "device/device_client.hpp"
#include "fanout.hpp"
#include "http_connection.hpp"
#include "latency.hpp"
#include "luot/v1/luot.pb.h"
#include "message_peek.hpp"
#include "take_ticket_load.hpp"
#include "tcp_gate.hpp"
#include "websocket_fleet.hpp"

namespace luot::bench {

namespace {

// The one resuming screen, on a one-connection fleet.
class resuming_screen final : public fleet_listener {
 public:
  explicit resuming_screen(std::uint64_t after_seq) : next_seq_(after_seq + 1) {
    result_.receiver = "raw epoll";
    result_.bytes = 0;
    v1::ClientMessage subscribe;
    subscribe.set_request_id(1);
    subscribe.mutable_subscribe()->set_after_seq(after_seq);
    subscribe_ = subscribe.SerializeAsString();
  }

  void attach(websocket_fleet& fleet) { fleet_ = &fleet; }

  void opened(std::size_t connection) override {
    sent_at_ = bench_clock::now();
    fleet_->send(connection, opcode::binary, subscribe_);
  }

  void received(std::size_t, std::string_view payload, bench_clock::time_point at) override {
    result_.bytes += static_cast<double>(payload.size());
    if (!sent_at_) return;
    const auto peek = peek_server_message(payload);
    if (peek && peek->body == v1::ServerMessage::kUpdate) {
      ++result_.updates;
      if (peek->seq != next_seq_) ++result_.out_of_order;
      next_seq_ = peek->seq + 1;
    } else if (peek && (peek->body == v1::ServerMessage::kSubscribed ||
                        peek->body == v1::ServerMessage::kView)) {
      // A View instead of the backlog also ends it: the server judged the
      // point outside its window.
      if (peek->body == v1::ServerMessage::kView) ++result_.other_messages;
      result_.reached_seq = peek->seq;
      result_.seconds = to_microseconds(at - *sent_at_) / 1e6;
      done_.store(true);
    } else {
      ++result_.other_messages;
    }
  }

  void ended(std::size_t, std::uint16_t close_code, const std::string& why) override {
    result_.ended = true;
    result_.close_code = close_code;
    result_.why = why;
    done_.store(true);
  }

  bool done() const { return done_.load(); }
  // Read once done() or after the fleet stopped.
  resume_result& result() { return result_; }

 private:
  websocket_fleet* fleet_ = nullptr;
  std::string subscribe_;
  std::uint64_t next_seq_;
  std::optional<bench_clock::time_point> sent_at_;
  resume_result result_;
  std::atomic<bool> done_{false};
};

double cut_offs(std::uint16_t port) {
  return metric_value(http_get(port, "/metrics"), "luot_websocket_cutoffs_total");
}

}  // namespace

resume_result measure_raw_resume(const server_child& server, std::uint64_t behind) {
  const auto port = server.port();
  auto seq = published_seq(port);
  if (seq < behind + 1) {
    take_tickets(port, behind + 1 - seq);
    seq = published_seq(port);
  }
  const auto after = seq - behind;
  const double cut_offs_before = cut_offs(port);
  resuming_screen screen(after);
  fleet_options options;
  options.port = port;
  options.connections = 1;
  options.first_source_address = 0x7F040001;
  websocket_fleet fleet(options, screen);
  screen.attach(fleet);
  const auto started = bench_clock::now();
  fleet.start();
  const auto give_up = started + std::chrono::seconds(120);
  while (!screen.done() && bench_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double elapsed = to_microseconds(bench_clock::now() - started) / 1e6;
  fleet.stop();
  auto result = screen.result();
  if (!screen.done()) throw std::runtime_error("the resuming screen got nothing within 120 s");
  result.behind = behind;
  result.from_seq = after;
  result.cut_offs = cut_offs(port) - cut_offs_before;
  result.bench_cpu_percent = 100.0 * fleet.cpu_seconds() / elapsed;
  return result;
}

resume_result measure_device_resume(const server_child& server, std::uint64_t behind) {
  using device::connection_state;
  const auto port = server.port();
  tcp_gate gate(port);
  device::options settings;
  settings.server_url = "ws://127.0.0.1:" + std::to_string(gate.port());
  settings.token = std::string(display_token);
  settings.client_name = "bench_load resume";
  // The wait before reconnecting is not what is measured.
  settings.backoff_initial = std::chrono::milliseconds(20);
  settings.backoff_max = std::chrono::milliseconds(100);

  // Written on the client's thread, read under the lock.
  struct observed {
    std::mutex mutex;
    bool away = true;
    std::uint64_t updates = 0;
    std::uint64_t replaced = 0;
    std::uint64_t out_of_order = 0;
    std::uint64_t last_seq = 0;
    std::uint64_t connections = 0;
    std::uint16_t close_code = 0;
    std::string why;
    std::optional<bench_clock::time_point> welcomed, live;
  } seen;
  device::device_client client(settings);
  client.on_change([&seen](const view::mirror& mirror, const view::change& what) {
    const std::lock_guard lock(seen.mutex);
    if (seen.away) return;
    if (what.replaced) {
      ++seen.replaced;
    } else {
      ++seen.updates;
      if (mirror.seq() != seen.last_seq + 1) ++seen.out_of_order;
    }
    seen.last_seq = mirror.seq();
  });
  client.on_state([&seen](const device::link_status& status) {
    const auto at = bench_clock::now();
    const std::lock_guard lock(seen.mutex);
    if (seen.away) return;
    if (status.state == connection_state::syncing) {
      ++seen.connections;
      if (!seen.welcomed) seen.welcomed = at;
    } else if (status.state == connection_state::live) {
      if (!seen.live) seen.live = at;
    } else if (status.state == connection_state::disconnected && status.close_code != 0) {
      seen.close_code = status.close_code;
      seen.why = status.reason;
    }
  });
  client.start();
  if (!client.wait_for(connection_state::live, std::chrono::seconds(30))) {
    throw std::runtime_error("the device client did not get live");
  }
  gate.close();
  if (!client.wait_for(connection_state::disconnected, std::chrono::seconds(30))) {
    throw std::runtime_error("the device client did not notice it was cut off");
  }
  const auto from = client.seq();
  take_tickets(port, behind);
  const auto target = published_seq(port);
  const double cut_offs_before = cut_offs(port);
  {
    const std::lock_guard lock(seen.mutex);
    seen.away = false;
    seen.last_seq = from;
  }
  const auto self_before = sample_self();
  const auto started = bench_clock::now();
  gate.open();
  const bool caught_up = client.wait_until(
      [target](const v1::View& view) { return view.seq() >= target; }, std::chrono::seconds(120));
  client.wait_for(connection_state::live, std::chrono::seconds(10));
  const double elapsed = to_microseconds(bench_clock::now() - started) / 1e6;
  const auto self_after = sample_self();
  client.stop();
  if (!caught_up) throw std::runtime_error("the device client did not catch up within 120 s");

  resume_result result;
  result.receiver = "device client";
  result.behind = target - from;
  result.from_seq = from;
  const std::lock_guard lock(seen.mutex);
  result.reached_seq = seen.last_seq;
  result.updates = seen.updates;
  result.out_of_order = seen.out_of_order;
  result.other_messages = seen.replaced;
  result.connections = seen.connections;
  if (seen.welcomed && seen.live) {
    result.seconds = to_microseconds(*seen.live - *seen.welcomed) / 1e6;
  }
  result.ended = seen.close_code != 0;
  result.close_code = seen.close_code;
  result.why = seen.why;
  result.cut_offs = cut_offs(port) - cut_offs_before;
  result.bench_cpu_percent = cpu_percent(self_before, self_after, elapsed);
  return result;
}

}  // namespace luot::bench
