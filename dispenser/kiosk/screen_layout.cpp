#include "kiosk/screen_layout.hpp"

#include <algorithm>
#include <cmath>

namespace luot::kiosk {

namespace {

using ui::fraction_of;
using ui::rect;

bool contains(const rect& area, int x, int y) {
  return x >= area.x && x < area.right() && y >= area.y && y < area.bottom();
}

// Buttons for `count` items laid out in `area`, in reading order; the last
// row is centred when it is not full.
std::vector<rect> button_grid(const rect& area, std::size_t count, int columns, int gap) {
  std::vector<rect> cells;
  if (count == 0 || area.empty()) return cells;
  const int rows = static_cast<int>((count + static_cast<std::size_t>(columns) - 1) /
                                    static_cast<std::size_t>(columns));
  const auto all = ui::grid(area, rows, columns, gap);
  for (std::size_t i = 0; i < count; ++i) cells.push_back(all[i]);
  const auto in_last_row = static_cast<int>(count % static_cast<std::size_t>(columns));
  if (in_last_row != 0 && rows > 1) {
    const int cell_width = all[0].w;
    const int row_width = in_last_row * cell_width + (in_last_row - 1) * gap;
    int x = area.x + (area.w - row_width) / 2;
    for (std::size_t i = count - static_cast<std::size_t>(in_last_row); i < count; ++i) {
      cells[i].x = x;
      x += cell_width + gap;
    }
  }
  return cells;
}

}  // namespace

int columns_for(std::size_t count, ui::size area) {
  if (count <= 1) return 1;
  constexpr double wanted_aspect = 1.6;
  int best = 1;
  double best_score = 1e9;
  for (int columns = 1; columns <= 4 && static_cast<std::size_t>(columns) <= count; ++columns) {
    const auto rows = static_cast<double>((count + static_cast<std::size_t>(columns) - 1) /
                                          static_cast<std::size_t>(columns));
    const double width = area.w / static_cast<double>(columns);
    const double height = area.h / rows;
    // A half-empty last row wastes space and looks unfinished.
    const bool ragged = count % static_cast<std::size_t>(columns) != 0;
    const double score = std::abs(std::log((width / height) / wanted_aspect)) + (ragged ? 0.3 : 0);
    if (score < best_score) {
      best_score = score;
      best = columns;
    }
  }
  return best;
}

menu_layout layout_menu(ui::size screen, std::size_t categories, std::size_t priority_classes,
                        page which) {
  menu_layout layout;
  layout.screen = {0, 0, screen.w, screen.h};
  const bool portrait = screen.h >= screen.w;
  // Sizes follow the shorter side, so both orientations read alike.
  const int unit = std::min(screen.w, screen.h);
  const int margin = fraction_of(unit, 0.03);
  const int gap = fraction_of(unit, 0.022);
  layout.title_size = fraction_of(unit, 0.055);
  layout.name_size = fraction_of(unit, 0.056);
  layout.detail_size = fraction_of(unit, 0.036);
  layout.small_size = fraction_of(unit, 0.028);

  rect area = ui::inset(layout.screen, margin);
  layout.header = ui::take_top(area, fraction_of(screen.h, portrait ? 0.1 : 0.15), gap);
  layout.footer = ui::take_bottom(area, fraction_of(screen.h, portrait ? 0.03 : 0.05), gap);

  rect header = layout.header;
  layout.language_button =
      ui::take_right(header, fraction_of(screen.w, portrait ? 0.26 : 0.16), gap);
  layout.language_button.h = std::min(layout.language_button.h, fraction_of(unit, 0.09));
  const auto header_rows = ui::split_rows(header, {1, 2});
  layout.centre_name = header_rows[0];
  layout.title = header_rows[1];

  if (which == page::priority) {
    layout.back_button = ui::take_bottom(area, fraction_of(unit, 0.11), gap);
    layout.back_button.w = std::max(fraction_of(screen.w, portrait ? 0.45 : 0.3), 1);
    layout.categories =
        button_grid(area, categories, columns_for(categories, {area.w, area.h}), gap);
    return layout;
  }

  rect categories_area = area;
  rect priority_area;
  if (priority_classes > 0) {
    if (portrait) {
      priority_area = ui::take_bottom(categories_area, fraction_of(area.h, 0.36), gap * 2);
    } else {
      priority_area = ui::take_right(categories_area, fraction_of(area.w, 0.34), gap * 2);
    }
    rect list = priority_area;
    layout.priority_heading = ui::take_top(list, fraction_of(unit, 0.055));
    layout.priority_hint = ui::take_top(list, fraction_of(unit, 0.045), gap / 2);
    const int class_columns = portrait ? (priority_classes > 3 ? 2 : 1) : 1;
    layout.priority_classes = button_grid(list, priority_classes, class_columns, gap / 2 + 1);
  }
  layout.categories =
      button_grid(categories_area, categories,
                  columns_for(categories, {categories_area.w, categories_area.h}), gap);
  return layout;
}

menu_target hit_test(const menu_layout& layout, int x, int y) {
  using kind = menu_target::kind;
  if (contains(layout.language_button, x, y)) return {kind::language, 0};
  if (!layout.back_button.empty() && contains(layout.back_button, x, y)) return {kind::back, 0};
  for (std::size_t i = 0; i < layout.categories.size(); ++i) {
    if (contains(layout.categories[i], x, y)) return {kind::category, i};
  }
  for (std::size_t i = 0; i < layout.priority_classes.size(); ++i) {
    if (contains(layout.priority_classes[i], x, y)) return {kind::priority_class, i};
  }
  return {};
}

message_layout layout_message(ui::size screen) {
  message_layout layout;
  layout.screen = {0, 0, screen.w, screen.h};
  const bool portrait = screen.h >= screen.w;
  const int unit = std::min(screen.w, screen.h);
  const int margin = fraction_of(unit, 0.03);
  rect area = ui::inset(layout.screen, margin);
  layout.header = ui::take_top(area, fraction_of(screen.h, portrait ? 0.1 : 0.15), margin);
  layout.footer = ui::take_bottom(area, fraction_of(screen.h, portrait ? 0.03 : 0.05), margin);
  layout.body = area;
  layout.headline_size = fraction_of(unit, 0.07);
  layout.number_size = fraction_of(unit, portrait ? 0.3 : 0.26);
  layout.text_size = fraction_of(unit, 0.05);
  layout.small_size = fraction_of(unit, 0.028);
  return layout;
}

}  // namespace luot::kiosk
