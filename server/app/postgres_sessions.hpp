#pragma once

#include <mutex>
#include <string>

#include "net/shared_sessions.hpp"
#include "store/postgres_connection.hpp"

namespace luot::app {

// A centre's staff sessions in the staff_sessions table of the PostgreSQL
// database its log is in (schema step 3), for every instance serving the
// centre. One connection of its own, calls serialized by a mutex; a lost
// connection is retried once.
class postgres_sessions final : public net::shared_sessions {
 public:
  // The schema must be current (the event store migrates it on open).
  postgres_sessions(const std::string& url, std::string centre);

  void save(std::string_view token_hash, const record& session) override;
  std::optional<record> find(std::string_view token_hash) override;
  void remove(std::string_view token_hash) override;
  void remove_member(std::string_view username) override;

 private:
  template <typename Work>
  auto retrying(Work work);

  std::mutex mutex_;
  store::postgres_connection connection_;
  std::string centre_;
};

}  // namespace luot::app
