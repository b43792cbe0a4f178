#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "luot/v1/luot.pb.h"
#include "result.hpp"
#include "time.hpp"

namespace luot::core {

// Supplies unguessable status tokens for new tickets. The server passes a
// libsodium-backed source; tests pass a deterministic one. Tokens end up in
// the events, so replay never calls it.
using token_source = std::function<std::string()>;

// Whether an issuer's rate limit (decided by the network layer, before the
// command reaches the engine) still allows it a new ticket.
enum class rate_state { within_limit, spent };

// What an issuer may still take.
struct ticket_allowance {
  // When spent, a retry of a ticket the issuer already holds (same client
  // key) is still answered; anything new is refused with RATE_LIMITED.
  rate_state rate = rate_state::within_limit;
  // The share (percent) of a category's daily numbers the issuer may take
  // in a service day, for categories whose numbers can run out (a daily
  // limit or a numeric block); 0 or 100 for no cap. The engine counts the
  // issuer's tickets from the log, so the cap holds across restarts.
  std::uint32_t category_share_percent = 0;
};

// Who issues a command: recorded in every event as its actor.
struct actor {
  explicit actor(std::string who = "anonymous", std::string scope = {},
                 ticket_allowance allowed = {})
      : name(std::move(who)), issuer(std::move(scope)), allowance(allowed) {}

  std::string name;
  // Whom client keys and the category share belong to: a device, a member of
  // staff, or "address:<ip>" for an anonymous caller; empty means `name`.
  // A client key is looked up among its issuer's tickets only, so a guessed
  // key never returns someone else's ticket or status token.
  std::string issuer;
  ticket_allowance allowance;
};

// What a command decided: the events to append, plus the ticket and counter
// it concerns so the caller can build a reply once they are folded.
struct decision {
  std::vector<v1::Event> events;
  std::string ticket_id;
  std::string counter_id;
};

// Whether a view of the state may include secrets (status tokens and client
// keys): the store's snapshots do, anything sent to clients does not.
enum class visibility { public_view, internal };

// The pure queue engine: commands and time come in, events come out, and the
// state is a fold over the events. No I/O, no clock, no threads; one owner
// calls it at a time.
class engine {
 public:
  engine(centre_config config, token_source tokens);
  ~engine();
  engine(engine&&) noexcept;
  engine& operator=(engine&&) noexcept;

  // Decides what `command` does at `now` without changing anything. The
  // events carry seq numbers continuing from seq(). Requires that the
  // service day of `now` is the engine's day (see roll_over).
  result<decision> apply(const v1::Command& command, timestamp now, const actor& who) const;

  // The DayClosed event due at `now`, if the service day has moved forward
  // since the last event; empty otherwise (also when the clock stepped back). On a fresh engine it
  // returns nothing and the first event opens the day.
  std::vector<v1::Event> roll_over(timestamp now) const;

  // Folds one event into the state. Events must come in seq order.
  void fold(const v1::Event& event);

  // roll_over, then apply, folding every event; returns all of them. When
  // the day rolls over but the command is refused, nothing is folded: the
  // day closes with the next accepted command (or when the caller folds
  // roll_over's events itself, e.g. from a timer).
  result<decision> execute(const v1::Command& command, timestamp now, const actor& who);

  // Restores the state a snapshot (of visibility::internal) describes.
  void restore(const v1::Snapshot& snapshot);

  // Queries. Derived fields (people ahead, estimated wait, category status)
  // are computed for `now`.
  std::uint64_t seq() const;
  const std::string& service_day() const;
  v1::Snapshot snapshot(timestamp now, visibility view) const;
  std::optional<v1::Ticket> find_ticket(std::string_view ticket_id, timestamp now,
                                        visibility view) const;
  // Any ticket of the current day, in its public view (the caller already
  // holds the token; nothing secret is echoed back).
  std::optional<v1::Ticket> find_ticket_by_token(std::string_view status_token,
                                                 timestamp now) const;
  std::optional<v1::Counter> find_counter(std::string_view counter_id) const;
  // The bounded public view every screen, kiosk and phone mirrors.
  v1::View view(timestamp now) const;
  // Open work today's config cannot account for: a counter removed from the
  // config that is open or holds tickets, a removed category with tickets
  // waiting. One sentence each; empty when the config covers the state.
  std::vector<std::string> unconfigured_in_use() const;
  // Staff views (never public): what a counter works with (at most `limit`
  // waiting tickets), the last service a counter finished for its rating
  // tablet, and a manager's live monitor.
  std::optional<v1::CounterQueue> counter_queue(std::string_view counter_id, timestamp now,
                                                std::size_t limit) const;
  std::optional<v1::RatingPrompt> rating_prompt(std::string_view counter_id, timestamp now) const;
  v1::Monitor monitor(timestamp now) const;
  // Staff as managers changed them (StaffSet events), by username: what
  // overrides the config's [[staff]]. Carries password hashes: never public.
  std::vector<v1::StaffRecord> staff_records() const;
  const centre_config& config() const;
  const centre_calendar& calendar() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

// Removes the secrets a public view must not carry (status tokens, client
// keys) from an event; the hub applies it before broadcasting.
void redact(v1::Event& event);

}  // namespace luot::core
