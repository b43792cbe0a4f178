#pragma once

#include "printer/backend.hpp"

namespace luot::printer {

// tcp:HOST:PORT — raw socket printing (port 9100). One connection per job.
// A refused or timed-out connection, or no answer to DLE EOT, means offline:
// network printers answer status queries, so silence is a fault.
class tcp_backend final : public printer_backend {
 public:
  tcp_backend(printer_spec spec, backend_timeouts timeouts);
  ~tcp_backend() override;

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
