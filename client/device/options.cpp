#include "device/options.hpp"

#include "device/server_url.hpp"

namespace luot::device {

std::optional<std::string> check(const options& settings) {
  if (auto parsed = parse_server_url(settings.server_url); !parsed.url) return parsed.error;
  if (settings.ping_interval <= std::chrono::milliseconds::zero()) {
    return "ping interval must be positive";
  }
  if (settings.ping_timeout <= settings.ping_interval) {
    return "ping timeout must be longer than the ping interval";
  }
  if (settings.backoff_initial <= std::chrono::milliseconds::zero()) {
    return "initial backoff must be positive";
  }
  if (settings.backoff_max < settings.backoff_initial) {
    return "maximum backoff must not be below the initial backoff";
  }
  if (settings.connect_timeout <= std::chrono::milliseconds::zero()) {
    return "connect timeout must be positive";
  }
  if (settings.outgoing_queue_limit < 4) return "outgoing queue limit must be at least 4";
  if (settings.message_limit < 1024) return "message limit must be at least 1024 bytes";
  return std::nullopt;
}

std::string_view to_string(connection_state state) {
  switch (state) {
    case connection_state::stopped:
      return "stopped";
    case connection_state::connecting:
      return "connecting";
    case connection_state::syncing:
      return "syncing";
    case connection_state::live:
      return "live";
    case connection_state::disconnected:
      return "disconnected";
  }
  return "unknown";
}

std::string_view to_string(call_origin origin) {
  switch (origin) {
    case call_origin::live:
      return "live";
    case call_origin::missed:
      return "missed";
    case call_origin::before_start:
      return "before_start";
  }
  return "unknown";
}

}  // namespace luot::device
