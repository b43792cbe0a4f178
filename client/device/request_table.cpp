#include "device/request_table.hpp"

#include <spdlog/spdlog.h>

#include "text/catalogue.hpp"

namespace luot::device {

std::uint64_t request_table::add(reply_handler handler) {
  const auto id = next_id();
  waiting_.emplace(id, std::move(handler));
  return id;
}

bool request_table::complete(const v1::ServerMessage& reply) {
  const auto found = waiting_.find(reply.request_id());
  if (found == waiting_.end()) return false;
  auto handler = std::move(found->second);
  waiting_.erase(found);
  if (handler) handler(reply);
  return true;
}

void request_table::fail_all(const std::string& why) {
  // Taken out first: a handler may send a new command, which must not land
  // in the table being emptied.
  auto failing = std::move(waiting_);
  waiting_.clear();
  if (!failing.empty()) spdlog::debug("{} pending request(s) failed: {}", failing.size(), why);
  for (auto& [id, handler] : failing) {
    if (handler) handler(unavailable_reply(id));
  }
}

v1::ServerMessage unavailable_reply(std::uint64_t request_id) {
  v1::ServerMessage reply;
  reply.set_request_id(request_id);
  auto* error = reply.mutable_error();
  error->set_code(v1::ERROR_CODE_UNAVAILABLE);
  error->set_message(text::error_message(text::language::vi, v1::ERROR_CODE_UNAVAILABLE, {}));
  error->set_message_en(text::error_message(text::language::en, v1::ERROR_CODE_UNAVAILABLE, {}));
  return reply;
}

}  // namespace luot::device
