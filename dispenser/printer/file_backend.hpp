#pragma once

#include "printer/backend.hpp"

namespace luot::printer {

// file:PATH — appends each job to a file. A file cannot report paper or
// cover, so its status is unknown and printing goes ahead.
class file_backend final : public printer_backend {
 public:
  explicit file_backend(printer_spec spec);
  ~file_backend() override;

  io_result open() override;
  status_reading query_status() override;
  io_result write(std::span<const std::uint8_t> bytes) override;
  void close() override;
  const printer_spec& spec() const override { return spec_; }

 private:
  printer_spec spec_;
  int descriptor_ = -1;
};

}  // namespace luot::printer
