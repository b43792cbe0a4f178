// The menu layout in both orientations and other sizes: every button on
// screen, none overlapping, all big enough for an unsteady finger, and a
// touch lands on the button drawn there.
#include "kiosk/screen_layout.hpp"

#include <gtest/gtest.h>

namespace luot::kiosk {
namespace {

bool inside(const ui::rect& inner, const ui::rect& outer) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.right() <= outer.right() &&
         inner.bottom() <= outer.bottom();
}

bool overlap(const ui::rect& a, const ui::rect& b) {
  return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

std::vector<ui::rect> buttons(const menu_layout& layout) {
  std::vector<ui::rect> all = layout.categories;
  all.insert(all.end(), layout.priority_classes.begin(), layout.priority_classes.end());
  all.push_back(layout.language_button);
  if (!layout.back_button.empty()) all.push_back(layout.back_button);
  return all;
}

TEST(ScreenLayout, EveryButtonIsOnScreenBigAndApart) {
  const ui::size screens[] = {{1080, 1920}, {1920, 1080}, {768, 1024}, {1280, 800}};
  for (const auto screen : screens) {
    for (std::size_t categories = 1; categories <= 12; ++categories) {
      for (std::size_t classes = 0; classes <= 6; ++classes) {
        for (const auto which : {page::start, page::priority}) {
          SCOPED_TRACE(std::to_string(screen.w) + "x" + std::to_string(screen.h) + " " +
                       std::to_string(categories) + " categories, " + std::to_string(classes) +
                       " classes, " + std::string(to_string(which)));
          const auto layout = layout_menu(screen, categories, classes, which);
          ASSERT_EQ(layout.categories.size(), categories);
          ASSERT_EQ(layout.priority_classes.size(), which == page::start ? classes : 0u);
          EXPECT_EQ(layout.back_button.empty(), which == page::start);
          const auto all = buttons(layout);
          // A finger is about 1 cm; on a 1080-pixel-wide 24" screen that
          // is 40 pixels. Buttons are far bigger than that.
          const int smallest = std::min(screen.w, screen.h) / 14;
          for (std::size_t i = 0; i < all.size(); ++i) {
            EXPECT_TRUE(inside(all[i], layout.screen)) << i;
            EXPECT_GE(all[i].h, smallest) << i;
            EXPECT_GE(all[i].w, smallest * 2) << i;
            for (std::size_t j = i + 1; j < all.size(); ++j) EXPECT_FALSE(overlap(all[i], all[j]));
            EXPECT_FALSE(overlap(all[i], layout.footer));
          }
        }
      }
    }
  }
}

TEST(ScreenLayout, CategoryButtonsAreHugeForACentreOfSixFields) {
  for (const auto screen : {ui::size{1080, 1920}, ui::size{1920, 1080}}) {
    SCOPED_TRACE(screen.w);
    const auto layout = layout_menu(screen, 6, 5, page::start);
    for (const auto& button : layout.categories) {
      // At least a fifth of the width and a seventh of the height each.
      EXPECT_GE(button.w, screen.w / 5);
      EXPECT_GE(button.h, screen.h / 7);
    }
    EXPECT_GE(layout.name_size, 56);
    EXPECT_GE(layout.detail_size, 36);
  }
}

TEST(ScreenLayout, PortraitStacksPriorityBelowLandscapeBeside) {
  const auto tall = layout_menu({1080, 1920}, 6, 5, page::start);
  EXPECT_GT(tall.priority_classes.front().y, tall.categories.back().bottom());
  const auto wide = layout_menu({1920, 1080}, 6, 5, page::start);
  EXPECT_GT(wide.priority_classes.front().x, wide.categories.back().right());
}

TEST(ScreenLayout, ATouchHitsTheButtonDrawnThere) {
  const auto layout = layout_menu({1080, 1920}, 6, 5, page::start);
  using kind = menu_target::kind;
  for (std::size_t i = 0; i < layout.categories.size(); ++i) {
    const auto& button = layout.categories[i];
    EXPECT_EQ(hit_test(layout, button.x + button.w / 2, button.y + button.h / 2),
              (menu_target{kind::category, i}));
    EXPECT_EQ(hit_test(layout, button.x, button.y), (menu_target{kind::category, i}));
    EXPECT_EQ(hit_test(layout, button.right(), button.bottom()).what != kind::category ||
                  hit_test(layout, button.right(), button.bottom()).index != i,
              true);
  }
  for (std::size_t i = 0; i < layout.priority_classes.size(); ++i) {
    const auto& button = layout.priority_classes[i];
    EXPECT_EQ(hit_test(layout, button.x + 5, button.y + 5), (menu_target{kind::priority_class, i}));
  }
  const auto& language = layout.language_button;
  EXPECT_EQ(hit_test(layout, language.x + 1, language.y + 1).what, kind::language);
  EXPECT_EQ(hit_test(layout, 1, 1).what, kind::nothing);
  const auto priority = layout_menu({1920, 1080}, 6, 5, page::priority);
  EXPECT_EQ(hit_test(priority, priority.back_button.x + 2, priority.back_button.y + 2).what,
            kind::back);
}

TEST(ScreenLayout, MessagePagesLeaveRoomForAHugeNumber) {
  for (const auto screen : {ui::size{1080, 1920}, ui::size{1920, 1080}}) {
    const auto layout = layout_message(screen);
    EXPECT_GE(layout.number_size, 250);
    EXPECT_TRUE(inside(layout.body, layout.screen));
    EXPECT_FALSE(overlap(layout.header, layout.body));
    EXPECT_FALSE(overlap(layout.body, layout.footer));
  }
}

}  // namespace
}  // namespace luot::kiosk
