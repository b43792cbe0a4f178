#include "net/auth.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "net/permissions.hpp"

namespace luot::net {

std::string principal::role_name() const {
  switch (kind) {
    case principal_kind::anonymous:
      return "anonymous";
    case principal_kind::display:
      return "display";
    case principal_kind::kiosk:
      return "kiosk";
    case principal_kind::rating:
      return "rating";
    case principal_kind::staff:
      return staff_role == config::role::manager ? "manager" : "officer";
  }
  return "anonymous";
}

auth::auth(std::vector<config::staff_member> staff, std::vector<config::device> devices,
           std::chrono::minutes session_lifetime, std::string centre)
    : devices_(std::move(devices)),
      session_lifetime_(session_lifetime),
      centre_(std::move(centre)),
      staff_(std::move(staff)) {}

std::optional<config::staff_member> auth::verify_password(std::string_view username,
                                                          std::string_view password) const {
  // Copied under the lock, verified outside it: argon2id takes a while.
  std::optional<config::staff_member> found;
  std::string hash;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& candidate : staff_) {
      if (candidate.username != username) continue;
      found = candidate;
      hash = candidate.password_hash;
      break;
    }
    // An unknown user costs the same check as a known one, against a real
    // member's hash (same parameters, same time), so how long a refusal
    // takes does not tell a guesser which usernames exist. Its outcome is
    // ignored below.
    if (!found && !staff_.empty()) hash = staff_.front().password_hash;
  }
  if (hash.empty()) return std::nullopt;
  password_checks_.fetch_add(1, std::memory_order_relaxed);
  // crypto_pwhash_str_verify needs a NUL-terminated hash.
  const bool matches =
      crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (!found || found->disabled || !matches) return std::nullopt;
  return found;
}

std::optional<config::staff_member> auth::member(std::string_view username) const {
  const std::lock_guard lock(mutex_);
  for (const auto& candidate : staff_)
    if (candidate.username == username) return candidate;
  return std::nullopt;
}

std::vector<config::staff_member> auth::members() const {
  const std::lock_guard lock(mutex_);
  auto all = staff_;
  std::sort(all.begin(), all.end(),
            [](const auto& left, const auto& right) { return left.username < right.username; });
  return all;
}

void auth::apply(const v1::StaffRecord& record) {
  config::staff_member changed;
  changed.username = record.username();
  changed.display_name = record.display_name();
  changed.password_hash = record.password_hash();
  changed.staff_role = record.role() == "manager" ? config::role::manager : config::role::officer;
  changed.counters.assign(record.counters().begin(), record.counters().end());
  changed.disabled = record.disabled();
  const std::lock_guard lock(mutex_);
  const auto found = std::find_if(staff_.begin(), staff_.end(), [&](const auto& candidate) {
    return candidate.username == changed.username;
  });
  // The record does not carry the centres a member is bound to: a change
  // keeps them, and a member added here works here.
  if (found != staff_.end()) changed.centres = found->centres;
  bool ends_sessions = true;
  if (found == staff_.end()) {
    staff_.push_back(changed);
    ends_sessions = false;
  } else {
    ends_sessions = changed.disabled || found->password_hash != changed.password_hash ||
                    found->staff_role != changed.staff_role || found->counters != changed.counters;
    *found = changed;
  }
  if (ends_sessions) {
    std::erase_if(sessions_, [&](const auto& entry) {
      return entry.second.member.username == changed.username;
    });
    // Every instance applies the same change from the log; the first to get
    // here ends the member's shared sessions for all.
    if (shared_ != nullptr) {
      try {
        shared_->remove_member(changed.username);
      } catch (const std::exception& failure) {
        spdlog::warn("cannot end {}'s shared sessions: {}", changed.username, failure.what());
      }
    }
  }
}

v1::SessionInfo auth::open_session(const config::staff_member& member, const std::string& counter,
                                   core::timestamp now) {
  const auto expires_at =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(session_lifetime_);
  std::string token = random_token();
  std::string csrf;
  {
    const std::lock_guard lock(mutex_);
    // Drop expired sessions while here, so the table cannot grow without bound.
    std::erase_if(sessions_, [now](const auto& entry) { return entry.second.expires_at <= now; });
    csrf = random_token();
    sessions_.emplace(token, session{member, counter, expires_at, csrf});
  }
  if (shared_ != nullptr) {
    // Without the database the session still works on this instance.
    try {
      shared_->save(token_hash(token), {member.username, counter, csrf, expires_at});
    } catch (const std::exception& failure) {
      spdlog::warn("session of {} kept on this instance only: {}", member.username, failure.what());
    }
  }
  v1::SessionInfo info;
  info.set_token(std::move(token));
  info.set_username(member.username);
  info.set_display_name(member.display_name);
  info.set_role(member.staff_role == config::role::manager ? "manager" : "officer");
  info.set_counter(counter);
  *info.mutable_expires_at() = core::to_proto(expires_at);
  info.set_csrf_token(std::move(csrf));
  return info;
}

