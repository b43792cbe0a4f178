// The checker's part about mirrors: each subscribed device client applied
// the stream in order, without a gap or a repeat, across every reconnect,
// and ended equal to the server's view.
#include <google/protobuf/util/message_differencer.h>

#include "checker.hpp"

namespace luot::history {

namespace {

// Past this many, a mirror's further gaps and repeats are counted, not listed.
constexpr std::size_t listed_per_mirror = 5;

// The view without the moment it was taken: a mirror that resumed carries
// the time of its last update, a view built after a restart the time of the
// restart.
v1::View comparable(v1::View view) {
  view.clear_at();
  return view;
}

void check_steps(const mirror_trace& trace, std::vector<violation>& found) {
  std::size_t listed = 0;
  std::size_t unlisted = 0;
  const auto report = [&](violation_kind kind, std::string what) {
    if (listed++ < listed_per_mirror) {
      found.push_back({kind, trace.subscriber + ": " + std::move(what)});
    } else {
      ++unlisted;
    }
  };
  const mirror_step* previous = nullptr;
  for (const auto& step : trace.steps) {
    const std::string where = " (round " + std::to_string(step.round) + ")";
    if (previous == nullptr) {
      if (!step.replaced)
        report(violation_kind::mirror_gap,
               "applied an update at seq " + std::to_string(step.seq) + " before any view" + where);
    } else if (step.replaced) {
      // A resync: the whole view stands for everything up to its seq, but a
      // server that lost what the mirror already showed must not be hidden.
      if (step.seq < previous->seq) {
        report(violation_kind::mirror_regressed,
               "was replaced by a view at seq " + std::to_string(step.seq) +
                   " after applying seq " + std::to_string(previous->seq) + where);
      }
    } else if (step.seq > previous->seq + 1) {
      report(violation_kind::mirror_gap,
             "went from seq " + std::to_string(previous->seq) + " to " + std::to_string(step.seq) +
                 ", missing " + std::to_string(step.seq - previous->seq - 1) + " updates" + where);
    } else if (step.seq < previous->seq || (step.seq == previous->seq && !step.changed)) {
      // The same seq again is a clock update only if it changed something.
      report(violation_kind::mirror_repeat, "was given seq " + std::to_string(step.seq) +
                                                " again after seq " +
                                                std::to_string(previous->seq) + where);
    }
    previous = &step;
  }
  if (unlisted > 0) {
    found.push_back(
        {violation_kind::mirror_gap,
         trace.subscriber + ": " + std::to_string(unlisted) + " more gaps or repeats not listed"});
  }
}

}  // namespace

void check_mirrors(const std::vector<mirror_trace>& mirrors, const v1::View& server_view,
                   std::vector<violation>& found) {
  for (const auto& trace : mirrors) {
    check_steps(trace, found);
    if (!trace.final_view) {
      found.push_back({violation_kind::mirror_diverged, trace.subscriber + ": never had a view"});
      continue;
    }
    if (trace.final_view->seq() != server_view.seq()) {
      found.push_back({violation_kind::mirror_diverged,
                       trace.subscriber + ": ended at seq " +
                           std::to_string(trace.final_view->seq()) + ", the server at " +
                           std::to_string(server_view.seq())});
      continue;
    }
    std::string difference;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&difference);
    if (!differencer.Compare(comparable(server_view), comparable(*trace.final_view))) {
      constexpr std::size_t shown = 2000;
      if (difference.size() > shown) difference = difference.substr(0, shown) + "...";
      found.push_back({violation_kind::mirror_diverged,
                       trace.subscriber + ": at seq " + std::to_string(server_view.seq()) +
                           " differs from the server's view (server first):\n" + difference});
    }
  }
}

}  // namespace luot::history
