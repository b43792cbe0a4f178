#include "ui/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace luot::ui {

rect inset(const rect& area, int margin) {
  return inset(area, margin, margin);
}

rect inset(const rect& area, int horizontal, int vertical) {
  const int dx = std::min(horizontal, area.w / 2);
  const int dy = std::min(vertical, area.h / 2);
  return {area.x + dx, area.y + dy, area.w - 2 * dx, area.h - 2 * dy};
}

namespace {

// Lengths along one axis: proportional to the weights, summing exactly to
// `total` minus the gaps.
std::vector<int> portions(int total, const std::vector<double>& weights, int gap) {
  std::vector<int> lengths;
  if (weights.empty()) return lengths;
  const int usable = std::max(0, total - gap * static_cast<int>(weights.size() - 1));
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  int used = 0;
  double running = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    running +=
        sum > 0 ? std::max(0.0, weights[i]) / sum : 1.0 / static_cast<double>(weights.size());
    const int end =
        i + 1 == weights.size() ? usable : static_cast<int>(std::lround(running * usable));
    lengths.push_back(std::max(0, end - used));
    used = std::max(used, end);
  }
  return lengths;
}

}  // namespace

std::vector<rect> split_rows(const rect& area, const std::vector<double>& weights, int gap) {
  std::vector<rect> rows;
  int y = area.y;
  for (const int length : portions(area.h, weights, gap)) {
    rows.push_back({area.x, y, area.w, length});
    y += length + gap;
  }
  return rows;
}

std::vector<rect> split_rows(const rect& area, std::initializer_list<double> weights, int gap) {
  return split_rows(area, std::vector<double>(weights), gap);
}

std::vector<rect> split_columns(const rect& area, const std::vector<double>& weights, int gap) {
  std::vector<rect> columns;
  int x = area.x;
  for (const int length : portions(area.w, weights, gap)) {
    columns.push_back({x, area.y, length, area.h});
    x += length + gap;
  }
  return columns;
}

std::vector<rect> split_columns(const rect& area, std::initializer_list<double> weights, int gap) {
  return split_columns(area, std::vector<double>(weights), gap);
}

std::vector<rect> equal_rows(const rect& area, int count, int gap) {
  return split_rows(area, std::vector<double>(static_cast<std::size_t>(std::max(0, count)), 1.0),
                    gap);
}

std::vector<rect> equal_columns(const rect& area, int count, int gap) {
  return split_columns(area, std::vector<double>(static_cast<std::size_t>(std::max(0, count)), 1.0),
                       gap);
}

std::vector<rect> grid(const rect& area, int rows, int columns, int gap) {
  std::vector<rect> cells;
  for (const rect& row : equal_rows(area, rows, gap)) {
    for (const rect& cell : equal_columns(row, columns, gap)) cells.push_back(cell);
  }
  return cells;
}

rect take_top(rect& area, int length, int gap) {
  length = std::clamp(length, 0, area.h);
  const rect strip{area.x, area.y, area.w, length};
  const int taken = std::min(area.h, length + gap);
  area.y += taken;
  area.h -= taken;
  return strip;
}

rect take_bottom(rect& area, int length, int gap) {
  length = std::clamp(length, 0, area.h);
  const rect strip{area.x, area.bottom() - length, area.w, length};
  area.h -= std::min(area.h, length + gap);
  return strip;
}

rect take_left(rect& area, int length, int gap) {
  length = std::clamp(length, 0, area.w);
  const rect strip{area.x, area.y, length, area.h};
  const int taken = std::min(area.w, length + gap);
  area.x += taken;
  area.w -= taken;
  return strip;
}

rect take_right(rect& area, int length, int gap) {
  length = std::clamp(length, 0, area.w);
  const rect strip{area.right() - length, area.y, length, area.h};
  area.w -= std::min(area.w, length + gap);
  return strip;
}

int fraction_of(int length, double fraction) {
  if (fraction <= 0) return 0;
  return std::max(1, static_cast<int>(std::lround(length * fraction)));
}

rect centred(const rect& area, size inner) {
  return {area.x + (area.w - inner.w) / 2, area.y + (area.h - inner.h) / 2, inner.w, inner.h};
}

}  // namespace luot::ui
