#include "printer/escpos.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace luot::printer {
namespace {

using bytes = std::vector<std::uint8_t>;

struct command_case {
  std::string name;
  std::function<void(escpos_encoder&)> build;
  bytes expected;
};

TEST(EscposEncoder, SimpleCommandsAreByteExact) {
  const std::vector<command_case> cases = {
      {"init", [](auto& out) { out.initialize(); }, {0x1B, 0x40}},
      {"align left", [](auto& out) { out.align(alignment::left); }, {0x1B, 0x61, 0}},
      {"align centre", [](auto& out) { out.align(alignment::centre); }, {0x1B, 0x61, 1}},
      {"align right", [](auto& out) { out.align(alignment::right); }, {0x1B, 0x61, 2}},
      {"size 1x1", [](auto& out) { out.character_size(1, 1); }, {0x1D, 0x21, 0x00}},
      {"size 2x3", [](auto& out) { out.character_size(2, 3); }, {0x1D, 0x21, 0x12}},
      {"size 8x8", [](auto& out) { out.character_size(8, 8); }, {0x1D, 0x21, 0x77}},
      {"feed 3", [](auto& out) { out.feed_lines(3); }, {0x1B, 0x64, 3}},
      {"text", [](auto& out) { out.text("A1"); }, {'A', '1'}},
      {"full cut", [](auto& out) { out.cut(cut_kind::full); }, {0x1D, 0x56, 0}},
      {"partial cut", [](auto& out) { out.cut(cut_kind::partial); }, {0x1D, 0x56, 1}},
      {"feed and full cut",
       [](auto& out) { out.feed_and_cut(cut_kind::full); },
       {0x1D, 0x56, 65, 0}},
      {"feed and partial cut",
       [](auto& out) { out.feed_and_cut(cut_kind::partial, 24); },
       {0x1D, 0x56, 66, 24}},
      {"chained",
       [](auto& out) { out.initialize().align(alignment::centre).cut(cut_kind::full); },
       {0x1B, 0x40, 0x1B, 0x61, 1, 0x1D, 0x56, 0}},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    escpos_encoder out;
    test.build(out);
    EXPECT_EQ(out.bytes(), test.expected);
  }
}

TEST(EscposEncoder, OutOfRangeParametersThrow) {
  escpos_encoder out;
  EXPECT_THROW(out.character_size(0, 1), std::invalid_argument);
  EXPECT_THROW(out.character_size(1, 9), std::invalid_argument);
  EXPECT_THROW(out.feed_lines(256), std::invalid_argument);
  EXPECT_THROW(out.feed_and_cut(cut_kind::full, -1), std::invalid_argument);
  EXPECT_THROW(out.raster(monochrome_image(8, 1), 0), std::invalid_argument);
  EXPECT_THROW(out.qr_code("x", 0, qr_error_level::medium), std::invalid_argument);
  EXPECT_THROW(out.qr_code("x", 17, qr_error_level::medium), std::invalid_argument);
  EXPECT_THROW(out.qr_code("", 4, qr_error_level::medium), std::invalid_argument);
  EXPECT_TRUE(out.bytes().empty());
}

TEST(EscposEncoder, RasterHeaderCountsBytesAndRows) {
  // 12 dots wide = 2 bytes per row (the last 4 bits are padding), 3 rows.
  monochrome_image image(12, 3);
  image.set_black(0, 0);   // high bit of the first byte is the leftmost dot
  image.set_black(11, 1);  // dot 11 is bit 4 of the second byte
  image.set_black(8, 2);
  escpos_encoder out;
  out.raster(image);
  const bytes expected = {0x1D, 0x76, 0x30, 0x00, 2,    0,   3, 0,  // GS v 0 m xL xH yL yH
                          0x80, 0x00, 0x00, 0x10, 0x00, 0x80};
  EXPECT_EQ(out.bytes(), expected);
}

TEST(EscposEncoder, RasterWidthAndHeightUseBothBytes) {
  // 576 dots = 72 bytes; 300 rows = 0x012C.
  monochrome_image image(576, 300);
  escpos_encoder out;
  out.raster(image, 1000);
  ASSERT_EQ(out.bytes().size(), 8u + 72u * 300u);
  const bytes header(out.bytes().begin(), out.bytes().begin() + 8);
  EXPECT_EQ(header, (bytes{0x1D, 0x76, 0x30, 0, 72, 0, 0x2C, 0x01}));
}

TEST(EscposEncoder, TallRasterIsSplitIntoBands) {
  struct band_case {
    int height;
    int band_rows;
    std::vector<int> expected_bands;
  };
  const std::vector<band_case> cases = {
      {10, 4, {4, 4, 2}},
      {8, 4, {4, 4}},
      {3, 4, {3}},
      {600, default_band_rows, {256, 256, 88}},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE("height " + std::to_string(test.height) + " bands of " +
                 std::to_string(test.band_rows));
    // A distinct byte per row shows each band carries its own rows in order.
    monochrome_image image(16, test.height);
    for (int y = 0; y < test.height; ++y) {
      image.bits()[static_cast<std::size_t>(y * 2)] = static_cast<std::uint8_t>(y);
      image.bits()[static_cast<std::size_t>(y * 2 + 1)] = static_cast<std::uint8_t>(y >> 8);
    }
    escpos_encoder out;
    out.raster(image, test.band_rows);
    const auto& data = out.bytes();
    std::size_t at = 0;
    int first_row = 0;
    for (const int rows : test.expected_bands) {
      ASSERT_LE(at + 8, data.size());
      EXPECT_EQ(bytes(data.begin() + static_cast<std::ptrdiff_t>(at),
                      data.begin() + static_cast<std::ptrdiff_t>(at) + 8),
                (bytes{0x1D, 0x76, 0x30, 0, 2, 0, static_cast<std::uint8_t>(rows & 0xFF),
                       static_cast<std::uint8_t>(rows >> 8)}));
      at += 8;
      for (int row = 0; row < rows; ++row, at += 2) {
        EXPECT_EQ(data[at], static_cast<std::uint8_t>(first_row + row));
      }
      first_row += rows;
    }
    EXPECT_EQ(at, data.size());
  }
}

TEST(EscposEncoder, RasterDataNeverCarriesARealTimeCommand) {
  // DLE EOT, DLE ENQ and DLE DC4 inside the data, one across a row boundary.
  monochrome_image image(24, 3);
  const bytes dots = {0x10, 0x04, 0x10,  //
                      0x14, 0x10, 0x05,  //
                      0x10, 0x22, 0x10};
  std::copy(dots.begin(), dots.end(), image.bits().begin());
  const auto original = image;
  escpos_encoder out;
  out.raster(image);
  const bytes expected_data = {0x30, 0x04, 0x30,  //
                               0x14, 0x30, 0x05,  //
                               0x10, 0x22, 0x10};
  EXPECT_EQ(bytes(out.bytes().begin() + 8, out.bytes().end()), expected_data);
  EXPECT_EQ(image, original);  // the caller's image is left alone
  EXPECT_EQ(break_real_time_commands(image), 3);
  EXPECT_EQ(image.bits(), expected_data);
  EXPECT_EQ(break_real_time_commands(image), 0);  // already safe
  EXPECT_EQ(count_different_dots(image, original), 3);
}

TEST(EscposEncoder, QrCodeCommandsFollowGsParenK) {
  escpos_encoder out;
  out.qr_code("https://x.vn/t/AB", 6, qr_error_level::medium);
  bytes expected = {
      0x1D, 0x28, 0x6B, 4,  0, 0x31, 0x41, 50,   0,  // model 2
      0x1D, 0x28, 0x6B, 3,  0, 0x31, 0x43, 6,        // module size 6
      0x1D, 0x28, 0x6B, 3,  0, 0x31, 0x45, 49,       // error level M
      0x1D, 0x28, 0x6B, 20, 0, 0x31, 0x50, 0x30,     // store 17 bytes (+3)
  };
  const std::string data = "https://x.vn/t/AB";
  expected.insert(expected.end(), data.begin(), data.end());
  expected.insert(expected.end(), {0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x51, 0x30});  // print
  EXPECT_EQ(out.bytes(), expected);
}

TEST(EscposEncoder, QrCodeErrorLevels) {
  const std::vector<std::pair<qr_error_level, std::uint8_t>> cases = {
      {qr_error_level::low, 48},
      {qr_error_level::medium, 49},
      {qr_error_level::quartile, 50},
      {qr_error_level::high, 51}};
  for (const auto& [level, expected] : cases) {
    SCOPED_TRACE(static_cast<int>(expected));
    escpos_encoder out;
    out.qr_code("A", 3, level);
    EXPECT_EQ(out.bytes()[23], 0x45);
    EXPECT_EQ(out.bytes()[24], expected);
  }
}

TEST(EscposEncoder, LongQrDataUsesTheHighLengthByte) {
  const std::string data(300, 'a');  // 303 = 0x012F
  escpos_encoder out;
  out.qr_code(data, 4, qr_error_level::low);
  EXPECT_EQ(out.bytes()[28], 0x2F);
  EXPECT_EQ(out.bytes()[29], 0x01);
}

TEST(EscposEncoder, StatusQueriesAreDleEot) {
  const std::vector<std::pair<status_query, std::uint8_t>> cases = {
      {status_query::printer, 1},
      {status_query::offline_cause, 2},
      {status_query::error_cause, 3},
      {status_query::paper_sensor, 4}};
  for (const auto& [query, n] : cases) {
    SCOPED_TRACE(static_cast<int>(n));
    EXPECT_EQ(status_query_bytes(query), (std::array<std::uint8_t, 3>{0x10, 0x04, n}));
  }
}

}  // namespace
}  // namespace luot::printer
