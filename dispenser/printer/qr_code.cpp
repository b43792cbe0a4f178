#include "printer/qr_code.hpp"

#include <qrencode.h>

#include <memory>
#include <string>

namespace luot::printer {

namespace {

QRecLevel to_qrencode(qr_error_level level) {
  switch (level) {
    case qr_error_level::low:
      return QR_ECLEVEL_L;
    case qr_error_level::medium:
      return QR_ECLEVEL_M;
    case qr_error_level::quartile:
      return QR_ECLEVEL_Q;
    case qr_error_level::high:
      return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

}  // namespace

std::optional<qr_code> qr_code::encode(std::string_view data, qr_error_level level) {
  const std::string terminated(data);
  // Version 0 lets libqrencode pick the smallest symbol that holds the data;
  // 8-bit mode keeps a URL's case exactly.
  std::unique_ptr<QRcode, decltype(&QRcode_free)> symbol(
      QRcode_encodeString8bit(terminated.c_str(), 0, to_qrencode(level)), &QRcode_free);
  if (!symbol) return std::nullopt;
  qr_code code;
  code.size_ = symbol->width;
  const auto count =
      static_cast<std::size_t>(symbol->width) * static_cast<std::size_t>(symbol->width);
  code.modules_.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    // The lowest bit of each byte is the module's colour; the others describe
    // its role in the symbol.
    code.modules_[i] = symbol->data[i] & 1;
  }
  return code;
}

}  // namespace luot::printer
