#include "view_storm.hpp"

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "http_connection.hpp"
#include "luot/v1/luot.pb.h"
#include "websocket_fleet.hpp"

namespace luot::bench {

namespace {

double cut_offs(std::uint16_t port) {
  return metric_value(http_get(port, "/metrics"), "luot_websocket_cutoffs_total");
}

double websocket_connections(std::uint16_t port) {
  return metric_value(http_get(port, "/metrics"), "luot_connections{kind=\"websocket\"}");
}

// The storm's sockets: they send Subscribes on every tick once `storming`
// is set, never read, and count how the server ends them.
class storm_crowd final : private fleet_listener {
 public:
  storm_crowd(std::uint16_t port, const storm_options& storm)
      : storm_(storm), fleet_(crowd_options(port, storm.connections), *this) {
    v1::ClientMessage subscribe;
    subscribe.set_request_id(7);
    subscribe.mutable_subscribe();
    subscribe_ = subscribe.SerializeAsString();
    fleet_.every(std::chrono::duration_cast<std::chrono::microseconds>(storm_.tick),
                 [this] { tick(); });
  }

  void start() { fleet_.start(); }
  void begin() { storming_.store(true); }
  void stop() { fleet_.stop(); }

  std::size_t opened() const { return fleet_.opened_count(); }
  std::size_t ended() const { return ended_.load(); }
  std::uint64_t sent() const { return sent_.load(); }
  double cpu_seconds() const { return fleet_.cpu_seconds(); }
  const std::string& first_refusal() const { return first_refusal_; }

 private:
  static fleet_options crowd_options(std::uint16_t port, std::size_t connections) {
    fleet_options options;
    options.port = port;
    options.connections = connections;
    options.mode = reading::never;
    options.first_source_address = storm_addresses;
    // What waits in the benchmark once the server stops reading is dropped.
    options.send_queue_limit = 16 * 1024;
    return options;
  }

  void tick() {
    if (!storming_.load(std::memory_order_relaxed)) return;
    for (std::size_t index = 0; index < fleet_.size(); ++index) {
      if (fleet_.send(index, opcode::binary, subscribe_, storm_.subscribes_per_tick)) {
        sent_.fetch_add(storm_.subscribes_per_tick, std::memory_order_relaxed);
      }
    }
  }

  void opened(std::size_t) override {}
  void received(std::size_t, std::string_view, bench_clock::time_point) override {}
  void ended(std::size_t, std::uint16_t, const std::string& why) override {
    // Before the handshake completed: the storm could not even connect.
    if (!storming_.load() && first_refusal_.empty()) first_refusal_ = why;
    ended_.fetch_add(1);
  }

