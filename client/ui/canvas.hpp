#pragma once

#include <SDL.h>

#include <string>

#include "ui/geometry.hpp"
#include "ui/image.hpp"

namespace luot::ui {

enum class screen_mode { windowed, fullscreen };
// Accelerated uses the GPU when there is one; software is the same on every
// machine (screenshots, goldens, SDL_VIDEODRIVER=dummy).
enum class renderer_kind { accelerated, software };

struct window_settings {
  std::string title = "Luot";
  int width = 1920;
  int height = 1080;
  screen_mode mode = screen_mode::windowed;
  renderer_kind renderer = renderer_kind::accelerated;
};

// SDL's video and event subsystems for the lifetime of the object. Throws
// std::runtime_error with SDL's reason (no display, no driver).
class video_session {
 public:
  video_session();
  ~video_session();
  video_session(const video_session&) = delete;
  video_session& operator=(const video_session&) = delete;
};

// A window with its renderer. Fullscreen takes the desktop's resolution and
// hides the mouse pointer; the screen saver stays off (SDL's default).
class window {
 public:
  // Throws std::runtime_error with SDL's reason.
  explicit window(const window_settings& settings);
  ~window();
  window(const window&) = delete;
  window& operator=(const window&) = delete;

  SDL_Window* handle() const { return window_; }
  SDL_Renderer* renderer() const { return renderer_; }
  // The drawable size in pixels (after fullscreen or a resize).
  size output_size() const;
  void present() { SDL_RenderPresent(renderer_); }

 private:
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
};

// Drawing without a window: SDL's software renderer on a memory surface.
// Needs no video driver and gives the same pixels on every machine, so
// screenshots and golden images come from here.
class offscreen_canvas {
 public:
  // Throws std::runtime_error with SDL's reason.
  offscreen_canvas(int width, int height);
  ~offscreen_canvas();
  offscreen_canvas(const offscreen_canvas&) = delete;
  offscreen_canvas& operator=(const offscreen_canvas&) = delete;

  SDL_Renderer* renderer() const { return renderer_; }
  size output_size() const { return {surface_->w, surface_->h}; }
  image capture() const;

 private:
  SDL_Surface* surface_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
};

}  // namespace luot::ui
