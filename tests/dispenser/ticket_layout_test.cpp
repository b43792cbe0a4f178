#include "printer/ticket_layout.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "sample_ticket.hpp"

namespace luot::printer {
namespace {

const std::filesystem::path golden_directory =
    std::filesystem::path(LUOT_DISPENSER_TEST_DIR) / "golden";

bool updating_goldens() {
  const char* update = std::getenv("LUOT_UPDATE_GOLDENS");
  return update != nullptr && std::string(update) == "1";
}

ticket_content english_regular_ticket() {
  ticket_content content;
  content.centre_name = "Bộ phận Một cửa Sở Lao động – Thương binh và Xã hội tỉnh Quảng Nam";
  content.category_name = "Bảo trợ xã hội";
  content.number = "3012";
  content.issued_at = "23/11/2026 14:05";
  content.people_ahead = 17;
  content.estimated_wait_seconds = 65 * 60;
  content.status_url = "https://motcua.quangnam.gov.vn/t/Zk8rT2vQ9mWx4nBc";
  content.hotline = "1900 8198";
  content.language = text::language::en;
  return content;
}

// Compares a drawn ticket with its golden PBM, allowing a few dots of
// difference for anti-aliasing changes between FreeType builds. With
// LUOT_UPDATE_GOLDENS=1 it rewrites the golden instead.
void expect_matches_golden(const monochrome_image& image, const std::string& name) {
  const auto golden_path = golden_directory / (name + ".pbm");
  if (updating_goldens()) {
    ASSERT_TRUE(write_pbm(golden_path, image)) << golden_path;
    return;
  }
  const auto golden = read_pbm(golden_path);
  ASSERT_TRUE(golden.has_value()) << "missing golden " << golden_path
                                  << "; run with LUOT_UPDATE_GOLDENS=1 to create it";
  const auto actual_path = std::filesystem::temp_directory_path() / (name + ".actual.pbm");
  EXPECT_EQ(image.width(), golden->width());
  // A few rows of drift (one line wrapping differently) is a real change.
  EXPECT_EQ(image.height(), golden->height()) << "actual image: " << actual_path;
  const int tolerance = std::max(60, image.width() * image.height() / 1000);
  const int different = count_different_dots(image, *golden);
  EXPECT_LE(different, tolerance) << "actual image: " << actual_path;
  if (different > tolerance || image.height() != golden->height()) {
    write_pbm(actual_path, image);
  }
}

TEST(TicketLayout, MatchesGolden80mm) {
  ticket_layout layout({paper_width::mm80});
  expect_matches_golden(layout.draw(testing::sample_ticket()).raster, "ticket_80mm_vi");
}

TEST(TicketLayout, MatchesGolden58mm) {
  ticket_layout layout({paper_width::mm58});
  expect_matches_golden(layout.draw(testing::sample_ticket()).raster, "ticket_58mm_vi");
}

TEST(TicketLayout, MatchesGoldenEnglishRegularTicket) {
  ticket_layout layout({paper_width::mm80});
  expect_matches_golden(layout.draw(english_regular_ticket()).raster, "ticket_80mm_en");
}

// The first and last columns with any black dot.
std::pair<int, int> ink_columns(const monochrome_image& image) {
  int first = image.width();
  int last = -1;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      if (image.black(x, y)) {
        first = std::min(first, x);
        last = std::max(last, x);
      }
    }
  }
  return {first, last};
}

TEST(TicketLayout, FillsThePaperWidthAndStaysInsideTheMargins) {
  for (const auto paper : {paper_width::mm80, paper_width::mm58}) {
    SCOPED_TRACE(paper_dots(paper));
    ticket_layout layout({paper});
    auto content = testing::sample_ticket();
    content.category_name =
        "Giải quyết chế độ trợ cấp một lần đối với người được cử làm chuyên gia sang giúp Lào "
        "và Căm-pu-chia";
    content.number = "NCC-1024";
    const auto image = layout.draw(content).raster;
    EXPECT_EQ(image.width(), paper_dots(paper));
    const auto [first, last] = ink_columns(image);
    EXPECT_GE(first, 8);
    EXPECT_LE(last, image.width() - 9);
  }
}

TEST(TicketLayout, OptionalPartsAddRows) {
  ticket_layout layout({paper_width::mm80});
  auto content = testing::sample_ticket();
  const int full = layout.draw(content).raster.height();
  content.priority_label.clear();
  const int without_priority = layout.draw(content).raster.height();
  content.documents.clear();
  const int without_documents = layout.draw(content).raster.height();
  content.hotline.clear();
  const int without_hotline = layout.draw(content).raster.height();
  EXPECT_GT(full, without_priority + 20);
  EXPECT_GT(without_priority, without_documents + 60);
  EXPECT_GT(without_documents, without_hotline + 15);
}

TEST(TicketLayout, PrinterDrawnQrLeavesASplitInsteadOfDots) {
  const auto content = testing::sample_ticket();
  ticket_layout raster_qr({paper_width::mm80, qr_rendering::raster});
  ticket_layout printer_qr({paper_width::mm80, qr_rendering::printer});
  const auto with_dots = raster_qr.draw(content);
  const auto with_split = printer_qr.draw(content);
  EXPECT_FALSE(with_dots.qr_row.has_value());
  ASSERT_TRUE(with_split.qr_row.has_value());
  EXPECT_EQ(with_split.qr_data, content.status_url);
  EXPECT_EQ(with_split.qr_module_dots, 6);
  // The raster version is taller by exactly the symbol's height.
  const int symbol_rows = with_dots.raster.height() - with_split.raster.height();
  EXPECT_GT(symbol_rows, 21 * 6 - 1);
  EXPECT_EQ(symbol_rows % 6, 0);
  // Everything above the split is the same drawing.
  const int split = *with_split.qr_row;
  EXPECT_EQ(with_split.raster.rows(0, split), with_dots.raster.rows(0, split));
}

TEST(TicketLayout, UrlTooLongForAQrCodeIsAnError) {
  ticket_layout layout({paper_width::mm58});
  auto content = testing::sample_ticket();
  content.status_url = std::string(5000, 'x');
  EXPECT_THROW(layout.draw(content), std::runtime_error);
}

}  // namespace
}  // namespace luot::printer
