// The button box's input lines.
#include "kiosk/headless_box.hpp"

#include <gtest/gtest.h>

namespace luot::kiosk {
namespace {

TEST(HeadlessBox, ReadsCodesPriorityClassesAndKeys) {
  const std::vector<key_binding> keys = {{"1", "LDVL", ""}, {"2", "NCC", "cao-tuoi"}};
  const std::pair<std::string, box_request> cases[] = {
      {"LDVL", {"LDVL", ""}},
      {"  NCC cao-tuoi \r", {"NCC", "cao-tuoi"}},
      {"NCC\tcao-tuoi", {"NCC", "cao-tuoi"}},
      {"1", {"LDVL", ""}},
      {"2\r", {"NCC", "cao-tuoi"}},
      {"3", {"3", ""}},
  };
  for (const auto& [line, expected] : cases) {
    SCOPED_TRACE(line);
    const auto parsed = parse_box_line(line, keys);
    ASSERT_TRUE(std::holds_alternative<box_request>(parsed));
    EXPECT_EQ(std::get<box_request>(parsed), expected);
  }
}

TEST(HeadlessBox, BlankLinesAskNothingAndExtraWordsAreRefused) {
  EXPECT_TRUE(std::holds_alternative<blank_line>(parse_box_line("", {})));
  EXPECT_TRUE(std::holds_alternative<blank_line>(parse_box_line("  \r", {})));
  const auto parsed = parse_box_line("LDVL cao-tuoi extra", {});
  ASSERT_TRUE(std::holds_alternative<bad_line>(parsed));
  EXPECT_NE(std::get<bad_line>(parsed).reason.find("CODE PRIORITY_CLASS"), std::string::npos);
}

}  // namespace
}  // namespace luot::kiosk
