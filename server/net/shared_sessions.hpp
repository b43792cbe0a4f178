#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace luot::net {

// Where a centre's staff sessions are kept when several luot-server
// instances serve it (PostgreSQL): a session opened on one instance works
// on every other, and signing out, or a change to the member, ends it on
// all of them. Keyed by a hash of the bearer token, so whoever reads the
// table gets no usable token. Calls may block on the database; they may
// throw (the auth then answers from what it holds itself).
class shared_sessions {
 public:
  struct record {
    std::string username;
    std::string counter;
    std::string csrf_token;
    core::timestamp expires_at;
  };

  virtual ~shared_sessions() = default;
  virtual void save(std::string_view token_hash, const record& session) = 0;
  virtual std::optional<record> find(std::string_view token_hash) = 0;
  virtual void remove(std::string_view token_hash) = 0;
  virtual void remove_member(std::string_view username) = 0;
};

}  // namespace luot::net
