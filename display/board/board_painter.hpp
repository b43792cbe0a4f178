#pragma once

#include <SDL.h>

#include <chrono>
#include <optional>

#include "board/board_content.hpp"
#include "ui/colour.hpp"
#include "ui/fonts.hpp"
#include "ui/geometry.hpp"
#include "ui/text_painter.hpp"

namespace luot::display {

// Draws a board_content on a renderer: the hall layout (landscape or
// portrait, chosen by the screen's shape) or the counter-top layout. Every
// length is a fraction of the screen, so any resolution works. Painting
// costs little when nothing changed: text lines are cached as textures.
class board_painter {
 public:
  board_painter(SDL_Renderer* renderer, ui::font_library& fonts, ui::theme palette);

  // Draws one frame (without presenting it). Returns when the painting
  // itself changes next (the ticker's next page), if it does.
  std::optional<std::chrono::system_clock::time_point> paint(const board_content& board,
                                                             ui::size screen);

  const ui::text_painter& text() const { return text_; }

 private:
  void paint_hall(const board_content& board, ui::rect screen);
  void paint_counter_top(const board_content& board, ui::rect screen);

  void header(const board_content& board, const ui::rect& area);
  void banner(const board_content::banner_text& message, const ui::rect& area);
  void ticker(const board_content& board, const ui::rect& area);
  void newest_call(const board_content& board, const ui::rect& area);
  void recent_calls(const board_content& board, const ui::rect& area, int columns);
  void counters(const board_content& board, const ui::rect& area);
  void categories(const board_content& board, const ui::rect& area);
  // A panel with a title strip; returns the area below the title.
  ui::rect panel(const ui::rect& area, const std::string& title);
  ui::colour tone_colour(tone which) const;

  SDL_Renderer* renderer_;
  ui::text_painter text_;
  ui::theme palette_;
  // The screen's unit for margins and radii: 1 % of its shorter side.
  int unit_ = 10;
  std::optional<std::chrono::system_clock::time_point> next_page_;
};

}  // namespace luot::display
