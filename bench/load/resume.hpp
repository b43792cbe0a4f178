#pragma once

#include <cstdint>
#include <string>

#include "server_child.hpp"

namespace luot::bench {

// A hall screen that was away: it resumes with Subscribe{after_seq} from
// `behind` events ago (inside the resume window) on one connection and
// reads normally until the Subscribed reply says it is live.
struct resume_result {
  std::string receiver;
  std::uint64_t behind = 0;
  std::uint64_t from_seq = 0;
  std::uint64_t reached_seq = 0;
  std::uint64_t updates = 0;
  // Seqs skipped or repeated on the way.
  std::uint64_t out_of_order = 0;
  // Anything but the backlog and the Subscribed reply (a View means the
  // server judged the point outside its window).
  std::uint64_t other_messages = 0;
  // Negative when the receiver cannot tell.
  double bytes = -1;
  // From sending Subscribe (the device client: from its Welcome) to being
  // live.
  double seconds = 0;
  // Connections it took (more than one: it was cut off and came back).
  std::uint64_t connections = 1;
  // The server closed the connection (with this code) before it was live.
  bool ended = false;
  std::uint16_t close_code = 0;
  std::string why;
  double cut_offs = 0;
  // The receiving thread (raw) or the whole benchmark process (device).
  double bench_cpu_percent = 0;
};

// A raw receiver sends Subscribe{after_seq} itself. Takes tickets first if
// the day has fewer than `behind` events.
resume_result measure_raw_resume(const server_child& server, std::uint64_t behind);

// The shared device client, as a hall display runs it: live through a
// tcp_gate, sent away while `behind` tickets are taken, let back in; it
// resumes from its mirror's seq on its own.
resume_result measure_device_resume(const server_child& server, std::uint64_t behind);

}  // namespace luot::bench
