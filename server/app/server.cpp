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
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "app/centre_runtime.hpp"
#include "net/api/centre_dispatch.hpp"
#include "net/auth.hpp"
#include "net/beast.hpp"
#include "net/listener.hpp"
#include "net/metrics.hpp"
#include "net/session_registry.hpp"
#include "net/shared_state.hpp"
#include "net/static_files.hpp"

namespace luot::app {

namespace {

namespace asio = net::asio;

// How long stop() waits for connections to close before cutting them.
constexpr auto stop_grace = std::chrono::seconds(3);

// Where the web pages are: the configured directory, else the source tree's
// server/web (the demo and the tests run from the build tree).
std::filesystem::path web_root_of(const config::server_settings& server) {
  if (!server.web_root.empty()) return server.web_root;
#ifdef LUOT_DEFAULT_WEB_ROOT
  return LUOT_DEFAULT_WEB_ROOT;
#else
  return {};
#endif
}

}  // namespace

struct server::impl {
  impl(config::deployment deployment, server_options options)
      : deployment_(std::move(deployment)),
        options_(std::move(options)),
        pages_(web_root_of(deployment_.server)) {
    if (deployment_.centres.empty()) throw std::logic_error("a server without centres");
    if (options_.open_store && deployment_.centres.size() > 1)
      throw std::logic_error("server_options::open_store serves one centre only");
    // One io_context per I/O thread: a connection lives on one of them for
    // its whole life, so its handlers need no strand and the hub hands a
    // call to all the screens of a thread as one task (net::subscriber).
    // The engine and hub strands have a context of their own, run by two
    // threads, so no burst of connection work (300 sockets closing at once)
    // ever holds a command back.
    const unsigned threads = std::max(1u, deployment_.server.io_threads);
    for (unsigned i = 0; i < threads; ++i) {
      io_contexts_.push_back(std::make_unique<asio::io_context>(1));
      homes_.push_back(io_contexts_.back().get());
    }
    work_.emplace_back(context_.get_executor());
    for (auto* home : homes_) work_.emplace_back(home->get_executor());
    const net::static_files* pages = &pages_;
    std::vector<net::api::centre_route> routes;
    for (std::size_t i = 0; i < deployment_.centres.size(); ++i) {
      centres_.push_back(std::make_unique<centre_runtime>(
          centre_settings(deployment_, i), options_,
          centre_shared{context_, context_, metrics_, sessions_, blocking_, reports_, pages}));
      routes.push_back({deployment_.centres[i].id, deployment_.centres[i].centre.name,
                        &centres_.back()->state()});
    }
    // A token of one centre is known, and refused by name, at the others.
    if (centres_.size() > 1) {
      for (auto& centre : centres_) {
        std::vector<net::auth*> others;
        for (auto& other : centres_)
          if (other != centre) others.push_back(&other->authority());
        centre->authority().link(std::move(others));
      }
    }
    dispatch_ = std::make_unique<net::api::centre_dispatch>(std::move(routes));
    auto& first = centres_.front()->state();
    shared_ = std::make_unique<net::shared_state>(net::shared_state{
        first.limits, first.authority, first.limiter, first.counters, first.services, *dispatch_,
        first.sessions, first.subscribe_limiter, first.views, first.presence,
        [this](std::string_view path) { return dispatch_->websocket_route(path); }});
  }

  ~impl() {
    stop();
    for (auto& centre : centres_) centre->release_executors();
  }

  bool ready() const {
    return std::all_of(centres_.begin(), centres_.end(),
                       [](const auto& centre) { return centre->ready(); });
  }

  // Life cycle ----------------------------------------------------------

