#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "latency.hpp"
#include "process_stats.hpp"
#include "server_child.hpp"

namespace luot::bench {

// Where the benchmark's kiosks connect from: 127.2.0.1 and up, one address
// each, apart from the subscribers' (127.1.x.x).
inline constexpr std::uint32_t kiosk_addresses = 0x7F020001;

// Closed loop: C keep-alive HTTP clients, one thread each, POST
// /api/v1/tickets back to back for `seconds`. A 201 is sent only once the
// event is durable and published, so the latency covers parsing, the engine
// strand, the group commit's fsync, the hub and the reply.
struct closed_loop_row {
  unsigned clients = 0;
  double seconds = 0;
  latency_summary latency;
  std::uint64_t not_created = 0;
  process_sample server_before, server_after;
  double server_cpu_percent = 0;
  double bench_cpu_percent = 0;
};

// Where a closed loop is, for a sampler on another thread: when the clients
// were let go, and how many tickets they have been answered so far.
struct closed_loop_progress {
  std::atomic<bool> started{false};
  bench_clock::time_point started_at;
  std::atomic<std::uint64_t> answered{0};
};

closed_loop_row take_tickets_closed_loop(const server_child& server, unsigned clients,
                                         double seconds, closed_loop_progress* progress = nullptr);

// Open loop: tickets scheduled at a fixed rate whatever the replies do,
// spread over `takers` connections; each latency is counted from the
// scheduled moment, so a stalled server shows as latency instead of as
// fewer requests (no coordinated omission).
struct open_loop_result {
  latency_summary latency;
  std::uint64_t not_created = 0;
  double achieved_per_second = 0;
  // The half second of the window (by when the tickets were due) whose
  // slowest ticket was slowest, and that ticket's latency: a burst at the
  // start and a steady drag look alike in p99 but not here.
  double worst_half_second_from = 0;
  double worst_half_second_max_us = 0;
  // Every ticket's latency, for pooling windows into one distribution.
  std::vector<double> latencies_us;
};

// With `stop`, the takers stop scheduling tickets once it is set (within
// `seconds` at most); the figures cover the tickets sent.
open_loop_result take_tickets_open_loop(std::uint16_t port, double per_second, double seconds,
                                        unsigned takers = 8,
                                        const std::atomic<bool>* stop = nullptr);

// Takes `count` tickets as fast as `clients` connections can, to fill the
// day (and the resume window) before a measurement.
void take_tickets(std::uint16_t port, std::uint64_t count, unsigned clients = 16);

}  // namespace luot::bench
