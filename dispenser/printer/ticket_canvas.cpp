#include "printer/ticket_canvas.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

namespace luot::printer {

namespace {

constexpr int initial_rows = 1024;

SDL_Surface* make_surface(int width, int height) {
  SDL_Surface* surface =
      SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  if (surface == nullptr) {
    throw std::runtime_error(std::string("cannot make the ticket surface: ") + SDL_GetError());
  }
  SDL_FillRect(surface, nullptr, SDL_MapRGB(surface->format, 255, 255, 255));
  return surface;
}

SDL_Color colour_of(ink colour) {
  return colour == ink::black ? SDL_Color{0, 0, 0, 255} : SDL_Color{255, 255, 255, 255};
}

}  // namespace

ticket_canvas::ticket_canvas(int width) : width_(width) {
  surface_ = make_surface(width, initial_rows);
}

ticket_canvas::~ticket_canvas() {
  SDL_FreeSurface(surface_);
}

void ticket_canvas::ensure_rows(int rows) {
  if (rows <= surface_->h) return;
  SDL_Surface* larger = make_surface(width_, std::max(rows, surface_->h * 2));
  SDL_SetSurfaceBlendMode(surface_, SDL_BLENDMODE_NONE);
  SDL_BlitSurface(surface_, nullptr, larger, nullptr);
  SDL_FreeSurface(surface_);
  surface_ = larger;
}

int ticket_canvas::draw_text(TTF_Font* font, std::string_view utf8, int x, int y, ink colour) {
  if (utf8.empty()) return TTF_FontHeight(font);
  const std::string terminated(utf8);
  std::unique_ptr<SDL_Surface, decltype(&SDL_FreeSurface)> rendered(
      TTF_RenderUTF8_Blended(font, terminated.c_str(), colour_of(colour)), &SDL_FreeSurface);
  if (!rendered) {
    throw std::runtime_error(std::string("cannot draw ticket text: ") + TTF_GetError());
  }
  ensure_rows(y + rendered->h);
  SDL_Rect where{x, y, rendered->w, rendered->h};
  SDL_SetSurfaceBlendMode(rendered.get(), SDL_BLENDMODE_BLEND);
  SDL_BlitSurface(rendered.get(), nullptr, surface_, &where);
  return rendered->h;
}

void ticket_canvas::fill(int x, int y, int width, int height, ink colour) {
  ensure_rows(y + height);
  SDL_Rect area{x, y, width, height};
  const auto value = colour == ink::black ? 0 : 255;
  SDL_FillRect(surface_, &area,
               SDL_MapRGB(surface_->format, static_cast<Uint8>(value), static_cast<Uint8>(value),
                          static_cast<Uint8>(value)));
}

monochrome_image ticket_canvas::threshold(int height, int level) const {
  const int rows = std::min(height, surface_->h);
  monochrome_image image(width_, rows);
  SDL_LockSurface(surface_);
  for (int y = 0; y < rows; ++y) {
    const auto* row =
        reinterpret_cast<const Uint32*>(static_cast<const Uint8*>(surface_->pixels) +
                                        static_cast<std::ptrdiff_t>(y) * surface_->pitch);
    for (int x = 0; x < width_; ++x) {
      Uint8 red = 0;
      Uint8 green = 0;
      Uint8 blue = 0;
      SDL_GetRGB(row[x], surface_->format, &red, &green, &blue);
      const int luminance = (red * 299 + green * 587 + blue * 114) / 1000;
      if (luminance < level) image.set_black(x, y);
    }
  }
  SDL_UnlockSurface(surface_);
  return image;
}

}  // namespace luot::printer
