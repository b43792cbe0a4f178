#pragma once

#include <SDL.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "speech/announcement.hpp"
#include "speech/chime.hpp"
#include "speech/voice.hpp"

namespace luot::speech {

enum class audio_output { on, off };

struct announcer_settings {
  audio_output audio = audio_output::on;
  reading_style style;
  // How many times the sentence is said after the one chime.
  int repetitions = 1;
  std::chrono::milliseconds after_chime{250};
  std::chrono::milliseconds between_repetitions{700};
  // Silence after an announcement, before the next one's chime.
  std::chrono::milliseconds after_announcement{600};
  // How many announced seqs are remembered for dedupe; older ones are
  // covered by a floor (every seq at or below it counts as announced).
  std::size_t remembered_seqs = 4096;
  // SDL's name for the output device; empty for the system default.
  std::string audio_device;
  chime_settings chime;
};

// The sound of one announcement exactly as the announcer queues it: chime,
// the sentence (repeated if set), trailing silence. When the voice fails the
// failure is logged and the chime sounds alone.
pcm compose_announcement(const utterance& sentence, voice& speaker,
                         const announcer_settings& settings);

// What announce() did with a call.
enum class queue_result { queued, already_announced };

// Plays announcements one after another on its own thread: chime, then the
// sentence (repeated if set), through an SDL2 audio device fed with
// SDL_QueueAudio. Announcements never overlap, none is dropped and none is
// said twice: each call is known by its event seq. announce() only takes a
// lock and returns, so a render loop can call it every frame.
//
// A restart does not repeat a call: persist last_announced_seq() (or use the
// on_announced callback) and pass it back to the constructor.
class announcer {
 public:
  using announced_callback = std::function<void(std::uint64_t seq)>;

  // Opens the audio device (unless audio is off) and starts the thread.
  // Throws std::runtime_error naming SDL's reason when there is no device.
  announcer(announcer_settings settings, std::unique_ptr<voice> speaker,
            std::optional<std::uint64_t> last_announced_seq = std::nullopt,
            announced_callback on_announced = {});
  ~announcer();
  announcer(const announcer&) = delete;
  announcer& operator=(const announcer&) = delete;

  queue_result announce(std::uint64_t seq, const call_details& call);

  // Marks a call as done without saying it (a call older than a minute
  // arriving in a resync), in order with the calls queued before it.
  queue_result skip(std::uint64_t seq, const call_details& call);

  // The highest seq said or skipped so far.
  std::optional<std::uint64_t> last_announced_seq() const;

  // Blocks until nothing is queued or playing (tests, orderly shutdown).
  void wait_until_idle();

 private:
  enum class action { say, skip };
  struct request {
    std::uint64_t seq;
    call_details call;
    action what;
  };

  queue_result enqueue(std::uint64_t seq, const call_details& call, action what);
  void run();
  void perform(const request& next);
  bool play(const pcm& sound);
  bool pause_unless_stopping(std::chrono::milliseconds length);

  announcer_settings settings_;
  std::unique_ptr<voice> voice_;
  announced_callback on_announced_;
  SDL_AudioDeviceID device_ = 0;
  std::chrono::milliseconds device_latency_{0};

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<request> queue_;
  std::set<std::uint64_t> seen_;
  std::optional<std::uint64_t> floor_;
  std::optional<std::uint64_t> last_announced_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace luot::speech
