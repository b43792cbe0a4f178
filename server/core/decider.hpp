#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine.hpp"
#include "selection.hpp"
#include "state.hpp"

namespace luot::core::detail {

// Decides one command against a fixed state: checks it, then writes the
// events it causes. Never changes the state. Its parts live by role:
// decider.cpp (dispatch and lookups), issuing.cpp (tickets and ratings),
// counter_workflow.cpp (calling and serving), counter_admin.cpp (counters,
// categories, devices, staff).
class decider {
 public:
  decider(const queue_state& queue, const centre_calendar& calendar, const token_source& tokens,
          timestamp now, const actor& who);

  result<decision> decide(const v1::Command& command);

 private:
  v1::Event& emit();
  decision done(std::string ticket_id, std::string counter_id);
  // A configured counter, regardless of its state (the log may still name
  // counters that were removed from the config; nobody acts on those).
  result<const v1::Counter*> known_counter(const std::string& id) const;
  // A counter that is open, not paused and not serving anyone: ready to call.
  result<const v1::Counter*> ready_counter(const std::string& id) const;
  // The ticket a counter is serving now.
  result<const v1::Ticket*> current_ticket(const std::string& counter_id) const;
  // A ticket of today by id, or by display number (narrowed by category
  // when the same number exists in several categories).
  result<const v1::Ticket*> resolve_ticket(const std::string& reference,
                                           const std::string& category) const;
  // The lowest effective key a ticket can get in front of `others` (the
  // front of a queue is enough: each kind's first ticket has its lowest
  // key), turned back into its own key space (aged priority tickets carry a
  // shift).
  std::int64_t key_in_front_of(const std::vector<candidate>& others, const v1::Ticket& ticket,
                               std::int64_t places = 1) const;

  // How many of `category`'s numbers today the issuer may take, when the
  // numbers can run out and the issuer's allowance caps its share: at least
  // one, so a tiny limit still serves a citizen.
  std::optional<std::uint32_t> issuer_share(const category_config& category) const;
  result<decision> take_ticket(const v1::TakeTicket& command);
  // One rating per finished service, from the counter that finished it,
  // within the rating window after the finish.
  result<decision> rate_service(const v1::RateService& command);

  v1::Event& emit_called(const v1::Ticket& ticket, const v1::Counter& counter, bool chosen);
  result<decision> call_next(const v1::CallNext& command);
  result<decision> call_ticket(const v1::CallTicket& command);
  result<decision> recall(const v1::Recall& command);
  result<decision> mark_no_show(const v1::MarkNoShow& command);
  // The key that puts a returning ticket right after the first
  // `return_position` tickets of its category's call order. Walks only the
  // front of the queue: O(return_position) merge steps.
  std::int64_t return_key(const v1::Ticket& ticket) const;
  result<decision> return_no_show(const v1::ReturnNoShow& command);
  result<decision> park(const v1::Park& command);
  result<decision> resume_parked(const v1::ResumeParked& command);
  result<decision> transfer(const v1::Transfer& command);
  result<decision> finish(const v1::Finish& command);

  result<decision> pause_counter(const v1::PauseCounter& command);
  result<decision> resume_counter(const v1::ResumeCounter& command);
  result<decision> open_counter(const v1::OpenCounter& command);
  result<decision> close_counter(const v1::CloseCounter& command);
  result<decision> close_category(const v1::CloseCategory& command);
  result<decision> reopen_category(const v1::ReopenCategory& command);
  result<decision> report_device_status(const v1::ReportDeviceStatus& command);
  // A manager's change to a member of staff, checked like the config's
  // [[staff]]; the server has already hashed the password.
  result<decision> set_staff(const v1::StaffRecord& record);

  const queue_state& queue_;
  const centre_calendar& calendar_;
  const token_source& tokens_;
  timestamp now_;
  const actor& who_;
  std::string service_day_;
  decision decision_;
};

}  // namespace luot::core::detail
