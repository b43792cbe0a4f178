#include "ui/paint.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace luot::ui {

namespace {

void use(SDL_Renderer* renderer, colour c) {
  SDL_SetRenderDrawBlendMode(renderer, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
  SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, c.a);
}

// Half the width of a circle of `radius` at `row` rows from its centre.
int half_chord(int radius, double row) {
  const double r = radius;
  return static_cast<int>(std::lround(std::sqrt(std::max(0.0, r * r - row * row))));
}

}  // namespace

void fill(SDL_Renderer* renderer, const rect& area, colour fill_colour) {
  if (area.empty()) return;
  use(renderer, fill_colour);
  const SDL_Rect r{area.x, area.y, area.w, area.h};
  SDL_RenderFillRect(renderer, &r);
}

void fill_rounded(SDL_Renderer* renderer, const rect& area, int radius, colour fill_colour) {
  if (area.empty()) return;
  radius = std::clamp(radius, 0, std::min(area.w, area.h) / 2);
  if (radius == 0) return fill(renderer, area, fill_colour);
  use(renderer, fill_colour);
  // One rectangle for the middle band, then one row each for the corners.
  std::vector<SDL_Rect> rows;
  rows.push_back({area.x, area.y + radius, area.w, area.h - 2 * radius});
  for (int i = 0; i < radius; ++i) {
    const int indent = radius - half_chord(radius, radius - i - 0.5);
    rows.push_back({area.x + indent, area.y + i, area.w - 2 * indent, 1});
    rows.push_back({area.x + indent, area.bottom() - 1 - i, area.w - 2 * indent, 1});
  }
  SDL_RenderFillRects(renderer, rows.data(), static_cast<int>(rows.size()));
}

void outline(SDL_Renderer* renderer, const rect& area, int thickness, colour line_colour) {
  if (area.empty() || thickness <= 0) return;
  use(renderer, line_colour);
  thickness = std::min({thickness, area.w / 2 + 1, area.h / 2 + 1});
  const SDL_Rect sides[] = {
      {area.x, area.y, area.w, thickness},
      {area.x, area.bottom() - thickness, area.w, thickness},
      {area.x, area.y, thickness, area.h},
      {area.right() - thickness, area.y, thickness, area.h},
  };
  SDL_RenderFillRects(renderer, sides, 4);
}

void fill_circle(SDL_Renderer* renderer, int centre_x, int centre_y, int radius,
                 colour fill_colour) {
  if (radius <= 0) return;
  use(renderer, fill_colour);
  std::vector<SDL_Rect> rows;
  for (int dy = -radius; dy < radius; ++dy) {
    const int half = half_chord(radius, dy + 0.5);
    rows.push_back({centre_x - half, centre_y + dy, 2 * half, 1});
  }
  SDL_RenderFillRects(renderer, rows.data(), static_cast<int>(rows.size()));
}

}  // namespace luot::ui
