#pragma once

#include <SDL.h>

#include <chrono>
#include <string>

#include "kiosk/kiosk_service.hpp"
#include "kiosk/screen_layout.hpp"
#include "kiosk/screen_model.hpp"
#include "luot/v1/luot.pb.h"
#include "ui/colour.hpp"
#include "ui/fonts.hpp"
#include "ui/text_painter.hpp"

namespace luot::kiosk {

// Everything one frame of the kiosk shows.
struct frame_input {
  const screen_model& model;
  const service_state& state;
  const v1::View& view;
  std::string hotline;
  std::chrono::system_clock::time_point wall_clock;
};

// Draws the kiosk's pages with the shared toolkit (client/ui): high
// contrast (the kiosk theme), one huge button per category, closed ones
// greyed with the server's reason, every text fitted to its box without
// cutting a diacritic. Every word comes from the catalogue in the language
// the citizen picked. Used by the drawing thread only.
class screen_painter {
 public:
  screen_painter(SDL_Renderer* renderer, ui::font_library& fonts);

  void draw(ui::size screen, const frame_input& frame);

  // The menu layout of the page drawn last (start or priority), for hit
  // testing touches against exactly what is on screen.
  const menu_layout& menu() const { return menu_; }

 private:
  void draw_menu(ui::size screen, const frame_input& frame);
  void draw_category(const ui::rect& area, const v1::Category& category, const frame_input& frame);
  void draw_idle(ui::size screen, const frame_input& frame);
  void draw_working(ui::size screen, const frame_input& frame);
  void draw_confirmation(ui::size screen, const frame_input& frame);
  void draw_notice(ui::size screen, const frame_input& frame);
  void draw_out_of_service(ui::size screen, const frame_input& frame);
  void draw_explanation(const message_layout& layout, const localized& reason, text::language lang);
  void draw_header(const message_layout& layout, const frame_input& frame,
                   const std::string& headline, ui::colour band, ui::colour band_text);
  void draw_footer(const ui::rect& footer, int size, const frame_input& frame);

  SDL_Renderer* renderer_;
  ui::text_painter text_;
  ui::theme theme_;
  menu_layout menu_;
};

}  // namespace luot::kiosk
