#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "device/options.hpp"
#include "luot/v1/luot.pb.h"
#include "program/announced_seq_file.hpp"
#include "speech/announcer.hpp"
#include "speech/voice.hpp"

namespace luot::display {

// Whether a call the device client reported is said aloud.
enum class call_decision { announce, show_only };

// Live calls are said. Calls learnt from a resync (made while the link or
// the display was down) are said only when younger than `within`: a citizen
// called five minutes ago has gone to the counter or given up, and a burst
// of old numbers would confuse the hall.
call_decision decide(const v1::Call& call, device::call_origin origin,
                     std::chrono::system_clock::time_point now, std::chrono::seconds within);

// What the display heard last, for the highlight of the newest call.
struct heard_call {
  std::uint64_t seq = 0;
  std::chrono::system_clock::time_point at;
};

// Turns the device client's calls into announcements: decides, names the
// counter, queues the call on a speech::announcer and remembers what was said
// in the seq file. The announcer is made when the first view arrives, so a
// remembered seq from another server (a fresh database whose seqs start
// again) is dropped instead of silencing the hall.
//
// Threading: on_view() and on_call() run on the device client's thread;
// latest() and wait_until_idle() from any thread.
class call_announcer {
 public:
  struct settings {
    speech::announcer_settings speech;
    std::chrono::seconds announce_within{60};
    text::language screen_language = text::language::vi;
  };

  call_announcer(settings config, std::unique_ptr<speech::voice> speaker,
                 announced_seq_file memory);
  ~call_announcer();

  void on_view(const v1::View& view);
  void on_call(const v1::Call& call, device::call_origin origin,
               std::chrono::system_clock::time_point now);

  std::optional<heard_call> latest() const;
  // Blocks until every queued announcement has been played.
  void wait_until_idle();

 private:
  void start_announcer(std::uint64_t view_seq);

  settings settings_;
  std::unique_ptr<speech::voice> voice_;
  announced_seq_file memory_;
  // Counter names by id, from the views (they do not change during a run).
  std::map<std::string, std::pair<std::string, std::string>> counters_;

  mutable std::mutex mutex_;
  std::unique_ptr<speech::announcer> announcer_;
  std::optional<heard_call> latest_;
};

}  // namespace luot::display
