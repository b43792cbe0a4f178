#pragma once

#include <optional>

#include "engine.hpp"
#include "luot/v1/luot.pb.h"

namespace luot::core {

// The update that brings a mirror holding `before` to the engine's public
// view once `event` (already folded into `engine`) happened: the categories
// and counters whose records differ, and the call it made. Derived values
// are computed for the event's own moment, so replaying a log projects the
// same updates.
v1::ViewUpdate project(const engine& engine, const v1::Event& event, const v1::View& before);

// What the clock alone changed since `before` (opening hours began or ended,
// the noon break): the categories whose records differ at `now`, or nothing.
std::optional<v1::ViewUpdate> refresh(const engine& engine, timestamp now, const v1::View& before);

// The public view of one ticket for the holder of its status token: itself
// and its category. Empty when no ticket of today has that token.
std::optional<v1::View> ticket_view(const engine& engine, std::string_view status_token,
                                    timestamp now);

}  // namespace luot::core
