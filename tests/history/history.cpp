#include "history.hpp"

#include <stdexcept>

namespace luot::history {

std::string_view to_string(outcome value) {
  switch (value) {
    case outcome::invoked:
      return "invoked";
    case outcome::ok:
      return "ok";
    case outcome::failed:
      return "failed";
    case outcome::unknown:
      return "unknown";
  }
  return "?";
}

std::string_view to_string(action value) {
  switch (value) {
    case action::take_ticket:
      return "take-ticket";
    case action::sign_in:
      return "sign-in";
    case action::call_next:
      return "call-next";
    case action::recall:
      return "recall";
    case action::transfer:
      return "transfer";
    case action::finish:
      return "finish";
    case action::no_show:
      return "no-show";
  }
  return "?";
}

std::uint64_t recorder::invoke(operation op) {
  const std::lock_guard lock(mutex_);
  op.id = operations_.size() + 1;
  op.round = round_;
  op.result = outcome::invoked;
  operations_.push_back(std::move(op));
  return operations_.back().id;
}

void recorder::succeed(std::uint64_t id, std::string ticket_id, std::string number, bool issued_now,
                       std::vector<std::uint64_t> seqs) {
  const std::lock_guard lock(mutex_);
  auto& op = operations_.at(id - 1);
  if (op.result != outcome::invoked) throw std::logic_error("operation ended twice");
  op.result = outcome::ok;
  op.ticket_id = std::move(ticket_id);
  op.number = std::move(number);
  op.issued_now = issued_now;
  op.seqs = std::move(seqs);
  ++acknowledged_;
}

void recorder::fail(std::uint64_t id, std::string detail) {
  const std::lock_guard lock(mutex_);
  auto& op = operations_.at(id - 1);
  if (op.result != outcome::invoked) throw std::logic_error("operation ended twice");
  op.result = outcome::failed;
  op.detail = std::move(detail);
}

void recorder::not_delivered(std::uint64_t id, std::string detail) {
  const std::lock_guard lock(mutex_);
  auto& op = operations_.at(id - 1);
  if (op.result != outcome::invoked) throw std::logic_error("operation ended twice");
  op.result = outcome::failed;
  op.delivered = false;
  op.detail = std::move(detail);
}

void recorder::lose(std::uint64_t id, std::string detail) {
  const std::lock_guard lock(mutex_);
  auto& op = operations_.at(id - 1);
  if (op.result != outcome::invoked) throw std::logic_error("operation ended twice");
  op.result = outcome::unknown;
  op.detail = std::move(detail);
}

void recorder::set_round(unsigned round) {
  const std::lock_guard lock(mutex_);
  round_ = round;
}

std::size_t recorder::acknowledged() const {
  const std::lock_guard lock(mutex_);
  return acknowledged_;
}

std::vector<operation> recorder::operations() const {
  const std::lock_guard lock(mutex_);
  return operations_;
}

tally count(const std::vector<operation>& operations) {
  tally result;
  result.operations = operations.size();
  for (const auto& op : operations) {
    ++result.by_outcome[op.result];
    ++result.by_action[op.what][op.result];
    if (op.result == outcome::failed && !op.delivered) ++result.not_delivered;
  }
  return result;
}

}  // namespace luot::history
