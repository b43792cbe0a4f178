#include "ui/geometry.hpp"

#include <gtest/gtest.h>

#include "ui/colour.hpp"

namespace luot::ui {
namespace {

TEST(Geometry, RowsCoverTheAreaExactlyWhateverTheRounding) {
  struct example {
    rect area;
    std::vector<double> weights;
    int gap;
  };
  const example examples[] = {
      {{0, 0, 1920, 1080}, {1, 6, 1}, 0},
      {{10, 20, 1080, 1917}, {0.12, 0.55, 0.33}, 7},
      {{0, 0, 101, 101}, {1, 1, 1}, 3},
      {{5, 5, 3, 3}, {1, 1, 1, 1, 1}, 0},
  };
  for (const auto& one : examples) {
    SCOPED_TRACE(::testing::Message() << one.area.w << "x" << one.area.h << " gap " << one.gap);
    const auto rows = split_rows(one.area, one.weights, one.gap);
    ASSERT_EQ(rows.size(), one.weights.size());
    EXPECT_EQ(rows.front().y, one.area.y);
    EXPECT_EQ(rows.back().bottom(), one.area.bottom());
    for (std::size_t i = 1; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].y, rows[i - 1].bottom() + one.gap);
      EXPECT_EQ(rows[i].w, one.area.w);
    }
    const auto columns = split_columns(one.area, one.weights, one.gap);
    EXPECT_EQ(columns.back().right(), one.area.right());
  }
}

TEST(Geometry, WeightsGiveProportionalLengths) {
  const auto rows = split_rows({0, 0, 100, 1000}, {1, 3, 6});
  EXPECT_EQ(rows[0].h, 100);
  EXPECT_EQ(rows[1].h, 300);
  EXPECT_EQ(rows[2].h, 600);
}

TEST(Geometry, TakingStripsShrinksTheRest) {
  rect area{0, 0, 200, 100};
  const rect top = take_top(area, 30, 5);
  const rect right = take_right(area, 50, 10);
  EXPECT_EQ(top, (rect{0, 0, 200, 30}));
  EXPECT_EQ(right, (rect{150, 35, 50, 65}));
  EXPECT_EQ(area, (rect{0, 35, 140, 65}));
  // More than there is takes what there is.
  const rect all = take_bottom(area, 500);
  EXPECT_EQ(all.h, 65);
  EXPECT_TRUE(area.empty());
}

TEST(Geometry, GridCellsAreRowByRow) {
  const auto cells = grid({0, 0, 300, 200}, 2, 3, 0);
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[2], (rect{200, 0, 100, 100}));
  EXPECT_EQ(cells[3], (rect{0, 100, 100, 100}));
  EXPECT_EQ(inset({0, 0, 10, 10}, 20).w, 0);
  EXPECT_EQ(fraction_of(1080, 0.05), 54);
  EXPECT_EQ(fraction_of(10, 0.001), 1);
}

TEST(Theme, TextPairsAreReadableFromAcrossAHall) {
  for (const auto& [name, palette] : {std::pair{"hall", hall_theme()}, {"kiosk", kiosk_theme()}}) {
    SCOPED_TRACE(name);
    EXPECT_GE(contrast_ratio(palette.text, palette.background), 7.0);
    EXPECT_GE(contrast_ratio(palette.text, palette.surface), 4.5);
    EXPECT_GE(contrast_ratio(palette.text_muted, palette.surface), 4.5);
    EXPECT_GE(contrast_ratio(palette.accent_text, palette.accent), 4.5);
    EXPECT_GE(contrast_ratio(palette.highlight_text, palette.highlight), 4.5);
    EXPECT_GE(contrast_ratio(palette.alert_text, palette.alert), 4.5);
    for (const colour state : {palette.positive, palette.caution, palette.negative}) {
      EXPECT_GE(contrast_ratio(state, palette.surface), 4.5);
    }
  }
}

}  // namespace
}  // namespace luot::ui
