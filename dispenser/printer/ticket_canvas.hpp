#pragma once

#include <SDL.h>
#include <SDL_ttf.h>

#include <string_view>

#include "printer/monochrome_image.hpp"

namespace luot::printer {

enum class ink { black, white };

// A strip of white paper the ticket is drawn on, as an SDL surface that grows
// downwards as the layout needs rows. Drawing is anti-aliased; threshold()
// turns it into the dots a thermal head prints.
class ticket_canvas {
 public:
  // Throws std::runtime_error when SDL cannot make the surface.
  explicit ticket_canvas(int width);
  ~ticket_canvas();
  ticket_canvas(const ticket_canvas&) = delete;
  ticket_canvas& operator=(const ticket_canvas&) = delete;

  int width() const { return width_; }

  // One line of text with its top-left corner at (x, y); returns its height.
  int draw_text(TTF_Font* font, std::string_view utf8, int x, int y, ink colour);
  void fill(int x, int y, int width, int height, ink colour);

  // Rows [0, height) as dots: a pixel darker than `level` (0..255) is black.
  monochrome_image threshold(int height, int level) const;

 private:
  void ensure_rows(int rows);

  int width_;
  SDL_Surface* surface_ = nullptr;
};

}  // namespace luot::printer
