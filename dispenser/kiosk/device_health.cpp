#include "kiosk/device_health.hpp"

namespace luot::kiosk {

v1::DeviceHealth health_of(printer::printer_status status) {
  switch (status) {
    case printer::printer_status::ready:
    case printer::printer_status::unknown:
      return v1::DEVICE_HEALTH_OK;
    case printer::printer_status::paper_near_end:
      return v1::DEVICE_HEALTH_PAPER_LOW;
    case printer::printer_status::paper_out:
      return v1::DEVICE_HEALTH_PAPER_OUT;
    case printer::printer_status::cover_open:
      return v1::DEVICE_HEALTH_COVER_OPEN;
    case printer::printer_status::printer_error:
      return v1::DEVICE_HEALTH_PRINTER_ERROR;
    case printer::printer_status::offline:
      return v1::DEVICE_HEALTH_PRINTER_OFFLINE;
  }
  return v1::DEVICE_HEALTH_UNSPECIFIED;
}

v1::DeviceHealth health_of(const printer::print_report& report) {
  switch (report.outcome) {
    case printer::print_outcome::printed:
      return health_of(report.status);
    case printer::print_outcome::paper_out:
      return v1::DEVICE_HEALTH_PAPER_OUT;
    case printer::print_outcome::cover_open:
      return v1::DEVICE_HEALTH_COVER_OPEN;
    case printer::print_outcome::offline:
      return v1::DEVICE_HEALTH_PRINTER_OFFLINE;
    case printer::print_outcome::printer_error:
    case printer::print_outcome::write_failed:
    case printer::print_outcome::render_failed:
      return v1::DEVICE_HEALTH_PRINTER_ERROR;
  }
  return v1::DEVICE_HEALTH_PRINTER_ERROR;
}

health_reporter::health_reporter(std::chrono::milliseconds resend_every)
    : resend_every_(resend_every) {}

std::optional<v1::Command> health_reporter::update(v1::DeviceHealth health,
                                                   const std::string& detail,
                                                   clock::time_point now) {
  const bool changed = last_sent_ != health || last_detail_ != detail;
  const bool stale = now - sent_at_ >= resend_every_;
  if (!changed && !stale && !due_) return std::nullopt;
  last_sent_ = health;
  last_detail_ = detail;
  sent_at_ = now;
  due_ = false;
  v1::Command command;
  auto* report = command.mutable_report_device_status();
  report->set_health(health);
  report->set_detail(detail);
  return command;
}

void health_reporter::resend_soon() {
  due_ = true;
}

}  // namespace luot::kiosk
