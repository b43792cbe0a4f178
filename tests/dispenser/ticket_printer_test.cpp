#include "printer/ticket_printer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "printer/font_set.hpp"
#include "printer/ticket_encoding.hpp"
#include "sample_ticket.hpp"

namespace luot::printer {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes slice(const bytes& data, std::size_t at, std::size_t count) {
  return bytes(data.begin() + static_cast<std::ptrdiff_t>(at),
               data.begin() + static_cast<std::ptrdiff_t>(at + count));
}

TEST(TicketEncoding, ResetsCentresPrintsBandsAndCuts) {
  ticket_image image;
  image.raster = monochrome_image(576, 600);
  image.raster.set_black(0, 0);
  const auto job = encode_ticket(image, {cut_kind::full, 256});
  EXPECT_EQ(slice(job, 0, 5), (bytes{0x1B, 0x40, 0x1B, 0x61, 1}));
  std::size_t at = 5;
  for (const int rows : {256, 256, 88}) {
    SCOPED_TRACE(rows);
    EXPECT_EQ(slice(job, at, 8),
              (bytes{0x1D, 0x76, 0x30, 0, 72, 0, static_cast<std::uint8_t>(rows & 0xFF),
                     static_cast<std::uint8_t>(rows >> 8)}));
    at += 8 + 72u * static_cast<std::size_t>(rows);
  }
  EXPECT_EQ(job[13], 0x80);  // the first dot, leftmost bit of the first byte
  EXPECT_EQ(slice(job, at, job.size() - at), (bytes{0x1D, 0x56, 65, 0}));
}

TEST(TicketEncoding, PartialCutIsTheDefault) {
  ticket_image image;
  image.raster = monochrome_image(384, 10);
  const auto job = encode_ticket(image);
  EXPECT_EQ(slice(job, job.size() - 4, 4), (bytes{0x1D, 0x56, 66, 0}));
}

TEST(TicketEncoding, PrinterDrawnQrGoesBetweenTheRasterParts) {
  ticket_image image;
  image.raster = monochrome_image(384, 100);
  image.qr_row = 40;
  image.qr_data = "https://x.vn/t/AB";
  image.qr_module_dots = 5;
  const auto job = encode_ticket(image);
  const std::size_t first_band = 5;
  EXPECT_EQ(slice(job, first_band, 8), (bytes{0x1D, 0x76, 0x30, 0, 48, 0, 40, 0}));
  const std::size_t qr = first_band + 8 + 48 * 40;
  escpos_encoder expected_qr;
  expected_qr.qr_code(image.qr_data, 5, qr_error_level::medium);
  EXPECT_EQ(slice(job, qr, expected_qr.bytes().size()), expected_qr.bytes());
  const std::size_t second_band = qr + expected_qr.bytes().size();
  EXPECT_EQ(slice(job, second_band, 8), (bytes{0x1D, 0x76, 0x30, 0, 48, 0, 60, 0}));
  EXPECT_EQ(job.size(), second_band + 8 + 48 * 60 + 4);
}

TEST(TicketContent, WaitIsWordedInMinutesOrHours) {
  struct wait_case {
    std::uint32_t seconds;
    std::string vietnamese;
    std::string english;
  };
  const std::vector<wait_case> cases = {
      {0, "dưới 1 phút", "under 1 minute"},
      {59, "dưới 1 phút", "under 1 minute"},
      {60, "khoảng 1 phút", "about 1 min"},
      {12 * 60, "khoảng 12 phút", "about 12 min"},
      {12 * 60 + 29, "khoảng 12 phút", "about 12 min"},
      {12 * 60 + 30, "khoảng 13 phút", "about 13 min"},
      {59 * 60 + 29, "khoảng 59 phút", "about 59 min"},
      {65 * 60, "khoảng 1 giờ 5 phút", "about 1 h 5 min"},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.seconds);
    EXPECT_EQ(wait_text(text::language::vi, test.seconds), test.vietnamese);
    EXPECT_EQ(wait_text(text::language::en, test.seconds), test.english);
  }
}

TEST(TicketContent, PaperWidths) {
  EXPECT_EQ(paper_dots(paper_width::mm80), 576);
  EXPECT_EQ(paper_dots(paper_width::mm58), 384);
  EXPECT_EQ(parse_paper_width("80"), paper_width::mm80);
  EXPECT_EQ(parse_paper_width("58"), paper_width::mm58);
  EXPECT_EQ(parse_paper_width("76"), std::nullopt);
}

TEST(FontSet, DefaultFontsCoverVietnameseAndFallBackForMissingGlyphs) {
  font_set fonts(default_font_paths());
  const std::string vietnamese = "Người có công – Bảo trợ xã hội: Ưu tiên, ỵ ỹ ữ ặ ễ ộ đ Đ";
  EXPECT_TRUE(fonts.covers(vietnamese, font_weight::regular));
  EXPECT_TRUE(fonts.covers(vietnamese, font_weight::bold));
  // Noto Sans has no arrow; with Noto first, the arrow must come from DejaVu.
  font_paths noto_first = {{"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
                           {"/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"}};
  font_set mixed(noto_first);
  TTF_Font* noto = mixed.font_for("Quầy", font_weight::regular, 20);
  TTF_Font* arrow = mixed.font_for("Quầy → 3", font_weight::regular, 20);
  EXPECT_NE(noto, arrow);
  EXPECT_NE(TTF_GlyphIsProvided32(arrow, 0x2192), 0);
  EXPECT_EQ(TTF_GlyphIsProvided32(noto, 0x2192), 0);
  EXPECT_FALSE(mixed.covers("→", font_weight::bold));
}

TEST(FontSet, NoUsableFontIsAClearError) {
  try {
    font_set fonts(font_paths{{"/no/such/font.ttf"}, {"/no/such/bold.ttf"}});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("/no/such/font.ttf"), std::string::npos);
  }
}

}  // namespace
}  // namespace luot::printer
