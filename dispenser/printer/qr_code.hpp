#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "printer/escpos.hpp"

namespace luot::printer {

// A QR symbol as a square of modules (without its quiet zone), made by
// libqrencode.
class qr_code {
 public:
  // nullopt when the data does not fit a QR code at that level.
  static std::optional<qr_code> encode(std::string_view data, qr_error_level level);

  // Modules per side.
  int size() const { return size_; }
  bool dark(int x, int y) const { return modules_[static_cast<std::size_t>(y * size_ + x)] != 0; }

 private:
  int size_ = 0;
  std::vector<std::uint8_t> modules_;
};

}  // namespace luot::printer
