#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace luot::config {

// An IPv4 or IPv6 address with a prefix length: "10.0.0.0/8", "::1", or a
// single address (the whole length). For `[server] trusted_proxies`.
class address_range {
 public:
  // Nullopt when `text` is not an address, optionally followed by /length
  // within the address's size.
  static std::optional<address_range> parse(std::string_view text);

  // True when `address` (textual, as a socket reports it) lies inside. An
  // IPv4 address mapped into IPv6 (::ffff:a.b.c.d) counts as IPv4.
  bool contains(std::string_view address) const;

  const std::string& text() const { return text_; }

 private:
  std::array<std::uint8_t, 16> bytes_{};
  bool v4_ = true;
  unsigned prefix_ = 0;
  std::string text_;
};

}  // namespace luot::config
