#include "checker.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace luot::history {

namespace {

// The name of the oneof member an event carries ("ticket_called", ...).
std::string kind_of(const v1::Event& event) {
  const auto* field = v1::Event::descriptor()->FindFieldByNumber(event.body_case());
  return field != nullptr ? field->name() : "none";
}

// The key a client sent, from the key a ticket stores: the server may
// store it scoped to its issuer, as "issuer\nkey".
std::string sent_key(const std::string& stored) {
  const auto newline = stored.find('\n');
  return newline == std::string::npos ? stored : stored.substr(newline + 1);
}

// An event that acts at one counter, and the action that causes it.
struct counter_event {
  std::string counter;
  std::string ticket_id;
  action caused_by;
};

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

class checker {
 public:
  checker(const std::vector<operation>& operations, const server_state& server,
          std::vector<violation>& found)
      : operations_(operations), server_(server), found_(found) {
    for (const auto& event : server_.log) {
      by_seq_[event.seq()] = &event;
      if (event.has_ticket_issued()) {
        const auto& ticket = event.ticket_issued().ticket();
        issued_[ticket.id()] = &event;
        by_key_[sent_key(ticket.client_key())].push_back(&event);
      }
    }
    for (const auto& ticket : server_.snapshot.tickets()) in_snapshot_[ticket.id()] = &ticket;
  }

  void run() {
    log_is_whole();
    numbers_are_unique();
    acknowledged_tickets_survive();
    keys_give_one_ticket();
    actions_are_explained();
    snapshot_matches_log();
  }

 private:
  void report(violation_kind kind, std::string what) { found_.push_back({kind, std::move(what)}); }

  // Seqs run 1, 2, 3 ... and the view and snapshot are at the last one.
  void log_is_whole() {
    std::uint64_t expected = 1;
    for (const auto& event : server_.log) {
      if (event.seq() != expected) {
        report(violation_kind::inconsistent_state, "the log jumps from seq " +
                                                       std::to_string(expected - 1) + " to " +
                                                       std::to_string(event.seq()));
      }
      expected = event.seq() + 1;
    }
    const std::uint64_t last = server_.log.empty() ? 0 : server_.log.back().seq();
    if (server_.view.seq() != last || server_.snapshot.seq() != last) {
      report(violation_kind::inconsistent_state,
             "the log ends at seq " + std::to_string(last) + ", the view is at " +
                 std::to_string(server_.view.seq()) + " and the snapshot at " +
                 std::to_string(server_.snapshot.seq()));
    }
  }

  void numbers_are_unique() {
    // In the log: (day, category issued in, number) names one ticket.
    std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>> in_log;
    for (const auto& [id, event] : issued_) {
      const auto& ticket = event->ticket_issued().ticket();
      in_log[{event->service_day(), ticket.category(), ticket.number()}].insert(id);
    }
    for (const auto& [key, ids] : in_log) {
      if (ids.size() > 1) {
        report(violation_kind::duplicate_number, "number " + std::get<2>(key) + " of category " +
                                                     std::get<1>(key) + " on " + std::get<0>(key) +
                                                     " was issued " + std::to_string(ids.size()) +
                                                     " times in the log: " + join(ids));
      }
    }
    // As acknowledged: a number lost and issued again shows here even when
    // the log alone looks clean. The run stays within one service day.
    std::map<std::pair<std::string, std::string>, std::set<std::string>> handed_out;
    for (const auto& op : operations_) {
      if (op.what == action::take_ticket && op.result == outcome::ok)
        handed_out[{op.category, op.number}].insert(op.ticket_id);
    }
    for (const auto& [key, ids] : handed_out) {
      if (ids.size() > 1) {
        report(violation_kind::duplicate_number, "number " + key.second + " of category " +
                                                     key.first + " was handed out as " + join(ids));
      }
    }
    // In the snapshot: one ticket per number in its category of issue.
    std::map<std::pair<std::string, std::string>, std::set<std::string>> in_state;
    for (const auto& [id, ticket] : in_snapshot_) {
      const auto found = issued_.find(id);
      const auto& category = found != issued_.end()
                                 ? found->second->ticket_issued().ticket().category()
                                 : ticket->category();
      in_state[{category, ticket->number()}].insert(id);
    }
    for (const auto& [key, ids] : in_state) {
      if (ids.size() > 1) {
        report(violation_kind::duplicate_number, "number " + key.second + " of category " +
                                                     key.first + " is held by " + join(ids) +
                                                     " in the snapshot");
      }
    }
  }

  void acknowledged_tickets_survive() {
    for (const auto& op : operations_) {
      if (op.what != action::take_ticket || op.result != outcome::ok) continue;
      const auto found = issued_.find(op.ticket_id);
      if (found == issued_.end()) {
        report(violation_kind::lost_ticket, "acknowledged ticket " + op.ticket_id + " (" +
                                                op.number + ") of " + describe(op) +
                                                " is not in the log");
        continue;
      }
      const auto& ticket = found->second->ticket_issued().ticket();
      if (ticket.number() != op.number || ticket.category() != op.category ||
          sent_key(ticket.client_key()) != op.client_key) {
        report(violation_kind::lost_ticket,
               "acknowledged ticket " + op.ticket_id + " (" + op.number + ", category " +
                   op.category + ") of " + describe(op) + " is in the log as " + ticket.number() +
                   " of category " + ticket.category() + " with key " +
                   sent_key(ticket.client_key()));
      }
      const auto held = in_snapshot_.find(op.ticket_id);
      if (held == in_snapshot_.end() || held->second->number() != op.number) {
        report(violation_kind::lost_ticket, "acknowledged ticket " + op.ticket_id + " (" +
                                                op.number + ") of " + describe(op) +
                                                " is not in the snapshot");
      }
    }
  }

