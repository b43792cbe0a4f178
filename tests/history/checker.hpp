#pragma once

// The checker: judges a run's history against the server's state at the
// end. It knows the promises, not the queue rules:
//  - no number is issued twice in a category on one day;
//  - every acknowledged ticket and action is in the log (and every ticket in
//    the snapshot) after the last restart;
//  - a take-ticket key gives at most one ticket, however often it is
//    retried; every event in the log is explained by exactly one operation
//    that may have caused it (acknowledged ones by the seqs they were told,
//    unknown ones at most once each, in their counter's order), so nothing
//    happened twice and nothing refused happened;
//  - every mirror applied the stream without a gap or a repeat (a whole View
//    may replace it, never with an older seq) and ends equal to the
//    server's view.

#include <string>
#include <string_view>
#include <vector>

#include "history.hpp"

namespace luot::history {

enum class violation_kind {
  // Two tickets share a number in one category on one day.
  duplicate_number,
  // An acknowledged ticket is missing from the log or the snapshot, or is
  // there with another number.
  lost_ticket,
  // An acknowledged action's event is missing from the log.
  lost_action,
  // One take-ticket key gave two tickets.
  applied_twice,
  // An operation that failed (refused, or never delivered) has an event.
  refused_but_applied,
  // An event in the log that no operation explains (an action applied
  // twice, or out of its counter's order).
  unexplained_event,
  // The log, the snapshot and the view disagree.
  inconsistent_state,
  // A mirror skipped seqs.
  mirror_gap,
  // A mirror was given an update it already had.
  mirror_repeat,
  // A mirror was replaced by a view older than what it had applied.
  mirror_regressed,
  // A mirror ended elsewhere than the server's view.
  mirror_diverged,
};

std::string_view to_string(violation_kind kind);

struct violation {
  violation_kind kind;
  std::string what;
};

std::vector<violation> check(const std::vector<operation>& operations, const server_state& server,
                             const std::vector<mirror_trace>& mirrors);

// The part about mirrors alone (checker_mirrors.cpp).
void check_mirrors(const std::vector<mirror_trace>& mirrors, const v1::View& server_view,
                   std::vector<violation>& found);

}  // namespace luot::history
