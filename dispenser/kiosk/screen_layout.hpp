#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "kiosk/screen_model.hpp"
#include "ui/geometry.hpp"

namespace luot::kiosk {

// Where everything of a menu page goes (start or priority), in proportions
// of the screen, so 1080×1920 portrait and 1920×1080 landscape (and any
// other size) get the same design: huge buttons, nothing closer to the edge
// than a finger's margin.
struct menu_layout {
  ui::rect screen;
  ui::rect header;
  ui::rect centre_name;
  ui::rect title;
  ui::rect language_button;
  std::vector<ui::rect> categories;
  // Start page only: the priority section and one button per class.
  ui::rect priority_heading;
  ui::rect priority_hint;
  std::vector<ui::rect> priority_classes;
  // Priority page only.
  ui::rect back_button;
  ui::rect footer;
  // The text sizes that go with the layout, in pixels.
  int title_size = 0;
  int name_size = 0;
  int detail_size = 0;
  int small_size = 0;
};

// `which` is page::start or page::priority.
menu_layout layout_menu(ui::size screen, std::size_t categories, std::size_t priority_classes,
                        page which);

// Columns for `count` buttons in `area` whose shape comes closest to a wide
// card (about 1.6:1), at most four.
int columns_for(std::size_t count, ui::size area);

// What a touch at (x, y) hits on a menu page.
struct menu_target {
  enum class kind { nothing, category, priority_class, language, back };
  kind what = kind::nothing;
  std::size_t index = 0;

  bool operator==(const menu_target&) const = default;
};

menu_target hit_test(const menu_layout& layout, int x, int y);

// The pages without buttons share one frame: a header band, a body and the
// footer, with text sizes in proportion.
struct message_layout {
  ui::rect screen;
  ui::rect header;
  ui::rect body;
  ui::rect footer;
  int headline_size = 0;
  int number_size = 0;
  int text_size = 0;
  int small_size = 0;
};

message_layout layout_message(ui::size screen);

}  // namespace luot::kiosk
