#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "latency.hpp"
#include "process_stats.hpp"
#include "server_child.hpp"
#include "subscriber_group.hpp"

namespace luot::bench {

// Fan-out: S subscribers of the whole view while one kiosk takes tickets at
// a steady rate. Each ticket's ViewUpdate is timed against the moment the
// kiosk got its 201; it is signed, because the hub queues the update to
// every subscriber before it releases the reply, so most arrive first.
struct fanout_row {
  std::string kind;
  std::size_t subscribers = 0;
  std::uint64_t events = 0;
  double per_second = 0;
  latency_summary reply;
  latency_summary delivery;
  double before_reply_percent = 0;
  // Over all subscribers, the seqs of the row not received in order.
  std::uint64_t missing = 0;
  // Seqs whose update did not carry the ticket the kiosk got.
  std::uint64_t mismatched = 0;
  std::size_t cut_off = 0;
  std::size_t failed = 0;
  std::string first_failure;
  process_sample server_before, server_after;
  double server_cpu_percent = 0;
  double bench_cpu_percent = 0;
};

// `group` is started here and stopped before the figures are computed.
fanout_row measure_fanout(const server_child& server, subscriber_group& group, double seconds,
                          double per_second);

// The seq the server has published, from GET /api/v1/view.
std::uint64_t published_seq(std::uint16_t port);

}  // namespace luot::bench
