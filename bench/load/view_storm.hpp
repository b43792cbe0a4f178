#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "server_child.hpp"
#include "take_ticket_load.hpp"

namespace luot::bench {

// Where the storm's sockets connect from: 127.3.0.1 and up, one address
// each, so the server's subscribe limit per address does not stop them
// (300 real devices or browsers would each have their own).
inline constexpr std::uint32_t storm_addresses = 0x7F030001;

// A storm of readers that ask for the whole view and never read: each
// connection sends `subscribes_per_tick` Subscribes (no after_seq, so each
// costs a View) every `tick`, and never reads a byte.
struct storm_options {
  std::size_t connections = 300;
  std::size_t subscribes_per_tick = 10;
  std::chrono::milliseconds tick{10};
};

// Open-loop take-ticket latency with a storm going on (or none, with zero
// connections), and what became of the storm.
struct storm_result {
  std::size_t connections = 0;
  open_loop_result tickets;
  // Subscribes the storm's sockets accepted (the kernel took them).
  std::uint64_t subscribes_sent = 0;
  // luot_websocket_cutoffs_total went up by this much during the window,
  // and by the end of settling.
  double cut_off_in_window = 0;
  double cut_off_total = 0;
  // From the start of the window until the cut-offs counted reached all
  // the connections (negative: not within the window).
  double all_cut_off_seconds = -1;
  // Connections the server had closed (the socket ended) by the end.
  std::size_t ended_by_server = 0;
  double server_rss_before = 0;
  double server_rss_peak = 0;
  // Once the storm's sockets are gone and the server has let go of them.
  double server_rss_after = 0;
  double tcp_buffers_peak_mebibytes = 0;
  double server_cpu_percent = 0;
  double bench_cpu_percent = 0;
  double storm_thread_cpu_percent = 0;
};

// The size of the binary View one Subscribe costs, as one anonymous
// subscriber receives it.
std::size_t view_bytes(std::uint16_t port);

storm_result measure_view_storm(const server_child& server, const storm_options& storm,
                                double tickets_per_second, double seconds);

}  // namespace luot::bench
