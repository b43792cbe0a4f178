#pragma once

#include <compare>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config.hpp"
#include "luot/v1/luot.pb.h"
#include "time.hpp"
#include "waiting_index.hpp"

namespace luot::core::detail {

// Ticket ids are "T" followed by a serial that only ever grows, so they are
// unique across days and never reused. Clients treat them as opaque.
std::string ticket_id_for(std::uint64_t serial);
std::optional<std::uint64_t> ticket_serial(std::string_view ticket_id);

// How a ticket records who issued it and the client key they sent:
// "<issuer>\n<key>" (the key may be empty). Issuers are device ids,
// usernames or "address:<ip>", none of which holds a newline, so the split
// is unambiguous. Never public (views strip it).
std::string scoped_client_key(std::string_view issuer, std::string_view client_key);
// The issuer part of a stored client key; empty for keys from before
// issuers were recorded.
std::string_view issuer_of(std::string_view stored_client_key);

// The key a ticket issued at `moment` gets: milliseconds times 1000, which
// leaves room to place returned or transferred tickets between two others.
std::int64_t issue_key(timestamp moment);
std::int64_t issue_key(const v1::Ticket& ticket);

// The queue state of one service day, as folded from the event log. Knows
// nothing about commands: it only applies what already happened.
class queue_state {
 public:
  explicit queue_state(std::shared_ptr<const centre_config> config);

  void fold(const v1::Event& event);
  // Replaces everything with what an internal snapshot describes.
  void restore(const v1::Snapshot& snapshot);

  std::uint64_t seq() const { return seq_; }
  const std::string& service_day() const { return service_day_; }

  const v1::Ticket* ticket(std::string_view ticket_id) const;
  // The ticket a queue position refers to (always present while queued).
  const v1::Ticket* ticket_at(const queue_position& position) const;
  // By scoped_client_key(issuer, key).
  const v1::Ticket* ticket_by_client_key(std::string_view scoped_key) const;
  // Tickets `issuer` took in `category` this service day.
  std::uint32_t issued_today(std::string_view issuer, std::string_view category) const;
  const v1::Ticket* ticket_by_token(std::string_view status_token) const;
  // Tickets of today whose display number is `number` (several categories
  // may share one), in issue order.
  std::vector<const v1::Ticket*> tickets_numbered(std::string_view number) const;
  // Every ticket of the day, in issue order.
  const std::map<std::uint64_t, v1::Ticket>& tickets() const { return tickets_; }
  // Waiting tickets of a category, indexed for the policy's questions; null
  // when none waits.
  const category_queue* waiting(const std::string& category) const;
  const std::map<std::string, category_queue>& waiting() const { return waiting_; }
  // Today's tickets in state NO_SHOW, by serial.
  const std::set<std::uint64_t>& no_shows() const { return no_shows_; }
  // The ticket `counter_id` finished last (latest finish, then latest
  // issued), or null.
  const v1::Ticket* last_finished(std::string_view counter_id) const;

  const v1::Counter* counter(std::string_view counter_id) const;
  const counter_config* counter_config_for(std::string_view counter_id) const;
  const category_config* category(std::string_view code) const;
  const std::vector<v1::Counter>& counters() const { return counters_; }
  const std::deque<v1::Call>& recent_calls() const { return recent_calls_; }
  // The last status each device reported, by device id.
  const std::map<std::string, v1::DeviceStatus>& devices() const { return devices_; }
  const v1::EngineMemo& memo() const { return memo_; }
  const centre_config& config() const { return *config_; }

  // Ordinal the next ticket of `category` gets today.
  std::uint32_t next_ordinal(const std::string& category) const;
  // Smoothed service time of `category`, in milliseconds.
  std::int64_t average_service_ms(const std::string& category) const;
  std::uint32_t category_calls(const std::string& category) const;
  // The category's smoothed service time once `ticket` finishes at `finished`.
  std::int64_t smoothed_service_ms(const v1::Ticket& ticket, timestamp finished) const;
  // Waiting tickets of a category by kind, kept as tickets come and go so
  // the public view costs the same however long the queue.
  struct waiting_counts {
    std::uint32_t regular = 0;
    std::uint32_t priority = 0;
    // Not sent to one specific counter.
    std::uint32_t untargeted = 0;
  };
  waiting_counts counts(const std::string& category) const;

 private:
  v1::Ticket* mutable_ticket(std::string_view ticket_id);
  v1::Counter* mutable_counter(std::string_view counter_id);
  // The counter an event names, created (closed) when the config lacks it.
  v1::Counter* counter_for_event(std::string_view counter_id);
  // Adds a ticket of today to the lookups by client key, token and issuer.
  void index(const v1::Ticket& ticket, std::uint64_t serial);
  void enqueue(const v1::Ticket& ticket);
  void dequeue(const v1::Ticket& ticket);
  void remember_call(const v1::Ticket& ticket, const v1::Event& event);
  void release_from_counter(const std::string& ticket_id);
  // Sets a ticket's state, keeping the no-show list in step.
  void set_state(v1::Ticket& ticket, v1::TicketState state);
  void note_finished(const v1::Ticket& ticket, std::uint64_t serial);
  void clear_day_indexes();

  void fold_issued(const v1::Event& event);
  void fold_called(const v1::Event& event);
  void fold_recalled(const v1::Event& event);
  void fold_no_show(const v1::Event& event);
  void fold_returned(const v1::Event& event);
  void fold_parked(const v1::Event& event);
  void fold_resumed(const v1::Event& event);
  void fold_transferred(const v1::Event& event);
  void fold_finished(const v1::Event& event);
  void fold_requeued(const v1::Event& event);
  void fold_day_closed(const v1::Event& event);

  std::shared_ptr<const centre_config> config_;
  std::uint64_t seq_ = 0;
  std::string service_day_;
  std::map<std::uint64_t, v1::Ticket> tickets_;
  std::map<std::string, category_queue> waiting_;
  std::set<std::uint64_t> no_shows_;
  // By counter id: the serial of the ticket it finished last.
  std::unordered_map<std::string, std::uint64_t> last_finished_;
  // By display number: the tickets carrying it.
  std::unordered_map<std::string, std::vector<std::uint64_t>> by_number_;
  std::unordered_map<std::string, waiting_counts> counts_;
  std::unordered_map<std::string, std::uint64_t> by_client_key_;
  std::unordered_map<std::string, std::uint64_t> by_token_;
  // By "<issuer>\n<category>".
  std::unordered_map<std::string, std::uint32_t> issued_by_;
  std::vector<v1::Counter> counters_;
  std::deque<v1::Call> recent_calls_;
  std::map<std::string, v1::DeviceStatus> devices_;
  v1::EngineMemo memo_;
};

}  // namespace luot::core::detail
