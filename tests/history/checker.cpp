#include "checker.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "checker_parts.hpp"

namespace luot::history {

namespace {

using detail::describe;

// The key a client sent, from the key a ticket stores: the server may
// store it scoped to its issuer, as "issuer\nkey".
std::string sent_key(const std::string& stored) {
  const auto newline = stored.find('\n');
  return newline == std::string::npos ? stored : stored.substr(newline + 1);
}

class checker {
 public:
  checker(const std::vector<operation>& operations, const server_state& server,
          std::vector<violation>& found)
      : operations_(operations), server_(server), found_(found) {
    for (const auto& event : server_.log) {
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
    detail::check_actions(operations_, server_, found_);
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
