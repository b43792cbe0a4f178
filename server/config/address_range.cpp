#include "config/address_range.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace luot::config {

namespace {

// The address as 4 or 16 bytes; IPv4-mapped IPv6 becomes its IPv4 form.
bool parse_address(std::string_view text, std::array<std::uint8_t, 16>& bytes, bool& v4) {
  if (text.empty() || text.size() > 45) return false;
  const std::string copy(text);
  bytes.fill(0);
  if (::inet_pton(AF_INET, copy.c_str(), bytes.data()) == 1) {
    v4 = true;
    return true;
  }
  if (::inet_pton(AF_INET6, copy.c_str(), bytes.data()) != 1) return false;
  static constexpr std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes.data(), mapped, sizeof mapped) == 0) {
    std::memmove(bytes.data(), bytes.data() + 12, 4);
    std::memset(bytes.data() + 4, 0, 12);
    v4 = true;
    return true;
  }
  v4 = false;
  return true;
}

}  // namespace

std::optional<address_range> address_range::parse(std::string_view text) {
  address_range range;
  range.text_ = std::string(text);
  const auto slash = text.find('/');
  if (!parse_address(text.substr(0, slash), range.bytes_, range.v4_)) return std::nullopt;
  const unsigned bits = range.v4_ ? 32 : 128;
  range.prefix_ = bits;
  if (slash != std::string_view::npos) {
    const auto length = text.substr(slash + 1);
    unsigned prefix = 0;
    const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), prefix);
    if (length.empty() || error != std::errc{} || end != length.data() + length.size() ||
        prefix > bits) {
      return std::nullopt;
    }
    range.prefix_ = prefix;
  }
  return range;
}

bool address_range::contains(std::string_view address) const {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
  if (!parse_address(address, bytes, v4) || v4 != v4_) return false;
  unsigned left = prefix_;
  for (std::size_t index = 0; left > 0; ++index) {
    const unsigned take = left >= 8 ? 8 : left;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
    if ((bytes[index] & mask) != (bytes_[index] & mask)) return false;
    left -= take;
  }
  return true;
}

}  // namespace luot::config
