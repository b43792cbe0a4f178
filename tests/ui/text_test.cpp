#include <gtest/gtest.h>

#include "ui/canvas.hpp"
#include "ui/paint.hpp"
#include "ui/text_painter.hpp"

namespace luot::ui {
namespace {

const std::string dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const std::string noto = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";

// Rows and columns of `picture` inside `area` holding a pixel unlike `background`.
rect inked_bounds(const image& picture, const rect& area, colour background) {
  int left = area.right(), top = area.bottom(), right = area.x, bottom = area.y;
  for (int y = area.y; y < area.bottom(); ++y) {
    for (int x = area.x; x < area.right(); ++x) {
      const auto* p = &picture.rgba[(static_cast<std::size_t>(y) * picture.width + x) * 4];
      if (p[0] != background.r || p[1] != background.g || p[2] != background.b) {
        left = std::min(left, x);
        right = std::max(right, x + 1);
        top = std::min(top, y);
        bottom = std::max(bottom, y + 1);
      }
    }
  }
  return {left, top, std::max(0, right - left), std::max(0, bottom - top)};
}

TEST(Fonts, ASymbolMissingFromThePrimaryFontFallsBackForThatRunOnly) {
  font_library fonts({{noto, dejavu}, {noto, dejavu}});
  EXPECT_TRUE(fonts.covers("Quầy 5 → Trả kết quả", font_weight::regular));
  const auto runs = fonts.runs("Quầy 5 → Trả kết quả", font_weight::regular, 40);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].text, "Quầy 5 ");
  EXPECT_EQ(runs[1].text, "→ ");
  EXPECT_EQ(runs[2].text, "Trả kết quả");
  EXPECT_NE(runs[0].font, runs[1].font);
  EXPECT_EQ(runs[0].font, runs[2].font);
  // Only Noto: the arrow is not covered.
  font_library only_noto({{noto}, {}});
  EXPECT_FALSE(only_noto.covers("→", font_weight::regular));
  EXPECT_TRUE(only_noto.covers("Nguyễn Thị Lan – Người có công", font_weight::bold));
}

TEST(Fonts, NoUsableFileIsAClearError) {
  try {
    font_library fonts({{"/nonexistent/font.ttf"}, {}});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/font.ttf"), std::string::npos);
  }
}

TEST(TextPainter, StackedDiacriticsAreDrawnWholeInsideTheMeasuredBox) {
  offscreen_canvas canvas(800, 300);
  font_library fonts;
  text_painter painter(canvas.renderer(), fonts);
  const colour background = rgb(0x000000);
  fill(canvas.renderer(), {0, 0, 800, 300}, background);
  for (const auto weight : {font_weight::regular, font_weight::bold}) {
    SCOPED_TRACE(weight == font_weight::bold ? "bold" : "regular");
    fill(canvas.renderer(), {0, 0, 800, 300}, background);
    const rect drawn = painter.draw("ỄỖẬỪ", {weight, 120, rgb(0xFFFFFF)}, 20, 60);
    const image picture = canvas.capture();
    const rect ink = inked_bounds(picture, {0, 0, 800, 300}, background);
    // The tilde over the circumflex is above the font's ascent: the box grew
    // to hold it rather than cutting it.
    EXPECT_GE(ink.y, drawn.y);
    EXPECT_LE(ink.bottom(), drawn.bottom());
    EXPECT_GT(ink.y, drawn.y - 1);
    EXPECT_GT(drawn.h, painter.line_height(weight, 120) - 1);
    EXPECT_EQ(painter.measure("ỄỖẬỪ", weight, 120), (size{drawn.w, drawn.h}));
  }
}

TEST(TextPainter, LongTextShrinksToItsBoxThenEndsWithAnEllipsis) {
  offscreen_canvas canvas(600, 200);
  font_library fonts;
  text_painter painter(canvas.renderer(), fonts);
  const std::string name = "Lao động – Thương binh và Xã hội";
  const rect box{10, 10, 300, 60};
  const rect shrunk =
      painter.draw_in(box, name, {font_weight::bold, 60}, {align::start, align::centre, 10});
  EXPECT_LE(shrunk.w, box.w);
  EXPECT_LE(shrunk.h, box.h);
  EXPECT_GT(shrunk.w, box.w * 8 / 10);
  const int fitted = painter.fitting_size(name, font_weight::bold, 60, {300, 60});
  EXPECT_LT(fitted, 60);
  EXPECT_LE(painter.measure(name, font_weight::bold, fitted).w, 300);
  EXPECT_GT(painter.measure(name, font_weight::bold, fitted + 1).w, 300);

  // Not allowed to shrink below 40: cut with "…".
  const std::string cut = painter.ellipsize(name, font_weight::bold, 40, 300);
  EXPECT_LE(painter.measure(cut, font_weight::bold, 40).w, 300);
  EXPECT_EQ(cut.substr(cut.size() - 3), "…");
  EXPECT_EQ(name.rfind(cut.substr(0, cut.size() - 3), 0), 0u);
}

TEST(TextPainter, WrapsBetweenWordsAndFitsTheBox) {
  offscreen_canvas canvas(600, 400);
  font_library fonts;
  text_painter painter(canvas.renderer(), fonts);
  const std::string notice =
      "Đường dây nóng 1900 1234 — Công dân vui lòng giữ phiếu và chú ý màn hình, loa gọi số";
  const auto lines = painter.wrap(notice, font_weight::regular, 30, 400);
  ASSERT_GE(lines.size(), 2u);
  std::string joined;
  for (const auto& line : lines) {
    EXPECT_LE(painter.measure(line, font_weight::regular, 30).w, 400) << line;
    joined += (joined.empty() ? "" : " ") + line;
  }
  EXPECT_EQ(joined, notice);
  const rect box{0, 0, 400, 120};
  const rect drawn = painter.draw_wrapped(box, notice, {font_weight::regular, 60});
  EXPECT_LE(drawn.h, box.h);
  EXPECT_LE(drawn.w, box.w);
}

TEST(TextPainter, RepeatedFramesReuseTheirTexturesAndDropUnusedOnes) {
  offscreen_canvas canvas(400, 100);
  font_library fonts;
  text_painter painter(canvas.renderer(), fonts);
  for (int frame = 0; frame < 10; ++frame) {
    painter.draw("Quầy 5", {font_weight::bold, 40}, 0, 0);
    painter.draw("10:0" + std::to_string(frame), {font_weight::regular, 30}, 0, 50);
    painter.end_frame();
  }
  // The static label was drawn once; each clock text once.
  EXPECT_EQ(painter.rasterized_lines(), 11u);
  EXPECT_LE(painter.cached_lines(), 3u);
}

}  // namespace
}  // namespace luot::ui
