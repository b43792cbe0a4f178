#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "luot/v1/luot.pb.h"
#include "net/shared_sessions.hpp"

namespace luot::net {

// What kind of party is on the other end of a request or connection.
enum class principal_kind { anonymous, display, kiosk, rating, staff };

// Who is asking: resolved from a bearer token (or its absence) per request,
// so an expired session stops working mid-connection.
struct principal {
  principal_kind kind = principal_kind::anonymous;
  // Recorded as the actor of every event it causes.
  std::string name = "anonymous";
  std::string display_name;
  config::role staff_role = config::role::officer;
  // The counter a staff session is signed in to; empty for none.
  std::string counter;
  // The staff session token, to sign out.
  std::string session_token;
  // The session's anti-forgery token: a request authenticated by the web
  // console's cookie must repeat it in a header.
  std::string csrf_token;
  // A display's zone: the counters it shows; empty for the whole centre.
  std::vector<std::string> zone;
  // The centre whose token this is (the auth that issued or knows it);
  // empty for anonymous callers. See authorize_centre (permissions.hpp).
  std::string centre;
  // Staff: the centres the member is bound to in a deployment directory
  // (empty in a one-centre file). A manager's province report covers them.
  std::vector<std::string> centres;

  // "anonymous", "display", "kiosk", "rating", "officer" or "manager".
  std::string role_name() const;
};

// Staff sign-in and sessions, plus device tokens, all from the config, of
// one centre. Thread-safe: sessions on any I/O thread consult it.
//
// With several centres in one server each centre has its own auth (its
// staff and devices, its sessions), linked to the others' so that a token
// of another centre is recognised and refused by name (authorize_centre)
// rather than taken for an unknown one.
class auth {
 public:
  auth(std::vector<config::staff_member> staff, std::vector<config::device> devices,
       std::chrono::minutes session_lifetime, std::string centre = {});

  // The other centres' auths of the same server; set before any request.
  void link(std::vector<auth*> others) { others_ = std::move(others); }
  // Keeps sessions in `store` as well, shared with other instances (set
  // before any request; it outlives this auth). Then a token this instance
  // does not hold is looked up there, and one it holds is checked there on
  // each use, so a sign-out on another instance ends it here too.
  void share_sessions(shared_sessions& store) { shared_ = &store; }
  const std::string& centre() const { return centre_; }

  // The staff member whose argon2id hash matches `password`; empty when the
  // user is unknown or the password wrong. Deliberately slow (memory-hard):
  // call it off the I/O threads.
  std::optional<config::staff_member> verify_password(std::string_view username,
                                                      std::string_view password) const;
  // Password hashes verified so far (tests count them instead of timing).
  std::uint64_t password_checks() const { return password_checks_.load(); }

  // Starts a session for `member` at `counter` (empty for none).
  v1::SessionInfo open_session(const config::staff_member& member, const std::string& counter,
                               core::timestamp now);

  // Ends a session; false when there was none.
  bool close_session(std::string_view token);

  // The principal a bearer token names: a device or a live staff session.
  // An empty token is anonymous; an unknown or expired one is refused, and
  // so is a token of another centre (PERMISSION_DENIED, naming it).
  core::result<principal> identify(std::string_view token, core::timestamp now);
  // The same among this centre's own tokens only.
  core::result<principal> identify_own(std::string_view token, core::timestamp now);

  // Staff sessions currently held (expired ones are dropped lazily).
  std::size_t session_count() const;

  // A manager's change to a member of staff (a StaffSet event, once it is
  // durable): replaces or adds the member at once. A change of password,
  // role, counters or a disabling ends that member's sessions, so it takes
  // effect now rather than at the next sign-in.
  void apply(const v1::StaffRecord& record);
  // Every member as it stands (config plus changes), by username.
  std::vector<config::staff_member> members() const;
  std::optional<config::staff_member> member(std::string_view username) const;

 private:
  struct session {
    config::staff_member member;
    std::string counter;
    core::timestamp expires_at;
    std::string csrf_token;
  };
  // The session `token` names in the shared store, refreshed here.
  std::optional<session> shared_session(std::string_view token, core::timestamp now);

  std::vector<config::device> devices_;
  std::chrono::minutes session_lifetime_;
  std::string centre_;
  std::vector<auth*> others_;
  shared_sessions* shared_ = nullptr;
  mutable std::atomic<std::uint64_t> password_checks_{0};

  mutable std::mutex mutex_;
  // Changed by managers at run time, so read under the mutex.
  std::vector<config::staff_member> staff_;
  std::map<std::string, session, std::less<>> sessions_;
};

// Whether two secrets are equal, compared in constant time; false when
// either is empty.
bool same_secret(std::string_view left, std::string_view right);

// The SHA-256 of a token, as hex: how a shared store names a session
// without holding the token.
std::string token_hash(std::string_view token);

// An unguessable token: 32 random bytes from libsodium, as hex.
std::string random_token();

// The argon2id string of a password (libsodium's interactive limits). Throws
// std::runtime_error when memory runs out.
std::string hash_password(std::string_view password);

// Initializes libsodium; throws when it cannot.
void initialize_crypto();

}  // namespace luot::net
