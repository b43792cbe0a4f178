#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::view {

// What applying one View or ViewUpdate changed, so a screen redraws only
// what it must and a display announces each call once.
struct change {
  bool categories = false;
  bool counters = false;
  bool calls = false;
  bool ticket = false;
  bool devices = false;
  // The whole view was replaced (first view, or a resync).
  bool replaced = false;
  // A call or recall that the mirror had not seen before (by seq).
  std::optional<v1::Call> new_call;
};

// A local copy of the centre's public view, kept current by replacing
// records: categories by code, counters by id, the watched ticket whole; a
// call goes to the front of the recent calls. It knows no queue rule; the
// server decides every value. Not thread-safe: one owner at a time.
class mirror {
 public:
  // Replaces everything with `view`. Calls in it newer than the last call
  // this mirror saw are reported in `calls_since` (oldest first), so a
  // device that resynced can still show (and decide whether to announce)
  // what it missed.
  change reset(const v1::View& view, std::vector<v1::Call>* calls_since = nullptr);

  // Applies one update. An update older than the view (a repeat after a
  // resync) changes nothing; a clock update repeating the current seq does.
  change apply(const v1::ViewUpdate& update);

  bool has_view() const { return has_view_; }
  std::uint64_t seq() const { return view_.seq(); }
  const v1::View& view() const { return view_; }
  // The seq of the newest call this mirror has seen (0 before any).
  std::uint64_t last_call_seq() const { return last_call_seq_; }

  const v1::Category* category(std::string_view code) const;
  const v1::Counter* counter(std::string_view id) const;

 private:
  v1::View view_;
  bool has_view_ = false;
  std::uint64_t last_call_seq_ = 0;
};

}  // namespace luot::view
