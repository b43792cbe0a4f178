// The PostgreSQL append_watch: a session of its own that LISTENs on
// luot_events, which the events table's trigger notifies after every append.

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <vector>

#include "store/append_watch.hpp"
#include "store/event_store.hpp"
#include "store/postgres_connection.hpp"
#include "store/postgres_store.hpp"

namespace luot::store {

namespace {

class postgres_watch final : public append_watch {
 public:
  postgres_watch(const std::string& url, std::string centre)
      : url_(url), centre_(std::move(centre)), wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (wake_fd_ < 0) throw store_error("cannot create the append watch's wake-up descriptor");
    // The trigger that notifies comes with the schema.
    connection_.emplace(postgres_url(url_), "append watch");
    migrate_postgres(*connection_, postgres_schema_version());
    listen();
  }

  ~postgres_watch() override { ::close(wake_fd_); }

  watch_wake wait(std::chrono::milliseconds timeout) override {
    if (!connection_ || !connection_->connected()) {
      if (!reopen()) {
        if (wait_for_wake(timeout)) return watch_wake::woken;
        return reopen() ? watch_wake::appended : watch_wake::timed_out;
      }
      return watch_wake::appended;
    }
    // Notifications that arrived with an earlier result are already queued.
    if (drain()) return watch_wake::appended;
    pollfd waited[2] = {{connection_->socket(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int ready = ::poll(waited, 2, static_cast<int>(timeout.count()));
    if (ready < 0 && errno != EINTR) return watch_wake::timed_out;
    if (ready > 0 && (waited[1].revents & POLLIN) != 0) {
      std::uint64_t count = 0;
      [[maybe_unused]] const auto read = ::read(wake_fd_, &count, sizeof count);
      return watch_wake::woken;
    }
    if (ready > 0 && waited[0].revents != 0) {
      if (drain()) return watch_wake::appended;
      // A broken connection: reopened by the next wait, which reports it.
      if (!connection_->connected()) return reopen() ? watch_wake::appended : watch_wake::timed_out;
    }
    return watch_wake::timed_out;
  }

  void wake() override {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
  }

 private:
  void listen() { connection_->execute("LISTEN luot_events", "cannot listen for appended events"); }

  // True when a notification for this centre arrived.
  bool drain() {
    std::vector<std::string> payloads;
    if (!connection_->take_notifications(payloads)) return false;
    return std::any_of(payloads.begin(), payloads.end(),
                       [this](const std::string& centre) { return centre == centre_; });
  }

  bool reopen() {
    try {
      if (connection_ && connection_->reconnect()) {
        listen();
        return true;
      }
      connection_.reset();
      connection_.emplace(postgres_url(url_), "append watch");
      listen();
      return true;
    } catch (const store_error&) {
      return false;
    }
  }

  bool wait_for_wake(std::chrono::milliseconds timeout) {
    pollfd waited{wake_fd_, POLLIN, 0};
    if (::poll(&waited, 1, static_cast<int>(timeout.count())) <= 0) return false;
    std::uint64_t count = 0;
    [[maybe_unused]] const auto read = ::read(wake_fd_, &count, sizeof count);
    return true;
  }

  std::string url_;
  std::string centre_;
  int wake_fd_;
  std::optional<postgres_connection> connection_;
};

}  // namespace

std::unique_ptr<append_watch> open_postgres_watch(const std::string& url,
                                                  const std::string& centre) {
  return std::make_unique<postgres_watch>(url, centre);
}

}  // namespace luot::store
