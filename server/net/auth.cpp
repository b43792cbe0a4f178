#include "net/auth.hpp"

#include <sodium.h>

#include <stdexcept>

#include "text/catalogue.hpp"

namespace luot::net {

std::string principal::role_name() const {
  switch (kind) {
    case principal_kind::anonymous:
      return "anonymous";
    case principal_kind::display:
      return "display";
    case principal_kind::kiosk:
      return "kiosk";
    case principal_kind::staff:
      return staff_role == config::role::manager ? "manager" : "officer";
  }
  return "anonymous";
}

auth::auth(std::vector<config::staff_member> staff, std::vector<config::device> devices,
           std::chrono::minutes session_lifetime)
    : staff_(std::move(staff)), devices_(std::move(devices)), session_lifetime_(session_lifetime) {}

std::optional<config::staff_member> auth::verify_password(std::string_view username,
                                                          std::string_view password) const {
  for (const auto& member : staff_) {
    if (member.username != username) continue;
    // crypto_pwhash_str_verify needs a NUL-terminated hash.
    const std::string hash = member.password_hash;
    if (crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0) {
      return member;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

v1::SessionInfo auth::open_session(const config::staff_member& member, const std::string& counter,
                                   core::timestamp now) {
  const auto expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(session_lifetime_);
  std::string token = random_token();
  {
    const std::lock_guard lock(mutex_);
    // Drop expired sessions while here, so the table cannot grow without bound.
    std::erase_if(sessions_, [now](const auto& entry) { return entry.second.expires_at <= now; });
    sessions_.emplace(token, session{member, counter, expires_at});
  }
  v1::SessionInfo info;
  info.set_token(std::move(token));
  info.set_username(member.username);
  info.set_display_name(member.display_name);
  info.set_role(member.staff_role == config::role::manager ? "manager" : "officer");
  info.set_counter(counter);
  *info.mutable_expires_at() = core::to_proto(expires_at);
  return info;
}

bool auth::close_session(std::string_view token) {
  const std::lock_guard lock(mutex_);
  const auto found = sessions_.find(token);
  if (found == sessions_.end()) return false;
  sessions_.erase(found);
  return true;
}

core::result<principal> auth::identify(std::string_view token, core::timestamp now) {
  if (token.empty()) return principal{};
  for (const auto& device : devices_) {
    if (device.token.size() == token.size() &&
        sodium_memcmp(device.token.data(), token.data(), token.size()) == 0) {
      principal who;
      who.kind = device.kind == config::device_kind::kiosk ? principal_kind::kiosk
                                                           : principal_kind::display;
      who.name = device.id;
      who.display_name = device.id;
      return who;
    }
  }
  const std::lock_guard lock(mutex_);
  const auto found = sessions_.find(token);
  if (found == sessions_.end()) return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
  if (found->second.expires_at <= now) {
    sessions_.erase(found);
    return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
  }
  principal who;
  who.kind = principal_kind::staff;
  who.name = found->second.member.username;
  who.display_name = found->second.member.display_name;
  who.staff_role = found->second.member.staff_role;
  who.counter = found->second.counter;
  who.session_token = found->first;
  return who;
}

std::size_t auth::session_count() const {
  const std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::optional<std::string> counter_of(const v1::Command& command) {
  switch (command.action_case()) {
    case v1::Command::kCallNext:
      return command.call_next().counter();
    case v1::Command::kFinish:
      return command.finish().counter();
    case v1::Command::kCallTicket:
      return command.call_ticket().counter();
    case v1::Command::kRecall:
      return command.recall().counter();
    case v1::Command::kMarkNoShow:
      return command.mark_no_show().counter();
    case v1::Command::kPark:
      return command.park().counter();
    case v1::Command::kResumeParked:
      return command.resume_parked().counter();
    case v1::Command::kTransfer:
      return command.transfer().counter();
    case v1::Command::kPauseCounter:
      return command.pause_counter().counter();
    case v1::Command::kResumeCounter:
      return command.resume_counter().counter();
    case v1::Command::kCloseCounter:
      return command.close_counter().counter();
    default:
      return std::nullopt;
  }
}

std::optional<core::error> authorize(const principal& who, const v1::Command& command) {
  const auto denied = [](std::string what) {
    return core::make_error(v1::ERROR_CODE_PERMISSION_DENIED, {std::move(what)});
  };
  if (who.kind == principal_kind::display)
    return denied(text::reason("reason.display_no_commands"));
  switch (command.action_case()) {
    case v1::Command::ACTION_NOT_SET:
      return core::make_error(v1::ERROR_CODE_BAD_REQUEST, {"empty command"});
    case v1::Command::kTakeTicket:
      return std::nullopt;
    case v1::Command::kOpenCounter:
      return denied(text::reason("reason.counters_open_on_sign_in"));
    case v1::Command::kReturnNoShow:
      if (who.kind == principal_kind::anonymous) {
        return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
      }
      if (who.kind != principal_kind::staff) return denied(text::reason("reason.staff_only"));
      return std::nullopt;
    case v1::Command::kCloseCategory:
    case v1::Command::kReopenCategory:
      if (who.kind == principal_kind::anonymous) {
        return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
      }
      if (who.kind != principal_kind::staff || who.staff_role != config::role::manager) {
        return denied(text::reason("reason.managers_only"));
      }
      return std::nullopt;
    default:
      break;
  }
  // Everything else is a counter command.
  if (who.kind == principal_kind::anonymous)
    return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
  if (who.kind != principal_kind::staff) return denied(text::reason("reason.officers_only"));
  const auto counter = counter_of(command);
  if (!counter || who.counter.empty() || *counter != who.counter) {
    return denied(text::reason("reason.other_counter", {who.counter, counter.value_or("")}));
  }
  return std::nullopt;
}

std::string random_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string(hex, sizeof bytes * 2);
}

std::string hash_password(std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing the password");
  }
  return hash;
}

void initialize_crypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized");
}

}  // namespace luot::net
