#pragma once

#include "config/settings.hpp"
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
  api::router& routes;
  session_registry& sessions;
  // Subscribe requests per remote address.
  rate_limiter& subscribe_limiter;
  view_cache& views;
  // Which devices are connected, for the manager's monitor.
  device_presence& presence;
};

}  // namespace luot::net
