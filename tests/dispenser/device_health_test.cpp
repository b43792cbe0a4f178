// What the kiosk tells the server about itself, and when.
#include "kiosk/device_health.hpp"

#include <gtest/gtest.h>

namespace luot::kiosk {
namespace {

using printer::printer_status;
using std::chrono::seconds;

TEST(DeviceHealth, FollowsThePrinter) {
  const std::pair<printer_status, v1::DeviceHealth> cases[] = {
      {printer_status::ready, v1::DEVICE_HEALTH_OK},
      {printer_status::unknown, v1::DEVICE_HEALTH_OK},
      {printer_status::paper_near_end, v1::DEVICE_HEALTH_PAPER_LOW},
      {printer_status::paper_out, v1::DEVICE_HEALTH_PAPER_OUT},
      {printer_status::cover_open, v1::DEVICE_HEALTH_COVER_OPEN},
      {printer_status::printer_error, v1::DEVICE_HEALTH_PRINTER_ERROR},
      {printer_status::offline, v1::DEVICE_HEALTH_PRINTER_OFFLINE},
  };
  for (const auto& [status, health] : cases) {
    SCOPED_TRACE(printer::status_name(status));
    EXPECT_EQ(health_of(status), health);
  }
}

TEST(DeviceHealth, AFailedJobIsAnError) {
  using printer::print_outcome;
  const std::pair<printer::print_report, v1::DeviceHealth> cases[] = {
      {{print_outcome::printed, printer_status::paper_near_end, ""}, v1::DEVICE_HEALTH_PAPER_LOW},
      {{print_outcome::paper_out, printer_status::paper_out, ""}, v1::DEVICE_HEALTH_PAPER_OUT},
      {{print_outcome::write_failed, printer_status::ready, ""}, v1::DEVICE_HEALTH_PRINTER_ERROR},
      {{print_outcome::render_failed, printer_status::ready, ""}, v1::DEVICE_HEALTH_PRINTER_ERROR},
      {{print_outcome::offline, printer_status::offline, ""}, v1::DEVICE_HEALTH_PRINTER_OFFLINE},
  };
  for (const auto& [report, health] : cases) {
    SCOPED_TRACE(printer::outcome_name(report.outcome));
    EXPECT_EQ(health_of(report), health);
  }
}

TEST(HealthReporter, SendsChangesAtOnceAndRepeatsOnlyWhenDue) {
  health_reporter reporter(seconds(60));
  const health_reporter::clock::time_point start{seconds(1000)};
  auto first = reporter.update(v1::DEVICE_HEALTH_OK, "file:x: unknown", start);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->report_device_status().health(), v1::DEVICE_HEALTH_OK);
  EXPECT_EQ(first->report_device_status().detail(), "file:x: unknown");
  // Same health, same detail, not yet due: nothing.
  EXPECT_FALSE(reporter.update(v1::DEVICE_HEALTH_OK, "file:x: unknown", start + seconds(5)));
  // A change goes out at once.
  auto changed = reporter.update(v1::DEVICE_HEALTH_PAPER_OUT, "p", start + seconds(6));
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->report_device_status().health(), v1::DEVICE_HEALTH_PAPER_OUT);
  EXPECT_FALSE(reporter.update(v1::DEVICE_HEALTH_PAPER_OUT, "p", start + seconds(7)));
  // A new detail is a change too.
  EXPECT_TRUE(reporter.update(v1::DEVICE_HEALTH_PAPER_OUT, "q", start + seconds(8)));
  // The periodic repeat.
  EXPECT_FALSE(reporter.update(v1::DEVICE_HEALTH_PAPER_OUT, "q", start + seconds(67)));
  EXPECT_TRUE(reporter.update(v1::DEVICE_HEALTH_PAPER_OUT, "q", start + seconds(68)));
  // After a reconnect or a failed send.
  reporter.resend_soon();
  EXPECT_TRUE(reporter.update(v1::DEVICE_HEALTH_PAPER_OUT, "q", start + seconds(69)));
  EXPECT_EQ(reporter.last_sent(), v1::DEVICE_HEALTH_PAPER_OUT);
}

}  // namespace
}  // namespace luot::kiosk
