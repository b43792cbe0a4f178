#pragma once

#include <functional>
#include <string_view>

#include "config/settings.hpp"
#include "core/result.hpp"
#include "net/api/router.hpp"
#include "net/auth.hpp"
#include "net/backend.hpp"
#include "net/device_presence.hpp"
#include "net/metrics.hpp"
#include "net/rate_limiter.hpp"
#include "net/session_registry.hpp"
#include "net/view_cache.hpp"

namespace luot::net {

// What every session shares; owned by the server and outliving every session.
struct shared_state {
  const config::server_settings& limits;
  auth& authority;
  rate_limiter& limiter;
  metrics& counters;
  backend& services;
  api::request_handler& routes;
  session_registry& sessions;
  // Subscribe requests per remote address.
  rate_limiter& subscribe_limiter;
  view_cache& views;
  // Which devices are connected, for the manager's monitor.
  device_presence& presence;
  // The state of the sessions a WebSocket upgrade of `path` (the target
  // without its query) is for, or the refusal to answer: with several
  // centres, /api/v1/centres/{centre}/ws picks the centre. Empty: only
  // /api/v1/ws, with this state.
  std::function<core::result<shared_state*>(std::string_view path)> websocket_route;
};

// Where a WebSocket upgrade of `path` goes (see websocket_route).
inline core::result<shared_state*> websocket_state(shared_state& state, std::string_view path) {
  if (state.websocket_route) return state.websocket_route(path);
  if (path != "/api/v1/ws") return core::make_error(v1::ERROR_CODE_NOT_FOUND, {std::string(path)});
  return &state;
}

}  // namespace luot::net
