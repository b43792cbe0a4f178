#include "ui/image.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "ui/canvas.hpp"
#include "ui/paint.hpp"

namespace luot::ui {
namespace {

TEST(Image, APngRoundTripKeepsEveryPixel) {
  offscreen_canvas canvas(64, 48);
  fill(canvas.renderer(), {0, 0, 64, 48}, rgb(0x0B1E3A));
  fill_rounded(canvas.renderer(), {8, 8, 40, 30}, 8, rgb(0xFFD54F));
  fill_circle(canvas.renderer(), 50, 30, 6, rgb(0x5BD68A));
  const image drawn = canvas.capture();
  ASSERT_EQ(drawn.width, 64);
  // Top-left is the background, the middle of the rounded box is yellow.
  EXPECT_EQ(drawn.rgba[0], 0x0B);
  EXPECT_EQ(drawn.rgba[(20 * 64 + 20) * 4 + 0], 0xFF);
  EXPECT_EQ(drawn.rgba[(20 * 64 + 20) * 4 + 1], 0xD5);
  // The rounded corner leaves the box's corner pixel as background.
  EXPECT_EQ(drawn.rgba[(8 * 64 + 8) * 4 + 0], 0x0B);

  const auto file = std::filesystem::temp_directory_path() / "luot-ui-round-trip.png";
  ASSERT_FALSE(save_png(drawn, file).has_value());
  std::string error;
  const auto read = load_png(file, &error);
  std::filesystem::remove(file);
  ASSERT_TRUE(read.has_value()) << error;
  const auto difference = compare(drawn, *read, 0);
  EXPECT_TRUE(difference.same_size);
  EXPECT_EQ(difference.differing_pixels, 0u);
}

TEST(Image, ComparisonCountsPixelsBeyondTheTolerance) {
  image first{2, 1, {10, 10, 10, 255, 10, 10, 10, 255}};
  image second{2, 1, {12, 10, 10, 255, 10, 40, 10, 255}};
  const auto difference = compare(first, second, 2);
  EXPECT_EQ(difference.differing_pixels, 1u);
  EXPECT_EQ(difference.largest_channel_delta, 30);
  EXPECT_FALSE(compare(first, image{1, 1, {0, 0, 0, 255}}, 0).same_size);
}

TEST(Image, UnreadableFilesAreNamedInTheError) {
  std::string error;
  EXPECT_FALSE(load_png("/nonexistent/golden.png", &error).has_value());
  EXPECT_NE(error.find("/nonexistent/golden.png"), std::string::npos);
  const auto failed = save_png(image{}, "/tmp/x.png");
  ASSERT_TRUE(failed.has_value());
  EXPECT_NE(failed->find("/tmp/x.png"), std::string::npos);
}

}  // namespace
}  // namespace luot::ui
