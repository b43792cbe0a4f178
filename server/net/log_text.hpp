#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace luot::net {

// Text from outside (a WebSocket hello's client name, a username, a request
// path) made safe to write into the log: control characters, including
// newlines, are shown as escapes (\n, \x1b, \u2028) and bytes that are not
// UTF-8 as \xNN, so no client can forge a log line or send escape codes to
// an operator's terminal; and it is cut after `limit` characters with "…",
// so no client can make one line large.
inline constexpr std::size_t log_text_limit = 80;
std::string log_text(std::string_view text, std::size_t limit = log_text_limit);

// Text from outside made safe to echo back in an error: bytes that are not
// UTF-8 become U+FFFD (a protobuf string must be UTF-8, and a reply must
// not carry what the client's own decoder chokes on), cut after `limit`
// characters with "…".
inline constexpr std::size_t echo_text_limit = 200;
std::string echo_text(std::string_view text, std::size_t limit = echo_text_limit);
// An unknown status token is echoed by its first characters only: enough
// for a citizen to compare with the link they hold, in either language,
// without repeating a whole credential back.
inline constexpr std::size_t status_token_echo_limit = 8;

// Routes libprotobuf's own log lines (it reports, e.g., invalid UTF-8 in a
// string field of every message it fails to parse) into spdlog at debug
// level, escaped, instead of printing each to stderr: an anonymous client
// sending bad bodies must not make the server log without bound. The
// caller already answers such input with a clear error. Idempotent.
void route_protobuf_log();

}  // namespace luot::net
