#pragma once

#include "printer/backend.hpp"

namespace luot::printer {

// usb:/dev/usb/lp0 — a printer character device: usblp, or a serial port
// (which is put into raw mode so status bytes pass unchanged). Status comes
// from DLE EOT answers when the device reads back, else from the usblp port
// status (LPGETSTATUS), else it is unknown and printing goes ahead.
class device_backend final : public printer_backend {
 public:
  device_backend(printer_spec spec, backend_timeouts timeouts);
  ~device_backend() override;

  io_result open() override;
  status_reading query_status() override;
  io_result write(std::span<const std::uint8_t> bytes) override;
  void close() override;
  const printer_spec& spec() const override { return spec_; }

 private:
  printer_spec spec_;
  backend_timeouts timeouts_;
  int descriptor_ = -1;
};

}  // namespace luot::printer
