#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config.hpp"

namespace luot::core {

// Turns a category's daily ordinals (1, 2, 3, ...) into the display numbers
// citizens see and hear, and says when a category's numbers are used up.
class numbering {
 public:
  explicit numbering(const category_config& category) : category_(&category) {}

  // The display number of `ordinal`, or nothing when that ordinal is beyond
  // the daily limit or the numeric block.
  std::optional<std::string> display(std::uint32_t ordinal) const;

  // True when `ordinal` can no longer be handed out today.
  bool exhausted(std::uint32_t ordinal) const { return !display(ordinal).has_value(); }

 private:
  const category_config* category_;
};

}  // namespace luot::core
