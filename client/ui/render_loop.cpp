#include "ui/render_loop.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace luot::ui {

namespace {

constexpr std::int32_t redraw_code = 1;
constexpr std::int32_t stop_code = 2;

}  // namespace

render_loop::render_loop(waiting how, std::chrono::milliseconds input_poll)
    : input_poll_(std::max(std::chrono::milliseconds(1), input_poll)) {
  if (how == waiting::automatic) {
    const char* driver = SDL_GetCurrentVideoDriver();
    const std::string name = driver != nullptr ? driver : "";
    native_ = name == "x11" || name == "wayland" || name == "windows" || name == "cocoa";
  } else {
    native_ = how == waiting::window_system;
  }
  event_type_ = SDL_RegisterEvents(1);
  if (event_type_ == static_cast<Uint32>(-1)) {
    throw std::runtime_error("no SDL user event left for the render loop");
  }
}

void render_loop::push(std::int32_t code) {
  SDL_Event event{};
  event.type = event_type_;
  event.user.code = code;
  SDL_PushEvent(&event);
  if (!native_) {
    // Taking the lock orders this wake-up with the loop's check of the
    // queue, so it is never lost between the check and the wait.
    std::lock_guard lock(mutex_);
    woken_.notify_one();
  }
}

int render_loop::next_event(SDL_Event& event, int timeout) {
  if (native_) return timeout < 0 ? SDL_WaitEvent(&event) : SDL_WaitEventTimeout(&event, timeout);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout);
  for (;;) {
    SDL_PumpEvents();
    {
      std::unique_lock lock(mutex_);
      if (SDL_PeepEvents(&event, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) return 1;
      const auto now = std::chrono::steady_clock::now();
      if (timeout >= 0 && now >= deadline) return 0;
      auto wake = now + input_poll_;
      if (timeout >= 0) wake = std::min(wake, deadline);
      woken_.wait_until(lock, wake);
    }
  }
}

void render_loop::request_redraw() {
  // One wake-up in flight is enough: the frame it causes shows every change
  // made before it is drawn.
  if (!wake_pending_.exchange(true)) push(redraw_code);
}

void render_loop::request_stop() {
  stopping_ = true;
  push(stop_code);
}

void render_loop::run(const hooks& calls) {
  bool redraw = true;
  while (!stopping_) {
    if (redraw) {
      // Cleared before drawing: a change arriving during the frame asks
      // for another one.
      wake_pending_ = false;
      calls.draw();
      ++frames_;
      redraw = false;
    }
    int timeout = -1;
    if (calls.until_next_frame) {
      if (const auto due = calls.until_next_frame()) {
        timeout =
            static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(due->count(), 0, 60'000));
      }
    }
    SDL_Event event;
    const int got = next_event(event, timeout);
    if (got == 0) {
      redraw = true;
      continue;
    }
    // Everything already queued is handled before the next frame.
    do {
      if (event.type == SDL_QUIT) return;
      if (event.type == event_type_) {
        if (event.user.code == stop_code) return;
        redraw = true;
      } else if (event.type == SDL_WINDOWEVENT) {
        redraw = true;
        if (calls.on_event) calls.on_event(event);
      } else if (calls.on_event) {
        calls.on_event(event);
      }
    } while (SDL_PollEvent(&event) != 0);
  }
}

}  // namespace luot::ui