bool auth::close_session(std::string_view token) {
  bool held = false;
  {
    const std::lock_guard lock(mutex_);
    const auto found = sessions_.find(token);
    if (found != sessions_.end()) {
      sessions_.erase(found);
      held = true;
    }
  }
  if (shared_ != nullptr) {
    try {
      shared_->remove(token_hash(token));
    } catch (const std::exception& failure) {
      spdlog::warn("cannot end a shared session: {}", failure.what());
    }
  }
  return held;
}

std::optional<auth::session> auth::shared_session(std::string_view token, core::timestamp now) {
  std::optional<shared_sessions::record> stored;
  try {
    stored = shared_->find(token_hash(token));
  } catch (const std::exception& failure) {
    // The database is away: what this instance holds still counts.
    spdlog::warn("cannot check a shared session: {}", failure.what());
    const std::lock_guard lock(mutex_);
    const auto found = sessions_.find(token);
    if (found == sessions_.end()) return std::nullopt;
    return found->second;
  }
  const std::lock_guard lock(mutex_);
  if (!stored || stored->expires_at <= now) {
    // Ended elsewhere (or expired): forget it here too.
    if (const auto found = sessions_.find(token); found != sessions_.end()) sessions_.erase(found);
    return std::nullopt;
  }
  const auto member = std::find_if(staff_.begin(), staff_.end(), [&](const auto& candidate) {
    return candidate.username == stored->username;
  });
  if (member == staff_.end() || member->disabled) return std::nullopt;
  session known{*member, stored->counter, stored->expires_at, stored->csrf_token};
  sessions_.insert_or_assign(std::string(token), known);
  return known;
}

core::result<principal> auth::identify(std::string_view token, core::timestamp now) {
  auto own = identify_own(token, now);
  if (own || others_.empty() || token.empty()) return own;
  for (auth* other : others_) {
    auto there = other->identify_own(token, now);
    if (!there) continue;
    if (auto refused = authorize_centre(*there, centre_)) return std::move(*refused);
    return there;
  }
  return own;
}

core::result<principal> auth::identify_own(std::string_view token, core::timestamp now) {
  if (token.empty()) return principal{};
  for (const auto& device : devices_) {
    if (device.token.size() == token.size() &&
        sodium_memcmp(device.token.data(), token.data(), token.size()) == 0) {
      principal who;
      switch (device.kind) {
        case config::device_kind::kiosk:
          who.kind = principal_kind::kiosk;
          break;
        case config::device_kind::rating:
          who.kind = principal_kind::rating;
          break;
        case config::device_kind::display:
          who.kind = principal_kind::display;
          break;
      }
      who.name = device.id;
      who.display_name = device.id;
      who.zone = device.counters;
      who.centre = centre_;
      return who;
    }
  }
  std::optional<session> live;
  if (shared_ != nullptr) {
    live = shared_session(token, now);
  } else {
    const std::lock_guard lock(mutex_);
    const auto found = sessions_.find(token);
    if (found != sessions_.end()) {
      if (found->second.expires_at <= now) {
        sessions_.erase(found);
      } else {
        live = found->second;
      }
    }
  }
  if (!live) return core::make_error(v1::ERROR_CODE_UNAUTHENTICATED);
  principal who;
  who.kind = principal_kind::staff;
  who.name = live->member.username;
  who.display_name = live->member.display_name;
  who.staff_role = live->member.staff_role;
  who.counter = live->counter;
  who.session_token = std::string(token);
  who.csrf_token = live->csrf_token;
  who.centre = centre_;
  who.centres = live->member.centres;
  return who;
}

std::size_t auth::session_count() const {
  const std::lock_guard lock(mutex_);
  return sessions_.size();
}

bool same_secret(std::string_view left, std::string_view right) {
  if (left.empty() || right.empty() || left.size() != right.size()) return false;
  return sodium_memcmp(left.data(), right.data(), left.size()) == 0;
}

std::string token_hash(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, sizeof digest * 2);
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
