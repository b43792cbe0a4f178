#include "fixtures.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace luot::core::testing {

std::string stable_bytes(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

v1::Command take(const std::string& category, const std::string& priority,
                 const std::string& client_key) {
  v1::Command command;
  auto* body = command.mutable_take_ticket();
  body->set_category(category);
  body->set_priority_class(priority);
  body->set_client_key(client_key);
  return command;
}

v1::Command call_next(const std::string& counter) {
  v1::Command command;
  command.mutable_call_next()->set_counter(counter);
  return command;
}

v1::Command call_ticket(const std::string& counter, const std::string& ticket,
                        const std::string& category) {
  v1::Command command;
  auto* body = command.mutable_call_ticket();
  body->set_counter(counter);
  body->set_ticket(ticket);
  body->set_category(category);
  return command;
}

v1::Command finish(const std::string& counter, const std::string& outcome,
                   const std::string& note) {
  v1::Command command;
  auto* body = command.mutable_finish();
  body->set_counter(counter);
  body->set_outcome(outcome);
  body->set_note(note);
  return command;
}

v1::Command recall(const std::string& counter) {
  v1::Command command;
  command.mutable_recall()->set_counter(counter);
  return command;
}

v1::Command mark_no_show(const std::string& counter) {
  v1::Command command;
  command.mutable_mark_no_show()->set_counter(counter);
  return command;
}

v1::Command return_no_show(const std::string& ticket, const std::string& category) {
  v1::Command command;
  command.mutable_return_no_show()->set_ticket(ticket);
  command.mutable_return_no_show()->set_category(category);
  return command;
}

v1::Command park(const std::string& counter) {
  v1::Command command;
  command.mutable_park()->set_counter(counter);
  return command;
}

v1::Command resume_parked(const std::string& counter, const std::string& ticket) {
  v1::Command command;
  command.mutable_resume_parked()->set_counter(counter);
  command.mutable_resume_parked()->set_ticket(ticket);
  return command;
}

v1::Command transfer(const std::string& counter, const std::string& to_category,
                     const std::string& to_counter, v1::Placement placement,
                     const std::string& note) {
  v1::Command command;
  auto* body = command.mutable_transfer();
  body->set_counter(counter);
  body->set_to_category(to_category);
  body->set_to_counter(to_counter);
  body->set_placement(placement);
  body->set_note(note);
  return command;
}

v1::Command pause_counter(const std::string& counter, const std::string& reason) {
  v1::Command command;
  command.mutable_pause_counter()->set_counter(counter);
  command.mutable_pause_counter()->set_reason(reason);
  return command;
}

v1::Command resume_counter(const std::string& counter) {
  v1::Command command;
  command.mutable_resume_counter()->set_counter(counter);
  return command;
}

v1::Command open_counter(const std::string& counter, const std::string& officer,
                         const std::string& officer_name) {
  v1::Command command;
  auto* body = command.mutable_open_counter();
  body->set_counter(counter);
  body->set_officer(officer);
  body->set_officer_name(officer_name);
  return command;
}

v1::Command close_counter(const std::string& counter) {
  v1::Command command;
  command.mutable_close_counter()->set_counter(counter);
  return command;
}

v1::Command close_category(const std::string& category, const std::string& note) {
  v1::Command command;
  command.mutable_close_category()->set_category(category);
  command.mutable_close_category()->set_note(note);
  return command;
}

v1::Command reopen_category(const std::string& category) {
  v1::Command command;
  command.mutable_reopen_category()->set_category(category);
  return command;
}

recorded_engine::recorded_engine(centre_config config)
    : config_(config), engine_(std::move(config), counting_tokens()) {}

result<decision> recorded_engine::run(const v1::Command& command, timestamp now,
                                      const std::string& who) {
  return run(command, now, actor{who});
}

result<decision> recorded_engine::run(const v1::Command& command, timestamp now, const actor& who) {
  auto decided = engine_.execute(command, now, who);
  if (decided) log_.insert(log_.end(), decided->events.begin(), decided->events.end());
  return decided;
}

decision recorded_engine::must(const v1::Command& command, timestamp now, const std::string& who) {
  return must(command, now, actor{who});
}

decision recorded_engine::must(const v1::Command& command, timestamp now, const actor& who) {
  auto decided = run(command, now, who);
  EXPECT_TRUE(decided.ok()) << "refused " << command.DebugString() << " with code "
                            << v1::ErrorCode_Name(decided.ok() ? v1::ERROR_CODE_UNSPECIFIED
                                                               : decided.failure().code);
  if (!decided) return {};
  return std::move(decided).value();
}

std::string recorded_engine::take_ticket(const std::string& category, timestamp now,
                                         const std::string& priority) {
  return must(take(category, priority), now, "kiosk-1").ticket_id;
}

std::string recorded_engine::call(const std::string& counter, timestamp now) {
  const auto decided = run(call_next(counter), now);
  if (!decided) return "<" + v1::ErrorCode_Name(decided.failure().code) + ">";
  return ticket(decided->ticket_id, now).number();
}

v1::Ticket recorded_engine::ticket(const std::string& id, timestamp now) const {
  const auto found = engine_.find_ticket(id, now, visibility::internal);
  EXPECT_TRUE(found.has_value()) << "no ticket " << id;
  return found.value_or(v1::Ticket{});
}

v1::Counter recorded_engine::counter(const std::string& id) const {
  const auto found = engine_.find_counter(id);
  EXPECT_TRUE(found.has_value()) << "no counter " << id;
  return found.value_or(v1::Counter{});
}

v1::Category recorded_engine::category(const std::string& code, timestamp now) const {
  const auto snapshot = engine_.snapshot(now, visibility::internal);
  for (const auto& category : snapshot.categories())
    if (category.code() == code) return category;
  ADD_FAILURE() << "no category " << code;
  return {};
}

engine recorded_engine::replayed() const {
  engine fresh(config_, counting_tokens());
  for (const auto& event : log_) fresh.fold(event);
  return fresh;
}

}  // namespace luot::core::testing
