#include "app/postgres_sessions.hpp"

#include <chrono>

#include "store/event_store.hpp"

namespace luot::app {

namespace {

std::int64_t to_milliseconds(core::timestamp moment) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(moment.time_since_epoch()).count();
}

}  // namespace

postgres_sessions::postgres_sessions(const std::string& url, std::string centre)
    : connection_(store::postgres_url(url), "staff sessions"), centre_(std::move(centre)) {}

template <typename Work>
auto postgres_sessions::retrying(Work work) {
  const std::lock_guard lock(mutex_);
  connection_.ensure_connected();
  try {
    return work();
  } catch (const store::store_error&) {
    if (connection_.connected()) throw;
    connection_.ensure_connected();
    return work();
  }
}

void postgres_sessions::save(std::string_view token_hash, const record& session) {
  retrying([&] {
    // Expired sessions go as new ones come, so the table stays small.
    connection_.execute("DELETE FROM staff_sessions WHERE centre = $1 AND expires_at < now()",
                        store::postgres_parameters().text(centre_), "cannot drop expired sessions");
    connection_.execute(
        "INSERT INTO staff_sessions (centre, token_hash, username, counter, csrf_token, "
        "expires_at) VALUES ($1, $2, $3, $4, $5, to_timestamp($6::bigint / 1000.0))",
        store::postgres_parameters()
            .text(centre_)
            .text(std::string(token_hash))
            .text(session.username)
            .text(session.counter)
            .text(session.csrf_token)
            .integer(to_milliseconds(session.expires_at)),
        "cannot save a session");
  });
}

std::optional<net::shared_sessions::record> postgres_sessions::find(std::string_view token_hash) {
  return retrying([&]() -> std::optional<record> {
    const auto result = connection_.execute(
        "SELECT username, counter, csrf_token, "
        "(extract(epoch FROM expires_at) * 1000)::bigint FROM staff_sessions "
        "WHERE centre = $1 AND token_hash = $2",
        store::postgres_parameters().text(centre_).text(std::string(token_hash)),
        "cannot look a session up");
    if (result.rows() == 0) return std::nullopt;
    record found;
    found.username = std::string(result.value(0, 0));
    found.counter = std::string(result.value(0, 1));
    found.csrf_token = std::string(result.value(0, 2));
    found.expires_at = core::timestamp(std::chrono::milliseconds(result.integer(0, 3)));
    return found;
  });
}

void postgres_sessions::remove(std::string_view token_hash) {
  retrying([&] {
    connection_.execute("DELETE FROM staff_sessions WHERE centre = $1 AND token_hash = $2",
                        store::postgres_parameters().text(centre_).text(std::string(token_hash)),
                        "cannot end a session");
  });
}

void postgres_sessions::remove_member(std::string_view username) {
  retrying([&] {
    connection_.execute("DELETE FROM staff_sessions WHERE centre = $1 AND username = $2",
                        store::postgres_parameters().text(centre_).text(std::string(username)),
                        "cannot end a member's sessions");
  });
}

}  // namespace luot::app
