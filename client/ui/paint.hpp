#pragma once

#include <SDL.h>

#include "ui/colour.hpp"
#include "ui/geometry.hpp"

namespace luot::ui {

// Shapes for panels, badges and banners, on any SDL renderer (the software
// one included, so screenshots look like the screen).
void fill(SDL_Renderer* renderer, const rect& area, colour fill_colour);
// Corners rounded with `radius` pixels (clamped to half the shorter side).
void fill_rounded(SDL_Renderer* renderer, const rect& area, int radius, colour fill_colour);
// An outline `thickness` pixels wide, inside `area`.
void outline(SDL_Renderer* renderer, const rect& area, int thickness, colour line_colour);
// A filled circle (status dots).
void fill_circle(SDL_Renderer* renderer, int centre_x, int centre_y, int radius,
                 colour fill_colour);

}  // namespace luot::ui
