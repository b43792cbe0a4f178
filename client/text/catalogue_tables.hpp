#pragma once

#include <span>
#include <string_view>
#include <utility>

namespace luot::text::detail {

using entry = std::pair<std::string_view, std::string_view>;

// The raw tables, one per language.
std::span<const entry> vietnamese();
std::span<const entry> english();

}  // namespace luot::text::detail
