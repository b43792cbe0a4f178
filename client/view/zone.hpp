#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::view {

// A part of the hall: some counters, and the categories they serve. A hall
// screen of zone A sees only its counters, their calls and their
// categories. An empty zone is the whole centre.
class zone {
 public:
  zone() = default;
  // `counters` in any order; duplicates are ignored.
  explicit zone(const std::vector<std::string>& counters);

  bool whole_centre() const { return counters_.empty(); }
  const std::set<std::string>& counters() const { return counters_; }
  // A stable name for caching encodings per zone ("" for the whole centre).
  const std::string& key() const { return key_; }
  // The counters of `wanted` that are also in this zone (all of `wanted`
  // for the whole centre; this zone when `wanted` is empty).
  zone narrowed(const std::vector<std::string>& wanted) const;

  // Learns which categories the zone's counters serve from a view's
  // counter records (they never change while the server runs).
  void learn(const v1::View& view);

  // The part of a view this zone sees: its counters, their calls and the
  // categories they serve (learnt from this view).
  v1::View filter(const v1::View& view) const;
  // The part of an update this zone sees (call learn first). Empty when
  // nothing in it concerns the zone.
  std::optional<v1::ViewUpdate> filter(const v1::ViewUpdate& update) const;

 private:
  std::set<std::string> served_categories(const v1::View& view) const;

  std::set<std::string> counters_;
  std::set<std::string> categories_;
  std::string key_;
};

}  // namespace luot::view
