#include "app/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "app/snapshotter.hpp"
#include "core/engine.hpp"
#include "core/report.hpp"
#include "net/api/router.hpp"
#include "net/auth.hpp"
#include "net/backend.hpp"
#include "net/beast.hpp"
#include "net/device_presence.hpp"
#include "net/hub.hpp"
#include "net/listener.hpp"
#include "net/metrics.hpp"
#include "net/permissions.hpp"
#include "net/rate_limiter.hpp"
#include "net/session_registry.hpp"
#include "net/shared_state.hpp"
#include "net/static_files.hpp"
#include "net/view_cache.hpp"
#include "store/event_store.hpp"
#include "store/group_committer.hpp"
#include "store/log_reader.hpp"
#include "store/recovery.hpp"
#include "store/store_factory.hpp"
#include "text/catalogue.hpp"

namespace luot::app {

namespace {

namespace asio = net::asio;

// A restart replays at most about this many events after the last snapshot.
constexpr std::uint64_t snapshot_interval = 1000;
// How long stop() waits for connections to close before cutting them.
constexpr auto stop_grace = std::chrono::seconds(3);

core::timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string new_status_token() {
  return net::random_token();
}

// Where the web pages are: the configured directory, else the source tree's
// server/web (the demo and the tests run from the build tree).
std::filesystem::path web_root_of(const config::settings& settings) {
  if (!settings.server.web_root.empty()) return settings.server.web_root;
#ifdef LUOT_DEFAULT_WEB_ROOT
  return LUOT_DEFAULT_WEB_ROOT;
#else
  return {};
#endif
}

}  // namespace

struct server::impl final : net::backend {
  impl(config::settings settings, server_options options)
      : settings_(std::move(settings)),
        options_(std::move(options)),
        auth_(settings_.staff, settings_.devices, settings_.server.session_lifetime),
        limiter_(settings_.server.take_ticket_per_minute),
        subscribe_limiter_(settings_.server.subscribe_per_minute),
        pages_(web_root_of(settings_)),
        router_(*this, auth_, limiter_, metrics_, &pages_, &presence_),
        shared_{settings_.server, auth_,     limiter_,           metrics_, *this,
                router_,          sessions_, subscribe_limiter_, views_,   presence_},
        engine_strand_(asio::make_strand(context_)),
        hub_strand_(asio::make_strand(context_)),
        roll_timer_(engine_strand_),
        refresh_timer_(hub_strand_) {}

  ~impl() override { stop(); }

  // net::backend --------------------------------------------------------

  void execute(v1::Command command, core::actor who, net::command_done done) override {
    asio::post(engine_strand_,
               [this, command = std::move(command), who = std::move(who),
                done = std::move(done)]() mutable { run_command(command, who, std::move(done)); });
  }

  void on_hub(std::function<void(net::hub&)> work) override {
    asio::post(hub_strand_, [this, work = std::move(work)] { work(*hub_); });
  }

  void offload(std::function<void()> work) override { asio::post(blocking_, std::move(work)); }

  // Reports read the log through a read-only connection of their own, on
  // their own thread: a long range never delays a sign-in, a command or a
  // commit (WAL lets the writer go on).
  void report(std::string from_day, std::string to_day, net::report_done done) override {
    asio::post(reports_, [this, from_day = std::move(from_day), to_day = std::move(to_day),
                          done = std::move(done)] {
      std::map<std::string, std::string> names;
      for (const auto& member : settings_.staff) names[member.username] = member.display_name;
      core::report_builder builder(settings_.centre, std::move(names), from_day, to_day);
      try {
        const auto reader = store::open_log_reader(settings_.server.database.string());
        reader->read_days(from_day, to_day, [&](const v1::Event& event) { builder.add(event); });
      } catch (const std::exception& failure) {
        spdlog::error("report {} to {}: {}", from_day, to_day, failure.what());
        return done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
      }
      done(builder.finish(now()));
    });
  }

