#include "printer/printer_spec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace luot::printer {
namespace {

TEST(PrinterSpec, ParsesEveryKind) {
  struct spec_case {
    std::string text;
    printer_spec expected;
    std::string round_trip;
  };
  const std::vector<spec_case> cases = {
      {"file:/tmp/tickets.bin", {printer_kind::file, "/tmp/tickets.bin", "", 9100}, ""},
      {"file:out/tickets.bin", {printer_kind::file, "out/tickets.bin", "", 9100}, ""},
      {"usb:/dev/usb/lp0", {printer_kind::device, "/dev/usb/lp0", "", 9100}, ""},
      {"usb:/dev/ttyUSB0", {printer_kind::device, "/dev/ttyUSB0", "", 9100}, ""},
      {"tcp:192.168.1.50:9100", {printer_kind::tcp, "", "192.168.1.50", 9100}, ""},
      {"tcp:printer.local:9101", {printer_kind::tcp, "", "printer.local", 9101}, ""},
      {"tcp:192.168.1.50", {printer_kind::tcp, "", "192.168.1.50", 9100}, "tcp:192.168.1.50:9100"},
      {"tcp:[fe80::1]:9100", {printer_kind::tcp, "", "fe80::1", 9100}, ""},
      {"tcp:[::1]", {printer_kind::tcp, "", "::1", 9100}, "tcp:[::1]:9100"},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.text);
    const auto result = parse_printer_spec(test.text);
    ASSERT_TRUE(result.ok()) << result.error_message(text::language::en);
    EXPECT_EQ(*result.spec, test.expected);
    EXPECT_EQ(result.spec->to_string(), test.round_trip.empty() ? test.text : test.round_trip);
  }
}

TEST(PrinterSpec, RejectsBadSpecsWithAClearMessage) {
  struct bad_case {
    std::string text;
    std::string key;
    std::string vietnamese;
  };
  const std::vector<bad_case> cases = {
      {"", "printer.spec.empty",
       "Chưa chỉ định máy in; dùng file:ĐƯỜNG_DẪN, usb:/dev/usb/lp0 hoặc tcp:ĐỊA_CHỈ:9100."},
      {"/dev/usb/lp0", "printer.spec.unknown_kind",
       "Kiểu máy in \"/dev/usb/lp0\" không hợp lệ; dùng file:ĐƯỜNG_DẪN, usb:/dev/usb/lp0 hoặc "
       "tcp:ĐỊA_CHỈ:9100."},
      {"lpt:/dev/lp0", "printer.spec.unknown_kind",
       "Kiểu máy in \"lpt\" không hợp lệ; dùng file:ĐƯỜNG_DẪN, usb:/dev/usb/lp0 hoặc "
       "tcp:ĐỊA_CHỈ:9100."},
      {"file:", "printer.spec.missing_path", "Thiếu đường dẫn sau \"file:\"."},
      {"usb:", "printer.spec.missing_path", "Thiếu đường dẫn sau \"usb:\"."},
      {"usb:lp0", "printer.spec.relative_device",
       "Thiết bị máy in phải là đường dẫn tuyệt đối, ví dụ /dev/usb/lp0 (nhận được \"lp0\")."},
      {"tcp:", "printer.spec.missing_host",
       "Thiếu địa chỉ máy in trong \"tcp:\" (ví dụ tcp:192.168.1.50:9100)."},
      {"tcp::9100", "printer.spec.missing_host",
       "Thiếu địa chỉ máy in trong \"tcp::9100\" (ví dụ tcp:192.168.1.50:9100)."},
      {"tcp:fe80::1:9100", "printer.spec.bad_host", ""},
      {"tcp:[fe80::1", "printer.spec.bad_host", ""},
      {"tcp:[fe80::1]9100", "printer.spec.bad_host", ""},
      {"tcp:host:", "printer.spec.bad_port",
       "Cổng máy in \"\" không hợp lệ; cổng là số từ 1 đến 65535."},
      {"tcp:host:0", "printer.spec.bad_port", ""},
      {"tcp:host:65536", "printer.spec.bad_port", ""},
      {"tcp:host:91x", "printer.spec.bad_port",
       "Cổng máy in \"91x\" không hợp lệ; cổng là số từ 1 đến 65535."},
      {"tcp:host:-1", "printer.spec.bad_port", ""},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.text);
    const auto result = parse_printer_spec(test.text);
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.error_key, test.key);
    if (!test.vietnamese.empty()) {
      EXPECT_EQ(result.error_message(text::language::vi), test.vietnamese);
    }
    const auto english = result.error_message(text::language::en);
    EXPECT_EQ(english.find('{'), std::string::npos) << english;
    EXPECT_NE(english, test.key);
  }
}

}  // namespace
}  // namespace luot::printer