  void start() {
    const std::lock_guard lock(life_mutex_);
    if (started_) throw std::logic_error("server started twice");
    started_ = true;
    net::initialize_crypto();
    check_web_root();
    const auto& server = deployment_.server;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(server.address, ec);
    if (ec) throw std::runtime_error("invalid listen address \"" + server.address + "\"");

    for (auto& centre : centres_) {
      try {
        centre->open();
      } catch (const std::exception& failure) {
        if (centres_.size() == 1) throw;
        throw std::runtime_error("centre \"" + centre->id() + "\": " + failure.what());
      }
    }

    listener_ = std::make_shared<net::listener>(context_, homes_,
                                                net::tcp::endpoint(address, server.port), *shared_);
    listener_->run();

    const auto threads = homes_.size();
    std::vector<asio::io_context*> runs(core_threads, &context_);
    runs.insert(runs.end(), homes_.begin(), homes_.end());
    running_ = static_cast<unsigned>(runs.size());
    for (auto* context : runs) {
      threads_.emplace_back([this, context] {
        context->run();
        const std::lock_guard done(run_mutex_);
        --running_;
        run_done_.notify_all();
      });
    }
    arm_keep_alive();
    spdlog::info("listening on {}:{} with {} I/O threads, {} centre(s)", server.address,
                 listener_->port(), threads, centres_.size());
  }

  bool stop() {
    const std::lock_guard lock(life_mutex_);
    if (stopped_) return clean_stop_;
    stopped_ = true;
    if (listener_) listener_->stop();
    for (auto& centre : centres_) centre->stop_timers();
    keep_alive_stopped_ = true;
    asio::post(keep_alive_timer_.get_executor(), [this] { keep_alive_timer_.cancel(); });
    sessions_.close_all();
    // Each I/O thread has its own context, which would end as soon as it
    // ran out of work although another thread may still post to it (a
    // session's close, the hub's fan-out): the contexts are held until the
    // connections are gone, then let run dry together.
    const auto deadline = std::chrono::steady_clock::now() + stop_grace;
    const bool closed = sessions_.wait_until_empty(stop_grace);
    work_.clear();
    {
      std::unique_lock wait(run_mutex_);
      if (!closed || !run_done_.wait_until(wait, deadline, [this] { return running_ == 0; })) {
        spdlog::warn("connections still open after {} s; cutting them", stop_grace.count());
        context_.stop();
        for (auto* home : homes_) home->stop();
        clean_stop_ = false;
      }
    }
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    blocking_.stop();
    blocking_.join();
    reports_.stop();
    reports_.join();
    for (auto& centre : centres_) centre->stop_pipeline();
    listener_.reset();
    return clean_stop_;
  }

  // A configured web_root must hold the pages; the built-in default may be
  // missing (an installed server without them still serves the API).
  void check_web_root() const {
    const bool configured = !deployment_.server.web_root.empty();
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

  // Every quarter of the WebSocket idle timeout, each connection checks its
  // peer (pinged after half the timeout silent, cut after all of it): one
  // timer for the server instead of one per connection.
  void arm_keep_alive() {
    const auto every = std::max<std::chrono::steady_clock::duration>(
        std::chrono::seconds(1), deployment_.server.websocket_idle_timeout / 4);
    keep_alive_timer_.expires_after(every);
    keep_alive_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || keep_alive_stopped_) return;
      sessions_.keep_alive(std::chrono::steady_clock::now());
      arm_keep_alive();
    });
  }

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
  // it is destroyed find them alive (each centre's strands and timers go
  // before it: release_executors).
  config::deployment deployment_;
  server_options options_;
  net::metrics metrics_;
  net::session_registry sessions_;
  net::static_files pages_;
  asio::thread_pool blocking_{1};
  asio::thread_pool reports_{1};
  // Stores, engines, committers, hubs, auth and routers of the centres:
  // what handlers queued in the io_context refer to.
  std::vector<std::unique_ptr<centre_runtime>> centres_;
  std::unique_ptr<net::api::centre_dispatch> dispatch_;
  std::unique_ptr<net::shared_state> shared_;

  // The engine and hub strands, the listener, the timers and the signals,
  // run by core_threads threads; then one context per I/O thread.
  static constexpr unsigned core_threads = 2;
  asio::io_context context_;
  std::vector<std::unique_ptr<asio::io_context>> io_contexts_;
  std::vector<asio::io_context*> homes_;
  asio::steady_timer keep_alive_timer_{asio::make_strand(context_)};
  std::atomic<bool> keep_alive_stopped_ = false;
  bool clean_stop_ = true;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
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
    : impl_(
          std::make_unique<impl>(config::single_centre(std::move(settings)), std::move(options))) {}

server::server(config::deployment deployment, server_options options)
    : impl_(std::make_unique<impl>(std::move(deployment), std::move(options))) {}

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
