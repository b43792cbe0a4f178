#include "printer/printer_status.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace luot::printer {
namespace {

struct answers {
  std::uint8_t printer = 0x12;
  std::uint8_t offline_cause = 0x12;
  std::uint8_t error_cause = 0x12;
  std::uint8_t paper_sensor = 0x12;
};

printer_status status_of(const answers& bytes) {
  status_flags flags;
  EXPECT_TRUE(apply_status_answer(status_query::printer, bytes.printer, flags));
  EXPECT_TRUE(apply_status_answer(status_query::offline_cause, bytes.offline_cause, flags));
  EXPECT_TRUE(apply_status_answer(status_query::error_cause, bytes.error_cause, flags));
  EXPECT_TRUE(apply_status_answer(status_query::paper_sensor, bytes.paper_sensor, flags));
  return classify(flags);
}

TEST(PrinterStatus, ClassifiesEpsonAnswers) {
  struct status_case {
    std::string name;
    answers bytes;
    printer_status expected;
  };
  // Bits 1 and 4 are always set (0x12); the rest follow Epson's DLE EOT tables.
  const std::vector<status_case> cases = {
      {"all clear", {}, printer_status::ready},
      {"drawer pin high is not a fault", {0x16, 0x12, 0x12, 0x12}, printer_status::ready},
      {"paper near end (bits 2-3)", {0x12, 0x12, 0x12, 0x1E}, printer_status::paper_near_end},
      {"paper near end, one bit", {0x12, 0x12, 0x12, 0x16}, printer_status::paper_near_end},
      {"paper out (sensor bits 5-6)", {0x1A, 0x32, 0x12, 0x72}, printer_status::paper_out},
      {"paper out, sensor only", {0x12, 0x12, 0x12, 0x72}, printer_status::paper_out},
      {"paper-end stop only", {0x1A, 0x32, 0x12, 0x12}, printer_status::paper_out},
      {"paper out wins over near end", {0x1A, 0x32, 0x12, 0x7E}, printer_status::paper_out},
      {"cover open", {0x1A, 0x16, 0x12, 0x12}, printer_status::cover_open},
      {"paper out and cover open", {0x1A, 0x36, 0x12, 0x72}, printer_status::paper_out},
      {"error occurred", {0x1A, 0x52, 0x12, 0x12}, printer_status::printer_error},
      {"autocutter error", {0x1A, 0x52, 0x1A, 0x12}, printer_status::printer_error},
      {"unrecoverable error", {0x1A, 0x52, 0x32, 0x12}, printer_status::printer_error},
      {"head too hot", {0x1A, 0x52, 0x52, 0x12}, printer_status::printer_error},
      {"offline, no cause", {0x1A, 0x12, 0x12, 0x12}, printer_status::offline},
      {"feed button held", {0x1A, 0x1A, 0x12, 0x12}, printer_status::offline},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    EXPECT_EQ(status_of(test.bytes), test.expected);
  }
}

TEST(PrinterStatus, RejectsBytesThatAreNotStatusAnswers) {
  for (const std::uint8_t byte :
       std::vector<std::uint8_t>{0x00, 0x10, 0x02, 0x13, 0x92, 0xFF, 0x41}) {
    SCOPED_TRACE(static_cast<int>(byte));
    status_flags flags;
    EXPECT_FALSE(is_status_byte(byte));
    EXPECT_FALSE(apply_status_answer(status_query::printer, byte, flags));
    EXPECT_EQ(flags, status_flags{});
  }
  for (const std::uint8_t byte : std::vector<std::uint8_t>{0x12, 0x1A, 0x32, 0x72, 0x7E, 0x76}) {
    SCOPED_TRACE(static_cast<int>(byte));
    EXPECT_TRUE(is_status_byte(byte));
  }
}

TEST(PrinterStatus, OnlyFaultsRefusePrinting) {
  EXPECT_TRUE(can_print(printer_status::ready));
  EXPECT_TRUE(can_print(printer_status::paper_near_end));
  EXPECT_TRUE(can_print(printer_status::unknown));
  EXPECT_FALSE(can_print(printer_status::paper_out));
  EXPECT_FALSE(can_print(printer_status::cover_open));
  EXPECT_FALSE(can_print(printer_status::printer_error));
  EXPECT_FALSE(can_print(printer_status::offline));
}

TEST(PrinterStatus, EveryStatusHasCatalogueTextInBothLanguages) {
  const std::vector<std::pair<printer_status, std::string>> vietnamese = {
      {printer_status::ready, "Máy in sẵn sàng"},
      {printer_status::paper_near_end, "Máy in sắp hết giấy"},
      {printer_status::paper_out, "Máy in hết giấy"},
      {printer_status::cover_open, "Nắp máy in đang mở"},
      {printer_status::printer_error, "Máy in bị lỗi"},
      {printer_status::offline, "Không kết nối được máy in"},
      {printer_status::unknown, "Không rõ trạng thái máy in"},
  };
  for (const auto& [status, expected] : vietnamese) {
    SCOPED_TRACE(std::string(status_name(status)));
    EXPECT_EQ(status_text(text::language::vi, status), expected);
    const auto english = status_text(text::language::en, status);
    EXPECT_NE(english, status_key(status));
    EXPECT_NE(english, expected);
  }
}

}  // namespace
}  // namespace luot::printer
