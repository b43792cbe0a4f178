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

#include "app/command_pipeline.hpp"
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
#include "store/log_reader.hpp"
#include "store/store_factory.hpp"
#include "text/catalogue.hpp"

namespace luot::app {

namespace {

namespace asio = net::asio;

// How long stop() waits for connections to close before cutting them.
constexpr auto stop_grace = std::chrono::seconds(3);

core::timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
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
        refresh_timer_(hub_strand_) {
    pipeline_ =
        std::make_unique<command_pipeline>(settings_, options_.open_store, metrics_, auth_,
                                           engine_strand_, hub_strand_, [this] { return now(); });
  }

  ~impl() override { stop(); }

  // net::backend --------------------------------------------------------

  void execute(v1::Command command, core::actor who, net::command_done done) override {
    asio::post(engine_strand_, [this, command = std::move(command), who = std::move(who),
                                done = std::move(done)]() mutable {
      pipeline_->execute(command, who, std::move(done));
    });
  }

  void on_hub(std::function<void(net::hub&)> work) override {
    asio::post(hub_strand_, [this, work = std::move(work)] { work(pipeline_->hub()); });
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

  bool ready() const override { return pipeline_->ready(); }

  core::timestamp now() const override { return options_.clock ? options_.clock() : system_now(); }

  const config::settings& settings() const override { return settings_; }

  void schedule_refresh() {
    refresh_timer_.expires_after(options_.view_refresh_interval);
    refresh_timer_.async_wait([this](const boost::system::error_code& ec) {
      // A wait that completed just before stop() cancelled it must not arm
      // the timer again, or the run would last until it fires.
      if (ec || timers_stopped_) return;
      pipeline_->hub().refresh(now());
      schedule_refresh();
    });
  }

  void schedule_roll_over() {
    roll_timer_.expires_after(options_.roll_over_interval);
    roll_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || timers_stopped_) return;
      pipeline_->check_roll_over();
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

    pipeline_->open();

    listener_ = std::make_shared<net::listener>(
        context_, net::tcp::endpoint(address, settings_.server.port), shared_);
    listener_->run();
    asio::post(engine_strand_, [this] {
      pipeline_->check_roll_over();
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
    pipeline_->stop();
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
  // Store, engines, committer and hub: what handlers queued in the
  // io_context refer to.
  std::unique_ptr<command_pipeline> pipeline_;

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
