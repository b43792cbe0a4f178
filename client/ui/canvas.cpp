#include "ui/canvas.hpp"

#include <stdexcept>

namespace luot::ui {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + SDL_GetError());
}

}  // namespace

video_session::video_session() {
  if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) fail("cannot start SDL video");
}

video_session::~video_session() {
  SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
}

window::window(const window_settings& settings) {
  Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
  if (settings.mode == screen_mode::fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  window_ = SDL_CreateWindow(settings.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                             settings.width, settings.height, flags);
  if (window_ == nullptr) fail("cannot open a window");
  const Uint32 renderer_flags = settings.renderer == renderer_kind::software
                                    ? SDL_RENDERER_SOFTWARE
                                    : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC;
  renderer_ = SDL_CreateRenderer(window_, -1, renderer_flags);
  if (renderer_ == nullptr && settings.renderer == renderer_kind::accelerated) {
    // A mini PC without a usable GPU driver still shows the board.
    renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
  }
  if (renderer_ == nullptr) {
    SDL_DestroyWindow(window_);
    fail("cannot create a renderer");
  }
  if (settings.mode == screen_mode::fullscreen) SDL_ShowCursor(SDL_DISABLE);
}

window::~window() {
  SDL_DestroyRenderer(renderer_);
  SDL_DestroyWindow(window_);
}

size window::output_size() const {
  size drawable;
  SDL_GetRendererOutputSize(renderer_, &drawable.w, &drawable.h);
  return drawable;
}

offscreen_canvas::offscreen_canvas(int width, int height) {
  if (width <= 0 || height <= 0) {
    throw std::runtime_error("an offscreen canvas needs a positive size, not " +
                             std::to_string(width) + "x" + std::to_string(height));
  }
  surface_ = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  if (surface_ == nullptr) fail("cannot allocate an offscreen surface");
  renderer_ = SDL_CreateSoftwareRenderer(surface_);
  if (renderer_ == nullptr) {
    SDL_FreeSurface(surface_);
    fail("cannot create a software renderer");
  }
}

offscreen_canvas::~offscreen_canvas() {
  SDL_DestroyRenderer(renderer_);
  SDL_FreeSurface(surface_);
}

image offscreen_canvas::capture() const {
  return ui::capture(renderer_);
}

}  // namespace luot::ui
