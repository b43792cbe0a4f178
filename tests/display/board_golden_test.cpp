// The board drawn by the software renderer on an offscreen canvas, compared
// with golden PNGs (LUOT_UPDATE_GOLDENS=1 rewrites them), then read back by
// tesseract's Vietnamese model.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "board/board_content.hpp"
#include "board/board_painter.hpp"
#include "sample_view.hpp"
#include "ui/canvas.hpp"
#include "ui/image.hpp"

namespace luot::display {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path golden_dir = fs::path(LUOT_DISPLAY_TEST_DIR) / "golden";

fs::path output_dir() {
  const fs::path dir = fs::path(LUOT_DISPLAY_TEST_OUTPUT) / "screens";
  fs::create_directories(dir);
  return dir;
}

struct screen_case {
  const char* name;
  layout_kind layout;
  int width;
  int height;
  bool live;
  bool highlighted;
};

ui::image draw(const screen_case& screen, const v1::View& view) {
  board_inputs inputs;
  inputs.view = &view;
  inputs.live = screen.live;
  inputs.stale_since = testing::sample_now() - 135s;
  inputs.now = testing::sample_now();
  inputs.layout = screen.layout;
  inputs.counter_id = "5";
  inputs.ticker =
      "Đường dây nóng: 0236 3822 123 • Giờ làm việc: sáng 7:30–11:30, chiều 13:30–17:00";
  if (screen.highlighted) {
    inputs.newest_call_heard_at = testing::sample_now() - 2s;
    inputs.newest_call_heard_seq = view.recent_calls(0).seq();
  }
  ui::offscreen_canvas canvas(screen.width, screen.height);
  ui::font_library fonts;
  board_painter painter(canvas.renderer(), fonts, ui::hall_theme());
  painter.paint(build_board(inputs), canvas.output_size());
  return canvas.capture();
}

// Goldens are drawn small (the layout is proportional, so a small screen
// shows the same board) to keep the files in the repository small.
const screen_case screens[] = {
    {"hall-landscape", layout_kind::hall, 960, 540, true, true},
    {"hall-portrait", layout_kind::hall, 540, 960, true, false},
    {"hall-landscape-disconnected", layout_kind::hall, 800, 450, false, false},
    {"counter-top", layout_kind::counter, 640, 360, true, true},
};

TEST(BoardGolden, EachLayoutMatchesItsGoldenImage) {
  const bool update = std::getenv("LUOT_UPDATE_GOLDENS") != nullptr;
  for (const auto& screen : screens) {
    SCOPED_TRACE(screen.name);
    const ui::image drawn = draw(screen, testing::sample_view());
    const fs::path actual = output_dir() / (std::string(screen.name) + ".png");
    ASSERT_FALSE(ui::save_png(drawn, actual).has_value());
    const fs::path golden = golden_dir / (std::string(screen.name) + ".png");
    if (update) {
      fs::copy_file(actual, golden, fs::copy_options::overwrite_existing);
      continue;
    }
    std::string error;
    const auto expected = ui::load_png(golden, &error);
    ASSERT_TRUE(expected.has_value()) << error << " (LUOT_UPDATE_GOLDENS=1 writes it)";
    const auto difference = ui::compare(drawn, *expected, 24);
    ASSERT_TRUE(difference.same_size);
    // A font or SDL point release may move antialiasing by a few pixels;
    // a layout change moves thousands.
    EXPECT_LE(difference.differing_pixels,
              static_cast<std::size_t>(drawn.width * drawn.height / 2000))
        << "see " << actual << " against " << golden;
  }
}

std::string run_command(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (const std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, got);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return output;
}

TEST(BoardOcr, TesseractReadsTheCallTheCounterAndVietnameseNames) {
  for (const auto& screen :
       {screen_case{"ocr-hall", layout_kind::hall, 1920, 1080, true, false},
        screen_case{"ocr-portrait", layout_kind::hall, 1080, 1920, true, false},
        screen_case{"ocr-counter", layout_kind::counter, 1280, 720, true, false}}) {
    SCOPED_TRACE(screen.name);
    const fs::path file = output_dir() / (std::string(screen.name) + ".png");
    ASSERT_FALSE(ui::save_png(draw(screen, testing::sample_view()), file).has_value());
    // Tesseract reads body text best at full size, and very large or
    // coloured text best smaller and grey: it reads both. (The layout is
    // proportional, so the half-size board shows the same.)
    screen_case half = screen;
    half.width /= 2;
    half.height /= 2;
    ui::image small = draw(half, testing::sample_view());
    for (std::size_t i = 0; i < small.rgba.size(); i += 4) {
      const auto grey = static_cast<std::uint8_t>(
          (299 * small.rgba[i] + 587 * small.rgba[i + 1] + 114 * small.rgba[i + 2]) / 1000);
      small.rgba[i] = small.rgba[i + 1] = small.rgba[i + 2] = grey;
    }
    const fs::path grey = output_dir() / (std::string(screen.name) + "-grey.png");
    ASSERT_FALSE(ui::save_png(small, grey).has_value());
    std::string read;
    for (const auto& picture : {file, grey}) {
      read += run_command(std::string(LUOT_TESSERACT) + " " + picture.string() +
                          " stdout -l vie 2>/dev/null");
    }
    EXPECT_NE(read.find("1021"), std::string::npos) << read;
    EXPECT_NE(read.find("Quầy 5"), std::string::npos) << read;
    EXPECT_NE(read.find("Trả kết quả"), std::string::npos) << read;
    if (screen.layout == layout_kind::hall) {
      for (const char* words :
           {"Giáo dục nghề nghiệp", "Người có công", "Bảo trợ xã hội", "Mời công dân có số"}) {
        EXPECT_NE(read.find(words), std::string::npos) << words << " not in:\n" << read;
      }
      // Small white text on red is hard for tesseract in the wide header; the
      // portrait header gives the date two lines of its own.
      if (screen.height > screen.width) {
        EXPECT_NE(read.find("tháng 5 năm 2025"), std::string::npos) << read;
      }
    } else {
      EXPECT_NE(read.find("Cán bộ: Đỗ Minh Thư"), std::string::npos) << read;
    }
  }
}

}  // namespace
}  // namespace luot::display