  bool ready() const override {
    return healthy_.load(std::memory_order_acquire) && committer_ && !committer_->failed();
  }

  core::timestamp now() const override { return options_.clock ? options_.clock() : system_now(); }

  const config::settings& settings() const override { return settings_; }

  // Engine strand -------------------------------------------------------

  void run_command(const v1::Command& command, const core::actor& who, net::command_done done) {
    if (!ready()) return done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
    if (auto refused = check_staffing(command, who)) return done(std::move(*refused));
    const auto at = now();
    auto decided = engine_->execute(command, at, who);
    if (!decided) return done(decided.failure());

    // The reply is built from the working engine's view now; it is sent only
    // once the events are durable and published.
    v1::CommandResult reply;
    for (const auto& event : decided->events) reply.add_seqs(event.seq());
    if (!decided->ticket_id.empty()) {
      // Only the citizen taking a ticket learns its status token.
      const auto view =
          command.has_take_ticket() ? core::visibility::internal : core::visibility::public_view;
      if (auto ticket = engine_->find_ticket(decided->ticket_id, at, view)) {
        ticket->clear_client_key();
        *reply.mutable_ticket() = std::move(*ticket);
      }
    }
    if (!decided->counter_id.empty()) {
      if (auto counter = engine_->find_counter(decided->counter_id)) {
        *reply.mutable_counter() = std::move(*counter);
      }
    }
    commit(std::move(decided->events),
           [reply = std::move(reply), done = std::move(done)](bool published) {
             if (!published) return done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
             done(reply);
           });
  }

  // A counter command must come from the officer staffing that counter now
  // (the rule lives in net/permissions with every other permission).
  std::optional<core::error> check_staffing(const v1::Command& command, const core::actor& who) {
    std::optional<v1::Counter> counter;
    if (const auto counter_id = net::counter_of(command))
      counter = engine_->find_counter(*counter_id);
    return net::authorize_staffing(command, who.name, counter ? &*counter : nullptr);
  }

  // Hands events (already folded into the working engine) to the group
  // committer; `then` runs on the hub strand once they are published. With
  // no events it still waits until everything executed so far is published,
  // so a reply never reveals state that is not yet durable.
  void commit(std::vector<v1::Event> events, std::function<void(bool)> then) {
    const auto target = engine_->seq();
    if (events.empty()) {
      asio::post(hub_strand_, [this, target, then = std::move(then)]() mutable {
        hub_->when_published(target, std::move(then));
      });
      return;
    }
    auto published = std::make_shared<const std::vector<v1::Event>>(events);
    committer_->submit(std::move(events), [this, published, then = std::move(then)](bool durable) {
      // On the committer's writer thread: hand over to the hub strand at once.
      asio::post(hub_strand_, [this, published, durable, then] {
        if (!durable) {
          if (healthy_.exchange(false)) {
            spdlog::critical("the event log failed ({}); refusing commands until restarted",
                             committer_->failure_reason());
          }
          hub_->fail_waiters();
          return then(false);
        }
        // Staff changes take effect once durable, as everything else does.
        for (const auto& event : *published)
          if (event.has_staff_set()) auth_.apply(event.staff_set().record());
        // The reply goes first: an officer's call never waits for the
        // fan-out to every screen. Anything asked after it runs on this
        // strand after the publish below, so it sees the published state.
        then(true);
        hub_->publish(*published);
        snapshotter_->committed(published);
      });
    });
  }

  void check_roll_over() {
    if (!ready()) return;
    auto events = engine_->roll_over(now());
    if (events.empty()) return;
    const auto closed_day = engine_->service_day();
    for (const auto& event : events) engine_->fold(event);
    spdlog::info("service day {} closed; {} begins", closed_day, engine_->service_day());
    commit(std::move(events), [](bool) {});
  }

  void schedule_refresh() {
    refresh_timer_.expires_after(options_.view_refresh_interval);
    refresh_timer_.async_wait([this](const boost::system::error_code& ec) {
      // A wait that completed just before stop() cancelled it must not arm
      // the timer again, or the run would last until it fires.
      if (ec || timers_stopped_) return;
      hub_->refresh(now());
      schedule_refresh();
    });
  }

