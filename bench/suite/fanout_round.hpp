#pragma once

#include <cstddef>
#include <string>

#include "broadcasters.hpp"
#include "suite_settings.hpp"

namespace luot::bench {

// One round of the fan-out comparison: one program started afresh, N
// subscribers (the raw epoll receiver), an untimed warm-up call, then K
// timed calls.
struct round_result {
  std::string program;
  std::size_t subscribers = 0;
  unsigned repetition = 0;
  double connect_seconds = 0;
  double idle_kib_per_subscriber = 0;
  double rss_before_mib = 0, rss_idle_mib = 0;
  std::size_t message_bytes = 0;
  // Medians over the calls, in milliseconds.
  double last_ms = 0;
  double median_ms = 0;
  double worst_last_ms = 0;
  double cpu_ms_per_call = 0;
  double receiver_cpu_ms_per_call = 0;
  // Call messages some subscriber never received.
  std::uint64_t missing = 0;
  std::string load;
};

round_result run_round(broadcaster& target, std::size_t subscribers, unsigned calls,
                       unsigned repetition);

// The ViewUpdate luot-server sends for a call (the second of a day, after
// a finish, as every timed call is), for the peers to send one of the same
// kind and size.
std::string capture_call_message(const suite_settings& run);

}  // namespace luot::bench
