// The checker's part about actions at counters: each counter is driven by
// one client, one operation at a time, so its events follow its operations
// in order. An acknowledged operation claims the events it was told about;
// whatever is left must be explained by an operation with an unknown outcome
// (or a sign-in, which opens the counter or finds it open), at most one
// event each, between the acknowledged operations around it.
#include <algorithm>
#include <limits>
#include <map>

#include "checker_parts.hpp"

namespace luot::history::detail {

std::string kind_of(const v1::Event& event) {
  const auto* field = v1::Event::descriptor()->FindFieldByNumber(event.body_case());
  return field != nullptr ? field->name() : "none";
}

std::optional<counter_event> at_counter(const v1::Event& event) {
  switch (event.body_case()) {
    case v1::Event::kTicketCalled:
      return counter_event{event.ticket_called().counter(), event.ticket_called().ticket_id(),
                           action::call_next};
    case v1::Event::kTicketRecalled:
      return counter_event{event.ticket_recalled().counter(), event.ticket_recalled().ticket_id(),
                           action::recall};
    case v1::Event::kTicketFinished:
      return counter_event{event.ticket_finished().counter(), event.ticket_finished().ticket_id(),
                           action::finish};
    case v1::Event::kTicketTransferred:
      return counter_event{event.ticket_transferred().from_counter(),
                           event.ticket_transferred().ticket_id(), action::transfer};
    case v1::Event::kTicketNoShow:
      return counter_event{event.ticket_no_show().counter(), event.ticket_no_show().ticket_id(),
                           action::no_show};
    case v1::Event::kCounterOpened:
      return counter_event{event.counter_opened().counter(), "", action::sign_in};
    default:
      return std::nullopt;
  }
}

std::string describe(const operation& op) {
  std::string text = std::string(to_string(op.what)) + " #" + std::to_string(op.id) + " by " +
                     op.client + " in round " + std::to_string(op.round);
  if (!op.client_key.empty()) text += " (key " + op.client_key + ")";
  return text;
}

std::string describe(const v1::Event& event) {
  std::string text = "event seq " + std::to_string(event.seq()) + " (" + kind_of(event);
  if (const auto acting = at_counter(event)) {
    text += " at counter " + acting->counter;
    if (!acting->ticket_id.empty()) text += ", ticket " + acting->ticket_id;
  }
  return text + ")";
}

namespace {

class action_checker {
 public:
  action_checker(const std::vector<operation>& operations, const server_state& server,
                 std::vector<violation>& found)
      : operations_(operations), server_(server), found_(found) {
    for (const auto& event : server_.log) by_seq_[event.seq()] = &event;
  }

  void run() {
    std::map<std::string, std::vector<const operation*>> by_counter;
    for (const auto& op : operations_)
      if (op.what != action::take_ticket) by_counter[op.counter].push_back(&op);

    std::map<std::uint64_t, const operation*> claimed;
    for (const auto& op : operations_) {
      if (op.what == action::take_ticket || op.what == action::sign_in) continue;
      if (op.result == outcome::ok) claim_acknowledged(op, claimed);
    }

    std::map<std::string, std::vector<const v1::Event*>> left;
    for (const auto& event : server_.log) {
      if (event.has_ticket_issued() || claimed.contains(event.seq())) continue;
      const auto acting = at_counter(event);
      if (!acting) {
        report(violation_kind::unexplained_event, describe(event) + " matches no operation");
        continue;
      }
      left[acting->counter].push_back(&event);
    }
    for (const auto& [counter, events] : left) explain(counter, events, by_counter[counter]);
  }

  void claim_acknowledged(const operation& op, std::map<std::uint64_t, const operation*>& claimed) {
    bool found = false;
    for (const auto seq : op.seqs) {
      const auto event = by_seq_.find(seq);
      if (event == by_seq_.end()) continue;
      if (const auto [earlier, added] = claimed.emplace(seq, &op); !added) {
        report(violation_kind::inconsistent_state,
               describe(*event->second) + " was acknowledged to both " +
                   describe(*earlier->second) + " and " + describe(op));
      }
      const auto acting = at_counter(*event->second);
      if (acting && acting->caused_by == op.what && acting->counter == op.counter &&
          (op.ticket_id.empty() || acting->ticket_id == op.ticket_id))
        found = true;
    }
    if (!found) {
      std::string seqs;
      for (const auto seq : op.seqs) seqs += (seqs.empty() ? "" : ", ") + std::to_string(seq);
      report(violation_kind::lost_action, "acknowledged " + describe(op) + " at counter " +
                                              op.counter + " on ticket " + op.ticket_id +
                                              " (seqs " + (seqs.empty() ? "none" : seqs) +
                                              ") has no such event in the log");
    }
  }

  void explain(const std::string& counter, const std::vector<const v1::Event*>& events,
               const std::vector<const operation*>& ops) {
    // The seqs of the acknowledged operations around each operation bound
    // where its own event can be.
    std::vector<std::uint64_t> after(ops.size(), 0);
    std::vector<std::uint64_t> before(ops.size(), std::numeric_limits<std::uint64_t>::max());
    std::uint64_t highest = 0;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      after[i] = highest;
      if (ops[i]->result == outcome::ok && !ops[i]->seqs.empty())
        highest = std::max(highest, *std::max_element(ops[i]->seqs.begin(), ops[i]->seqs.end()));
    }
    std::uint64_t lowest = std::numeric_limits<std::uint64_t>::max();
    for (std::size_t i = ops.size(); i-- > 0;) {
      before[i] = lowest;
      if (ops[i]->result == outcome::ok && !ops[i]->seqs.empty())
        lowest = std::min(lowest, *std::min_element(ops[i]->seqs.begin(), ops[i]->seqs.end()));
    }
    std::size_t next = 0;
    for (const auto* event : events) {
      const auto acting = *at_counter(*event);
      std::optional<std::size_t> match;
      for (std::size_t i = next; i < ops.size(); ++i) {
        const auto& op = *ops[i];
        if (after[i] >= event->seq()) break;
        if (op.what != acting.caused_by || before[i] <= event->seq()) continue;
        const bool open_ended = op.result == outcome::unknown || op.result == outcome::invoked;
        if (open_ended || (op.what == action::sign_in && op.result == outcome::ok)) {
          match = i;
          break;
        }
      }
      if (match) {
        next = *match + 1;
        continue;
      }
      report(violation_kind::unexplained_event,
             describe(*event) + " matches no operation at counter " + counter +
                 " that could have caused it: an action happened twice, or one that failed "
                 "happened");
    }
  }

 private:
  void report(violation_kind kind, std::string what) { found_.push_back({kind, std::move(what)}); }

  const std::vector<operation>& operations_;
  const server_state& server_;
  std::vector<violation>& found_;
  std::map<std::uint64_t, const v1::Event*> by_seq_;
};

}  // namespace

void check_actions(const std::vector<operation>& operations, const server_state& server,
                   std::vector<violation>& found) {
  action_checker(operations, server, found).run();
}

}  // namespace luot::history::detail
