#include "numbering.hpp"

namespace luot::core {

std::optional<std::string> numbering::display(std::uint32_t ordinal) const {
  const auto& format = category_->format;
  if (ordinal == 0) return std::nullopt;
  if (category_->daily_limit != 0 && ordinal > category_->daily_limit) return std::nullopt;
  if (format.style == number_format::kind::block) {
    // The block is inclusive at both ends: 1001..1999 holds 999 numbers.
    const std::uint64_t shown = std::uint64_t{format.first} + ordinal - 1;
    if (shown > format.last) return std::nullopt;
    return std::to_string(shown);
  }
  // Prefix style has no implicit end: past the padded width the number simply
  // grows a digit ("A999", "A1000"), so a busy day never runs out of numbers
  // unless the manager set a daily limit.
  std::string digits = std::to_string(ordinal);
  if (digits.size() < format.width) digits.insert(0, format.width - digits.size(), '0');
  return format.prefix + digits;
}

}  // namespace luot::core
