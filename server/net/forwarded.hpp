#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/address_range.hpp"

namespace luot::net {

// The address a request came from, for per-address limits and the log.
// `peer` is the socket's own; when it is one of the `trusted` proxies,
// `forwarded_for` (the X-Forwarded-For values, joined by commas) is read
// from its right end: trusted proxies are skipped and the first other
// address is the client's. Whatever an untrusted peer writes in the header
// is ignored, and so is anything left of the first entry that is not an
// address: a client can add entries at the left end, never at the right.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<config::address_range>& trusted);

}  // namespace luot::net
