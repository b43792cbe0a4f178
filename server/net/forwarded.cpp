#include "net/forwarded.hpp"

#include <algorithm>

namespace luot::net {

namespace {

bool trusted_by(const std::vector<config::address_range>& trusted, std::string_view address) {
  return std::any_of(trusted.begin(), trusted.end(),
                     [&](const config::address_range& range) { return range.contains(address); });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One X-Forwarded-For entry as a bare address: "[2001:db8::1]:443" and
// "192.0.2.7:5000" lose their brackets and port. Empty when it is not an
// address at all.
std::string_view bare_address(std::string_view entry) {
  entry = trim(entry);
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return {};
    entry = entry.substr(1, close - 1);
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
    entry = entry.substr(0, entry.find(':'));
  }
  if (entry.find('/') != std::string_view::npos || !config::address_range::parse(entry)) return {};
  return entry;
}

}  // namespace

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<config::address_range>& trusted) {
  std::string_view client = peer;
  if (!trusted_by(trusted, client)) return std::string(client);
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto entry = bare_address(
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    if (entry.empty()) break;
    client = entry;
    if (!trusted_by(trusted, client)) break;
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
  }
  return std::string(client);
}

}  // namespace luot::net
