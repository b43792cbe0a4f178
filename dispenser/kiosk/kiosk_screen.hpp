#pragma once

#include <SDL.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

#include "kiosk/kiosk_options.hpp"
#include "kiosk/kiosk_service.hpp"
#include "kiosk/number_speaker.hpp"
#include "kiosk/screen_model.hpp"
#include "kiosk/screen_painter.hpp"
#include "ui/fonts.hpp"
#include "ui/geometry.hpp"

namespace luot::kiosk {

// The touch screen on any SDL renderer (a window, or an offscreen canvas in
// tests and --screenshot): turns touches, mouse clicks and keys into what
// the model and the service do, and draws each frame from the model, the
// service's state and the view. Everything but take_report() runs on the
// drawing thread.
class kiosk_screen {
 public:
  kiosk_screen(const kiosk_options& options, kiosk_service& service, SDL_Renderer* renderer,
               ui::font_library& fonts);

  // From any thread (the service's report handler); shown at the next frame.
  void take_report(const press_report& report);

  // A touch (SDL_FINGERDOWN), a click (SDL_MOUSEBUTTONDOWN, not one SDL
  // made from a touch) or Escape (back). `output` is the drawable size.
  void handle(const SDL_Event& event, ui::size output);
  // A touch at pixel (x, y).
  void touch(int x, int y);

  // Takes in the reports, the state and the time, then draws the frame
  // (without presenting it).
  void draw(ui::size output);
  // How long until a frame is due with no event: a page timing out, or the
  // footer clock's next minute.
  std::chrono::milliseconds until_next_frame() const;

  const screen_model& model() const { return model_; }

  // Says each number shown on the confirmation page (optional).
  void set_speaker(number_speaker* speaker) { speaker_ = speaker; }

 private:
  const kiosk_options& options_;
  kiosk_service& service_;
  screen_painter painter_;
  screen_model model_;
  std::mutex inbox_mutex_;
  std::vector<press_report> inbox_;
  number_speaker* speaker_ = nullptr;
};

}  // namespace luot::kiosk
