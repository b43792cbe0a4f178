#pragma once

#include <SDL.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ui/colour.hpp"
#include "ui/fonts.hpp"
#include "ui/geometry.hpp"

namespace luot::ui {

enum class align { start, centre, end };

struct text_style {
  font_weight weight = font_weight::regular;
  // The size wanted; fitting may shrink it, never grow it.
  int pixel_size = 24;
  colour fill = rgb(0xFFFFFF);
};

// Where text goes inside a box and how it may be made to fit.
struct placement {
  align horizontal = align::start;
  align vertical = align::centre;
  // Text too long for the box is drawn smaller, down to this size, then cut
  // with "…". Zero means min(pixel_size, 12).
  int min_pixel_size = 0;
  // draw_wrapped: at most this many lines (0: as many as fit).
  int max_lines = 0;
};

// Draws and measures UTF-8 text with a font_library on one SDL renderer.
// Each distinct line (text, weight, size) is rasterized once into a white
// texture and tinted when drawn, so a board that redraws every second
// re-rasterizes only what changed. Call end_frame() after each frame: lines
// not drawn in the last few frames are dropped.
// Not thread-safe: used by the thread that draws.
class text_painter {
 public:
  text_painter(SDL_Renderer* renderer, font_library& fonts);
  ~text_painter();
  text_painter(const text_painter&) = delete;
  text_painter& operator=(const text_painter&) = delete;

  // The size of one line of text (height: the font's line height).
  size measure(std::string_view text, font_weight weight, int pixel_size);
  int line_height(font_weight weight, int pixel_size);

  // One line with its top left at (x, y); returns the area drawn.
  rect draw(std::string_view text, const text_style& style, int x, int y);
  // One line placed in `box`, shrunk and then cut with "…" as `where` allows.
  rect draw_in(const rect& box, std::string_view text, const text_style& style,
               const placement& where = {});
  // Lines broken between words to fit `box`, the size shrunk until they do.
  rect draw_wrapped(const rect& box, std::string_view text, const text_style& style,
                    const placement& where = {});

  // The largest size from `max_size` down to `min_size` at which `text`
  // fits `box` on one line (min_size when none does).
  int fitting_size(std::string_view text, font_weight weight, int max_size, size box,
                   int min_size = 6);
  // Lines of at most `width` pixels, broken at spaces (a single word wider
  // than that keeps its own line).
  std::vector<std::string> wrap(std::string_view text, font_weight weight, int pixel_size,
                                int width);
  // `text` cut at a character boundary and ended with "…" so it fits `width`.
  std::string ellipsize(std::string_view text, font_weight weight, int pixel_size, int width);

  // Drops lines not drawn during the last `keep_frames` frames.
  void end_frame(int keep_frames = 2);

  // For benchmarks and tests.
  std::size_t cached_lines() const { return cache_.size(); }
  std::uint64_t rasterized_lines() const { return rasterized_; }

 private:
  struct cached_line {
    SDL_Texture* texture = nullptr;
    size extent;
    std::uint64_t last_frame = 0;
  };
  const cached_line& line(std::string_view text, font_weight weight, int pixel_size);
  SDL_Surface* rasterize(std::string_view text, font_weight weight, int pixel_size);

  SDL_Renderer* renderer_;
  font_library& fonts_;
  std::unordered_map<std::string, cached_line> cache_;
  std::uint64_t frame_ = 0;
  std::uint64_t rasterized_ = 0;
};

}  // namespace luot::ui
