#pragma once

#include "config/settings.hpp"
#include "net/api/router.hpp"
#include "net/auth.hpp"
#include "net/backend.hpp"
#include "net/metrics.hpp"
#include "net/rate_limiter.hpp"
#include "net/session_registry.hpp"

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
};

}  // namespace luot::net
