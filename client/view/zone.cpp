#include "view/zone.hpp"

#include <algorithm>

namespace luot::view {

zone::zone(const std::vector<std::string>& counters) : counters_(counters.begin(), counters.end()) {
  for (const auto& counter : counters_) key_ += counter + "\n";
}

zone zone::narrowed(const std::vector<std::string>& wanted) const {
  if (wanted.empty()) return *this;
  if (whole_centre()) return zone(wanted);
  std::vector<std::string> both;
  for (const auto& counter : wanted)
    if (counters_.contains(counter)) both.push_back(counter);
  // Narrowing to nothing the device may see still sees nothing, never all.
  if (both.empty()) both.push_back("\n");
  return zone(both);
}

std::set<std::string> zone::served_categories(const v1::View& view) const {
  std::set<std::string> served;
  for (const auto& counter : view.counters())
    if (counters_.contains(counter.id()))
      served.insert(counter.categories().begin(), counter.categories().end());
  return served;
}

void zone::learn(const v1::View& view) {
  categories_ = served_categories(view);
}

v1::View zone::filter(const v1::View& view) const {
  if (whole_centre()) return view;
  v1::View part = view;
  const auto served = served_categories(view);
  part.clear_categories();
  for (const auto& category : view.categories())
    if (served.contains(category.code())) *part.add_categories() = category;
  part.clear_counters();
  for (const auto& counter : view.counters())
    if (counters_.contains(counter.id())) *part.add_counters() = counter;
  part.clear_recent_calls();
  for (const auto& call : view.recent_calls())
    if (counters_.contains(call.counter())) *part.add_recent_calls() = call;
  part.clear_zone();
  for (const auto& counter : counters_) part.add_zone(counter);
  return part;
}

std::optional<v1::ViewUpdate> zone::filter(const v1::ViewUpdate& update) const {
  if (whole_centre()) return update;
  v1::ViewUpdate part = update;
  part.clear_categories();
  for (const auto& category : update.categories())
    if (categories_.contains(category.code())) *part.add_categories() = category;
  part.clear_counters();
  for (const auto& counter : update.counters())
    if (counters_.contains(counter.id())) *part.add_counters() = counter;
  if (update.has_call() && !counters_.contains(update.call().counter())) part.clear_call();
  // Device statuses concern the whole hall, so every zone sees them.
  const bool empty = part.categories().empty() && part.counters().empty() && !part.has_call() &&
                     !part.day_closed() && part.devices().empty();
  if (empty) return std::nullopt;
  return part;
}

}  // namespace luot::view