  storm_options storm_;
  std::string subscribe_;
  std::atomic<bool> storming_{false};
  std::atomic<std::size_t> ended_{0};
  std::atomic<std::uint64_t> sent_{0};
  std::string first_refusal_;
  websocket_fleet fleet_;
};

// Samples the server's memory and the kernel's TCP buffers until stopped,
// and notes when the cut-offs counted reach a target.
class storm_watch {
 public:
  storm_watch(const server_child& server, double cut_off_base, double cut_off_target)
      : thread_([this, &server, cut_off_base, cut_off_target] {
          const auto started = bench_clock::now();
          int round = 0;
          while (!done_.load()) {
            const auto sample = server.sample();
            rss_peak_ = std::max(rss_peak_.load(), sample.resident_mebibytes);
            tcp_peak_ = std::max(tcp_peak_.load(), tcp_buffer_mebibytes());
            if (cut_off_target > 0 && all_cut_off_ < 0 && ++round % 4 == 0 &&
                cut_offs(server.port()) - cut_off_base >= cut_off_target) {
              all_cut_off_ = to_microseconds(bench_clock::now() - started) / 1e6;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
          }
        }) {}

  ~storm_watch() { stop(); }
  void stop() {
    done_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  double rss_peak() const { return rss_peak_.load(); }
  double tcp_peak() const { return tcp_peak_.load(); }
  double all_cut_off() const { return all_cut_off_.load(); }

 private:
  std::atomic<bool> done_{false};
  std::atomic<double> rss_peak_{0};
  std::atomic<double> tcp_peak_{0};
  std::atomic<double> all_cut_off_{-1};
  std::thread thread_;
};

// One subscriber that notes the size of the View it gets.
class view_probe final : public fleet_listener {
 public:
  void attach(websocket_fleet& fleet) { fleet_ = &fleet; }
  void opened(std::size_t connection) override {
    v1::ClientMessage subscribe;
    subscribe.set_request_id(1);
    subscribe.mutable_subscribe();
    fleet_->send(connection, opcode::binary, subscribe.SerializeAsString());
  }
  void received(std::size_t, std::string_view payload, bench_clock::time_point) override {
    v1::ServerMessage message;
    if (message.ParseFromArray(payload.data(), static_cast<int>(payload.size())) &&
        message.has_view()) {
      bytes_.store(payload.size());
    }
  }
  void ended(std::size_t, std::uint16_t, const std::string&) override { bytes_.store(0); }
  std::size_t bytes() const { return bytes_.load(); }

 private:
  websocket_fleet* fleet_ = nullptr;
  // Not yet known: the largest value.
  std::atomic<std::size_t> bytes_{~std::size_t{0}};
};

}  // namespace

std::size_t view_bytes(std::uint16_t port) {
  view_probe probe;
  fleet_options options;
  options.port = port;
  options.connections = 1;
  options.first_source_address = 0x7F050001;
  websocket_fleet fleet(options, probe);
  probe.attach(fleet);
  fleet.start();
  const auto give_up = bench_clock::now() + std::chrono::seconds(30);
  while (probe.bytes() == ~std::size_t{0} && bench_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  fleet.stop();
  if (probe.bytes() == ~std::size_t{0} || probe.bytes() == 0) {
    throw std::runtime_error("no View came for a Subscribe");
  }
  return probe.bytes();
}

storm_result measure_view_storm(const server_child& server, const storm_options& storm,
                                double tickets_per_second, double seconds) {
  storm_result result;
  result.connections = storm.connections;
  const auto port = server.port();
  result.server_rss_before = server.sample().resident_mebibytes;
  const double cut_off_base = cut_offs(port);
  const double connections_base = websocket_connections(port);

  std::unique_ptr<storm_crowd> crowd;
  if (storm.connections > 0) {
    crowd = std::make_unique<storm_crowd>(port, storm);
    crowd->start();
    const auto give_up = bench_clock::now() + std::chrono::seconds(60);
    while (crowd->opened() + crowd->ended() < storm.connections) {
      if (bench_clock::now() > give_up) throw std::runtime_error("the storm did not connect");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (crowd->ended() > 0) {
      throw std::runtime_error("storm connections refused: " + crowd->first_refusal());
    }
  }

  const auto server_before = server.sample();
  const auto self_before = sample_self();
  const double storm_cpu_before = crowd ? crowd->cpu_seconds() : 0;
  const auto started = bench_clock::now();
  storm_watch watch(server, cut_off_base, static_cast<double>(storm.connections));
  if (crowd) crowd->begin();
  result.tickets = take_tickets_open_loop(port, tickets_per_second, seconds);
  const double elapsed = to_microseconds(bench_clock::now() - started) / 1e6;
  watch.stop();
  result.server_cpu_percent = cpu_percent(server_before, server.sample(), elapsed);
  result.bench_cpu_percent = cpu_percent(self_before, sample_self(), elapsed);
  result.cut_off_in_window = cut_offs(port) - cut_off_base;
  result.all_cut_off_seconds = watch.all_cut_off();
  result.server_rss_peak = watch.rss_peak();
  result.tcp_buffers_peak_mebibytes = watch.tcp_peak();
  if (crowd) {
    result.storm_thread_cpu_percent = 100.0 * (crowd->cpu_seconds() - storm_cpu_before) / elapsed;
    result.subscribes_sent = crowd->sent();
    result.ended_by_server = crowd->ended();
    crowd->stop();
  }

  // Settle: the server lets go of the storm's sessions (a cut-off session
  // waits up to its close grace for a reader that never comes).
  const auto give_up = bench_clock::now() + std::chrono::seconds(30);
  while (websocket_connections(port) > connections_base && bench_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  result.cut_off_total = cut_offs(port) - cut_off_base;
  result.server_rss_after = server.sample().resident_mebibytes;
  return result;
}

}  // namespace luot::bench
