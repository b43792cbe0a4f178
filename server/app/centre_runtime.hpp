#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "app/command_pipeline.hpp"
#include "app/server.hpp"
#include "config/settings.hpp"
#include "net/api/router.hpp"
#include "net/auth.hpp"
#include "net/backend.hpp"
#include "net/beast.hpp"
#include "net/device_presence.hpp"
#include "net/metrics.hpp"
#include "net/rate_limiter.hpp"
#include "net/session_registry.hpp"
#include "net/shared_state.hpp"
#include "net/static_files.hpp"
#include "net/view_cache.hpp"

namespace luot::app {

// What every centre of a server shares: the io_context and its threads,
// the metrics, the connections, the pool for slow work and the pages.
struct centre_shared {
  // The engine strand runs here, the hub strand on `hub_context` (another
  // I/O thread's when there are two or more, so the two work side by side).
  net::asio::io_context& context;
  net::asio::io_context& hub_context;
  net::metrics& metrics;
  net::session_registry& sessions;
  // Password hashing.
  net::asio::thread_pool& blocking;
  // Reports read the logs here, away from the I/O threads and the strands.
  net::asio::thread_pool& reports;
  const net::static_files* pages;
};

// The settings centre `index` of `all` runs with: its centre config, the
// deployment's [server], and the staff and devices bound to it
// (net::bound_to_centre). In a deployment directory each centre keeps its
// own log: the SQLite file "<database stem>.<id><extension>" next to
// [server] database (luot.db: luot.hanoi.db), or the centre's rows of the
// one PostgreSQL database.
config::settings centre_settings(const config::deployment& all, std::size_t index);

// One centre of a server: its own auth (its staff, devices and sessions),
// command pipeline (store, engines, committer, hub, snapshotter, tail
// follower), engine and hub strands, timers and router, so its numbering,
// its event stream and its seq are its own. It is the net::backend of its
// router and of the sessions (HTTP and WebSocket) addressed to it.
class centre_runtime final : public net::backend {
 public:
  centre_runtime(config::settings settings, const server_options& options, centre_shared shared);
  ~centre_runtime() override;
  centre_runtime(const centre_runtime&) = delete;
  centre_runtime& operator=(const centre_runtime&) = delete;

  const std::string& id() const { return settings_.centre_id; }
  net::auth& authority() { return auth_; }
  net::api::router& routes() { return router_; }
  // What the sessions addressed to this centre use.
  net::shared_state& state() { return state_; }

  // Opens the store and recovers the state (throws with a clear message),
  // then arms the roll-over and view-refresh timers.
  void open();
  // Cancels the timers (the io_context may still be running).
  void stop_timers();
  // Commits what is pending and stops the pipeline's threads; call once no
  // strand runs any more.
  void stop_pipeline();
  // Destroys the strands and timers: before the io_context is destroyed,
  // after stop_pipeline (the rest of the runtime outlives the io_context,
  // whose queued handlers may still refer to it).
  void release_executors();

  // net::backend
  void execute(v1::Command command, core::actor who, net::command_done done) override;
  void on_hub(std::function<void(net::hub&)> work) override;
  void offload(std::function<void()> work) override;
  void report(std::string from_day, std::string to_day, net::report_done done) override;
  bool ready() const override;
  core::timestamp now() const override;
  const config::settings& settings() const override { return settings_; }

 private:
  void schedule_refresh();
  void schedule_roll_over();

  using strand = net::asio::strand<net::asio::io_context::executor_type>;

  config::settings settings_;
  const server_options& options_;
  centre_shared shared_;
  // Before auth_, which points at it.
  std::unique_ptr<net::shared_sessions> sessions_;
  net::auth auth_;
  net::rate_limiter limiter_;
  net::rate_limiter subscribe_limiter_;
  net::view_cache views_;
  net::device_presence presence_;
  net::api::router router_;
  net::shared_state state_;
  struct executors {
    executors(net::asio::io_context& engine, net::asio::io_context& hub);
    strand engine_strand;
    strand hub_strand;
    net::asio::steady_timer roll_timer;
    net::asio::steady_timer refresh_timer;
  };
  std::unique_ptr<executors> run_;
  std::unique_ptr<command_pipeline> pipeline_;
  std::atomic<bool> timers_stopped_{false};
};

}  // namespace luot::app
