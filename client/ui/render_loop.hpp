#pragma once

#include <SDL.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

namespace luot::ui {

// An event-driven render loop: it sleeps in SDL_WaitEventTimeout and draws
// only when asked to (a change pushed from another thread, a window event)
// or when the next time-driven frame is due (a clock's next second, a
// highlight fading). A board with nothing changing draws once a second and
// otherwise costs nothing. Several wake-ups before a frame give one frame.
class render_loop {
 public:
  // What the loop calls, on the thread that runs it.
  struct hooks {
    // Draws one frame and presents it.
    std::function<void()> draw;
    // How long until a frame is due without any change (the clock's next
    // second); nothing means no time-driven frame.
    std::function<std::optional<std::chrono::milliseconds>()> until_next_frame;
    // Every SDL event the loop does not handle itself (keys, touches).
    std::function<void(const SDL_Event&)> on_event;
  };

  // How the loop sleeps. SDL_WaitEventTimeout sleeps in the window system
  // (x11, wayland) but polls every millisecond under drivers that have no
  // wait of their own (dummy, kmsdrm): there the loop sleeps on its own and
  // looks at input `input_poll` times a second instead.
  enum class waiting { automatic, window_system, own_timer };

  // Needs SDL's event subsystem (a video_session).
  explicit render_loop(waiting how = waiting::automatic,
                       std::chrono::milliseconds input_poll = std::chrono::milliseconds(50));

  // Whether this loop sleeps in the window system (after `automatic` chose).
  bool sleeps_in_window_system() const { return native_; }

  // From any thread: draw a frame soon; wakes the loop.
  void request_redraw();
  // From any thread: return from run() after the current frame.
  void request_stop();

  // Draws a first frame, then runs until SDL_QUIT (a closed window,
  // SIGINT, SIGTERM) or request_stop().
  void run(const hooks& calls);

  std::uint64_t frames_drawn() const { return frames_.load(); }

 private:
  void push(std::int32_t code);
  // Waits up to `timeout` (negative: forever) for an event; 0 on timeout.
  int next_event(SDL_Event& event, int timeout);

  bool native_ = true;
  std::chrono::milliseconds input_poll_;
  std::mutex mutex_;
  std::condition_variable woken_;
  Uint32 event_type_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> wake_pending_{false};
  std::atomic<std::uint64_t> frames_{0};
};

}  // namespace luot::ui