  void schedule_roll_over() {
    roll_timer_.expires_after(options_.roll_over_interval);
    roll_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || timers_stopped_) return;
      check_roll_over();
      schedule_roll_over();
    });
  }

  // Life cycle ----------------------------------------------------------

  void start() {
    const std::lock_guard lock(life_mutex_);
    if (started_) throw std::logic_error("server started twice");
    started_ = true;
    net::initialize_crypto();
    check_web_root();
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(settings_.server.address, ec);
    if (ec) throw std::runtime_error("invalid listen address \"" + settings_.server.address + "\"");

    store_ = options_.open_store ? options_.open_store()
                                 : store::open_store(settings_.server.database.string());
    engine_ = std::make_unique<core::engine>(settings_.centre, new_status_token);
    const auto replayed = store::recover(*engine_, *store_);
    const auto last = engine_->seq();
    // Managers' changes to staff, on top of the config's [[staff]].
    for (const auto& record : engine_->staff_records()) auth_.apply(record);
    if (const auto problems = engine_->unconfigured_in_use(); !problems.empty()) {
      std::string text = "the config no longer lists what today's log has open: ";
      for (std::size_t i = 0; i < problems.size(); ++i) text += (i ? "; " : "") + problems[i];
      throw std::runtime_error(text +
                               ". Put it back in the config until the service day closes (or "
                               "close it first), then remove it.");
    }
    // The published state replays the tail after the latest snapshot through
    // the projection, so subscribers that were connected before a restart
    // resume exactly from the updates they would have had.
    // The snapshotter's copy of the state follows the same way.
    const auto latest = store_->latest_snapshot();
    core::engine published(settings_.centre, new_status_token);
    core::engine archived(settings_.centre, new_status_token);
    if (latest) {
      published.restore(*latest);
      archived.restore(*latest);
    }
    hub_ = std::make_unique<net::hub>(std::move(published), settings_.server.resume_window,
                                      settings_.server.resume_window_bytes, &metrics_, now());
    store_->read_after(hub_->seq(), [this, &archived](const v1::Event& event) {
      if (event.seq() != hub_->seq() + 1)
        throw store::store_error("the event log has a gap before seq " +
                                 std::to_string(event.seq()));
      hub_->replay(event);
      archived.fold(event);
    });
    hub_->refresh(now());
    committer_ = std::make_unique<store::group_committer>(
        *store_, [this](std::chrono::nanoseconds latency, std::size_t, std::size_t) {
          metrics_.commit_observed(latency);
        });
    snapshotter_ =
        std::make_unique<snapshotter>(std::move(archived), *committer_, snapshot_interval,
                                      latest ? latest->seq() : 0, [this] { return now(); });
    healthy_ = true;
    spdlog::info("recovered {} events up to seq {} from {}", replayed, last,
                 store::printable_database(settings_.server.database.string()));

    listener_ = std::make_shared<net::listener>(
        context_, net::tcp::endpoint(address, settings_.server.port), shared_);
    listener_->run();
    asio::post(engine_strand_, [this] {
      check_roll_over();
      schedule_roll_over();
    });
    asio::post(hub_strand_, [this] { schedule_refresh(); });

    const unsigned threads = std::max(1u, settings_.server.io_threads);
    running_ = threads;
    for (unsigned i = 0; i < threads; ++i) {
      threads_.emplace_back([this] {
        context_.run();
        const std::lock_guard done(run_mutex_);
        --running_;
        run_done_.notify_all();
      });
    }
    spdlog::info("listening on {}:{} with {} I/O threads", settings_.server.address,
                 listener_->port(), threads);
  }

  bool stop() {
    const std::lock_guard lock(life_mutex_);
    if (stopped_) return clean_stop_;
    stopped_ = true;
    if (listener_) listener_->stop();
    timers_stopped_ = true;
    asio::post(engine_strand_, [this] { roll_timer_.cancel(); });
    asio::post(hub_strand_, [this] { refresh_timer_.cancel(); });
    sessions_.close_all();
    work_.reset();
    {
      std::unique_lock wait(run_mutex_);
      if (!run_done_.wait_for(wait, stop_grace, [this] { return running_ == 0; })) {
        spdlog::warn("connections still open after {} s; cutting them", stop_grace.count());
        context_.stop();
        clean_stop_ = false;
      }
    }
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    blocking_.stop();
    blocking_.join();
    reports_.stop();
    reports_.join();
    // Commits what is pending; its completions land in the stopped context.
    // The last snapshot due goes to the committer before it stops.
    if (snapshotter_) snapshotter_->stop();
    if (committer_) committer_->stop();
    listener_.reset();
    return clean_stop_;
  }

  // A configured web_root must hold the pages; the built-in default may be
  // missing (an installed server without them still serves the API).
  void check_web_root() const {
    const bool configured = !settings_.server.web_root.empty();
    std::error_code ec;
    const bool present = !pages_.root().empty() &&
                         std::filesystem::is_regular_file(pages_.root() / "index.html", ec);
    if (present) {
      spdlog::info("web pages from {}", pages_.root().string());
    } else if (configured) {
      throw std::runtime_error("[server] web_root \"" + pages_.root().string() +
                               "\" does not hold the web pages (no index.html)");
    } else {
      spdlog::warn("no web pages at {}; serving the API only", pages_.root().string());
    }
  }

  std::uint16_t port() const { return listener_ ? listener_->port() : 0; }

  void wait_for_signal() {
    asio::signal_set signals(context_, SIGINT, SIGTERM);
    std::promise<int> caught;
    signals.async_wait([&caught](const boost::system::error_code& ec, int number) {
      caught.set_value(ec ? 0 : number);
    });
    const int number = caught.get_future().get();
    spdlog::info("signal {}: stopping", number);
  }

  // Declared before the io_context so that sessions still queued in it when
  // it is destroyed find them alive.
  config::settings settings_;
  server_options options_;
  net::metrics metrics_;
  net::auth auth_;
  net::rate_limiter limiter_;
  net::rate_limiter subscribe_limiter_;
  net::view_cache views_;
  net::session_registry sessions_;
  net::device_presence presence_;
  net::static_files pages_;
  net::api::router router_;
  net::shared_state shared_;
  std::unique_ptr<store::event_store> store_;
  std::unique_ptr<core::engine> engine_;
  std::unique_ptr<net::hub> hub_;
  std::unique_ptr<store::group_committer> committer_;
  std::unique_ptr<snapshotter> snapshotter_;
  std::atomic<bool> healthy_{false};

  asio::io_context context_;
  asio::strand<asio::io_context::executor_type> engine_strand_;
  asio::strand<asio::io_context::executor_type> hub_strand_;
  asio::steady_timer roll_timer_;
  asio::steady_timer refresh_timer_;
  std::atomic<bool> timers_stopped_{false};
  bool clean_stop_ = true;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      context_.get_executor()};
  asio::thread_pool blocking_{1};
  asio::thread_pool reports_{1};
  std::shared_ptr<net::listener> listener_;
  std::vector<std::thread> threads_;

  std::mutex life_mutex_;
  bool started_ = false;
  bool stopped_ = false;
  std::mutex run_mutex_;
  std::condition_variable run_done_;
  unsigned running_ = 0;
};

server::server(config::settings settings, server_options options)
    : impl_(std::make_unique<impl>(std::move(settings), std::move(options))) {}

server::~server() = default;

void server::start() {
  impl_->start();
}

std::uint16_t server::port() const {
  return impl_->port();
}

bool server::ready() const {
  return impl_->ready();
}

void server::wait_for_signal() {
  impl_->wait_for_signal();
}

bool server::stop() {
  return impl_->stop();
}

}  // namespace luot::app
