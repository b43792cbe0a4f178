#include "printer/device_backend.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "fake_printer.hpp"
#include "printer/file_backend.hpp"
#include "printer/ticket_encoding.hpp"
#include "printer/ticket_printer.hpp"
#include "sample_ticket.hpp"

namespace luot::printer {
namespace {

using namespace std::chrono_literals;

backend_timeouts short_timeouts() {
  backend_timeouts timeouts;
  timeouts.answer = 200ms;
  timeouts.write = 2000ms;
  return timeouts;
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(DeviceBackend, PrintsToACharacterDeviceAndReadsItsStatus) {
  testing::fake_device_printer device(testing::printer_cover_open);
  const printer_spec spec{printer_kind::device, device.device_path(), "", 9100};
  ticket_printer tickets(make_backend(spec, short_timeouts()));
  const auto content = testing::sample_ticket();

  const auto refused = tickets.print(content);
  EXPECT_EQ(refused.outcome, print_outcome::cover_open) << refused.detail;
  EXPECT_EQ(refused.message(text::language::en), "Printer cover is open");

  device.set_state(testing::printer_ready);
  const auto printed = tickets.print(content);
  ASSERT_EQ(printed.outcome, print_outcome::printed) << printed.detail;

  const auto job = encode_ticket(tickets.layout().draw(content));
  // Two rounds of queries before the job (refused, then accepted) and one after.
  const std::size_t expected_size = 12 + job.size() + 12 + 12;
  const auto received = device.received(expected_size, 5s);
  ASSERT_EQ(received.size(), expected_size);
  EXPECT_TRUE(std::equal(job.begin(), job.end(), received.begin() + 24));
}

TEST(DeviceBackend, MissingDeviceIsOffline) {
  const printer_spec spec{printer_kind::device, "/dev/usb/no-such-printer", "", 9100};
  ticket_printer tickets(make_backend(spec, short_timeouts()));
  const auto report = tickets.print(testing::sample_ticket());
  EXPECT_EQ(report.outcome, print_outcome::offline);
  EXPECT_NE(report.detail.find("/dev/usb/no-such-printer"), std::string::npos);
}

TEST(FileBackend, AppendsEachJobAndCannotReportStatus) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("luot-printer-" + std::to_string(::getpid()) + ".bin");
  std::filesystem::remove(path);
  ticket_printer tickets(make_backend(printer_spec{printer_kind::file, path.string(), "", 9100}));
  const auto content = testing::sample_ticket();
  EXPECT_EQ(tickets.check().status, printer_status::unknown);
  ASSERT_TRUE(tickets.print(content).printed());
  ASSERT_TRUE(tickets.print(content).printed());
  auto job = encode_ticket(tickets.layout().draw(content));
  auto twice = job;
  twice.insert(twice.end(), job.begin(), job.end());
  EXPECT_TRUE(read_file(path) == twice);
  std::filesystem::remove(path);
}

TEST(FileBackend, UnwritablePathIsAWriteFailure) {
  ticket_printer tickets(
      make_backend(printer_spec{printer_kind::file, "/no-such-directory/tickets.bin", "", 9100}));
  const auto report = tickets.print(testing::sample_ticket());
  EXPECT_EQ(report.outcome, print_outcome::write_failed);
  EXPECT_EQ(report.message(text::language::vi), "Không gửi được phiếu tới máy in");
}

}  // namespace
}  // namespace luot::printer