  void keys_give_one_ticket() {
    std::map<std::string, std::vector<const operation*>> attempts;
    for (const auto& op : operations_)
      if (op.what == action::take_ticket) attempts[op.client_key].push_back(&op);
    for (const auto& [key, ops] : attempts) {
      std::set<std::string> answered;
      std::size_t fresh = 0;
      bool may_have_happened = false;
      for (const auto* op : ops) {
        if (op->result == outcome::ok) {
          answered.insert(op->ticket_id);
          if (op->issued_now) ++fresh;
        }
        if (op->result != outcome::failed) may_have_happened = true;
      }
      if (answered.size() > 1 || fresh > 1) {
        report(violation_kind::applied_twice, "key " + key + " was answered with " +
                                                  std::to_string(answered.size()) + " tickets (" +
                                                  join(answered) + "), " + std::to_string(fresh) +
                                                  " of them issued fresh");
      }
      const auto in_log = by_key_.find(key);
      const std::size_t logged = in_log == by_key_.end() ? 0 : in_log->second.size();
      if (logged > 1) {
        std::set<std::string> ids;
        for (const auto* event : in_log->second) ids.insert(event->ticket_issued().ticket().id());
        report(violation_kind::applied_twice, "key " + key + " has " + std::to_string(logged) +
                                                  " tickets in the log: " + join(ids));
      }
      if (logged > 0 && !may_have_happened) {
        report(violation_kind::refused_but_applied,
               "key " + key + " was refused every time (" + ops.back()->detail +
                   ") yet the log has its ticket " +
                   in_log->second.front()->ticket_issued().ticket().id());
      }
    }
    for (const auto& [key, events] : by_key_) {
      if (!attempts.contains(key)) {
        for (const auto* event : events) {
          report(violation_kind::unexplained_event,
                 describe(*event) + " issued " + event->ticket_issued().ticket().number() +
                     " under key '" + key + "', which no client sent");
        }
      }
    }
  }

  // Each counter is driven by one client, one operation at a time, so its
  // events follow its operations in order: an acknowledged operation claims
  // the events it was told about; whatever is left must be explained by an
  // operation with an unknown outcome (or a sign-in, which opens the counter
  // or finds it open), at most one event each, between the acknowledged
  // operations around it.
  void actions_are_explained() {
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

  // The snapshot holds exactly the tickets the log issued that day.
  void snapshot_matches_log() {
    const auto& day = server_.snapshot.service_day();
    std::map<std::string, std::size_t> issued_per_category;
    for (const auto& [id, event] : issued_) {
      if (event->service_day() != day) continue;
      ++issued_per_category[event->ticket_issued().ticket().category()];
      if (!in_snapshot_.contains(id)) {
        report(violation_kind::inconsistent_state,
               "ticket " + id + " is in the log but not in the snapshot of " + day);
      }
    }
    for (const auto& [id, ticket] : in_snapshot_) {
      if (!issued_.contains(id)) {
        report(violation_kind::inconsistent_state, "ticket " + id + " (" + ticket->number() +
                                                       ") is in the snapshot but not in the log");
      }
    }
    for (const auto& category : server_.snapshot.categories()) {
      if (category.issued_today() != issued_per_category[category.code()]) {
        report(violation_kind::inconsistent_state,
               "category " + category.code() + " says " + std::to_string(category.issued_today()) +
                   " issued today; the log has " +
                   std::to_string(issued_per_category[category.code()]));
      }
    }
  }

  static std::string join(const std::set<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
  }

  const std::vector<operation>& operations_;
  const server_state& server_;
  std::vector<violation>& found_;
  std::map<std::uint64_t, const v1::Event*> by_seq_;
  std::map<std::string, const v1::Event*> issued_;
  std::map<std::string, std::vector<const v1::Event*>> by_key_;
  std::map<std::string, const v1::Ticket*> in_snapshot_;
};

}  // namespace

std::string_view to_string(violation_kind kind) {
  switch (kind) {
    case violation_kind::duplicate_number:
      return "duplicate number";
    case violation_kind::lost_ticket:
      return "lost ticket";
    case violation_kind::lost_action:
      return "lost action";
    case violation_kind::applied_twice:
      return "applied twice";
    case violation_kind::refused_but_applied:
      return "refused but applied";
    case violation_kind::unexplained_event:
      return "unexplained event";
    case violation_kind::inconsistent_state:
      return "inconsistent state";
    case violation_kind::mirror_gap:
      return "mirror gap";
    case violation_kind::mirror_repeat:
      return "mirror repeat";
    case violation_kind::mirror_regressed:
      return "mirror regressed";
    case violation_kind::mirror_diverged:
      return "mirror diverged";
  }
  return "?";
}

std::vector<violation> check(const std::vector<operation>& operations, const server_state& server,
                             const std::vector<mirror_trace>& mirrors) {
  std::vector<violation> found;
  checker(operations, server, found).run();
  check_mirrors(mirrors, server.view, found);
  return found;
}

}  // namespace luot::history
