#pragma once

#include <initializer_list>
#include <vector>

namespace luot::ui {

// A rectangle in pixels, origin at the top left.
struct rect {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;

  int right() const { return x + w; }
  int bottom() const { return y + h; }
  bool empty() const { return w <= 0 || h <= 0; }
  bool operator==(const rect&) const = default;
};

struct size {
  int w = 0;
  int h = 0;
  bool operator==(const size&) const = default;
};

// Layout in proportions, so one layout fits 1920×1080, 1280×720 or a
// portrait 1080×1920 alike: screens are cut into rows and columns by
// weights, and lengths are fractions of the screen rather than pixels.

// The rectangle shrunk by `margin` on every side (never below zero size).
rect inset(const rect& area, int margin);
rect inset(const rect& area, int horizontal, int vertical);

// Cuts `area` into rows (top to bottom) whose heights follow `weights`,
// with `gap` pixels between them. Rounding leftovers go to the last row, so
// the rows always cover the area exactly.
std::vector<rect> split_rows(const rect& area, std::initializer_list<double> weights, int gap = 0);
std::vector<rect> split_rows(const rect& area, const std::vector<double>& weights, int gap = 0);
// The same, left to right.
std::vector<rect> split_columns(const rect& area, std::initializer_list<double> weights,
                                int gap = 0);
std::vector<rect> split_columns(const rect& area, const std::vector<double>& weights, int gap = 0);
// `count` equal rows or columns.
std::vector<rect> equal_rows(const rect& area, int count, int gap = 0);
std::vector<rect> equal_columns(const rect& area, int count, int gap = 0);
// `rows` × `columns` equal cells, row by row.
std::vector<rect> grid(const rect& area, int rows, int columns, int gap = 0);

// Takes a strip of `length` pixels off one side of `area` (and `gap` more),
// returning the strip and shrinking `area`.
rect take_top(rect& area, int length, int gap = 0);
rect take_bottom(rect& area, int length, int gap = 0);
rect take_left(rect& area, int length, int gap = 0);
rect take_right(rect& area, int length, int gap = 0);

// A length as a fraction of a reference length, rounded, at least 1 when
// the fraction is positive: `fraction_of(screen.h, 0.04)`.
int fraction_of(int length, double fraction);

// A rectangle of `inner` size centred in `area`.
rect centred(const rect& area, size inner);

}  // namespace luot::ui
