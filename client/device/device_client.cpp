#include "device/device_client.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "device/asio.hpp"
#include "device/server_url.hpp"
#include "device/synchronizer.hpp"

namespace luot::device {

namespace {

bool anything(const view::change& what) {
  return what.categories || what.counters || what.calls || what.ticket || what.devices ||
         what.replaced || what.new_call.has_value();
}

server_url checked_url(const options& settings) {
  if (auto problem = check(settings)) throw std::invalid_argument(*problem);
  auto url = *parse_server_url(settings.server_url).url;
  // Loaded once, so a missing or broken CA file stops the device at start
  // rather than failing every connection.
  if (url.secure) url.tls = make_tls_client_context(settings.ca_file);
  return url;
}

}  // namespace

// What the public class hides: the thread, the io_context, the synchronizer
// and the copies other threads read under the lock.
class device_client::impl : public synchronizer::observer {
 public:
  explicit impl(options settings)
      : url_(checked_url(settings)),
        settings_(std::move(settings)),
        context_(1),
        executor_(asio::make_strand(context_)) {}

  void changed(const view::mirror& mirror, const view::change& what) override {
    {
      std::lock_guard lock(mutex_);
      view_ = mirror.view();
      has_view_ = mirror.has_view();
    }
    updated_.notify_all();
    if (on_change_ && anything(what)) on_change_(mirror, what);
  }

  void called(const v1::Call& call, call_origin origin) override {
    spdlog::debug("call {} to counter {} (seq {}, {})", call.number(), call.counter(), call.seq(),
                  to_string(origin));
    if (on_call_) on_call_(call, origin);
  }

  void state_changed(const link_status& now) override {
    {
      std::lock_guard lock(mutex_);
      status_ = now;
      ++entered_[static_cast<std::size_t>(now.state)];
    }
    updated_.notify_all();
    if (on_state_) on_state_(now);
  }

  void run() {
    // A callback that throws is logged; the client keeps running.
    for (;;) {
      try {
        context_.run();
        return;
      } catch (const std::exception& failure) {
        spdlog::error("a device client callback threw: {}", failure.what());
      }
    }
  }

  bool on_own_thread() const { return std::this_thread::get_id() == thread_id_; }

  enum class lifetime { created, running, stopped };

  server_url url_;
  options settings_;
  asio::io_context context_;
  strand executor_;
  std::shared_ptr<synchronizer> sync_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::thread::id thread_id_;
  change_handler on_change_;
  call_handler on_call_;
  state_handler on_state_;

  mutable std::mutex mutex_;
  mutable std::condition_variable updated_;
  // Guarded by `mutex_`.
  lifetime life_ = lifetime::created;
  v1::View view_;
  bool has_view_ = false;
  link_status status_;
  // How often each state was entered, so a waiter sees a state that has
  // already passed (disconnected is often followed by connecting within
  // milliseconds).
  std::array<std::uint64_t, 5> entered_{};
};

device_client::device_client(options settings)
    : impl_(std::make_shared<impl>(std::move(settings))) {}

device_client::~device_client() {
  stop();
}

void device_client::on_change(change_handler handler) {
  impl_->on_change_ = std::move(handler);
}

void device_client::on_call(call_handler handler) {
  impl_->on_call_ = std::move(handler);
}

void device_client::on_state(state_handler handler) {
  impl_->on_state_ = std::move(handler);
}

void device_client::start() {
  auto& self = *impl_;
  std::lock_guard lock(self.mutex_);
  if (self.life_ != impl::lifetime::created) {
    throw std::logic_error("device_client::start may be called only once");
  }
  self.life_ = impl::lifetime::running;
  self.sync_ = std::make_shared<synchronizer>(self.executor_, self.settings_, self.url_, self);
  self.work_.emplace(self.context_.get_executor());
  self.thread_ = std::thread([&self] { self.run(); });
  self.thread_id_ = self.thread_.get_id();
  asio::post(self.executor_, [sync = self.sync_] { sync->start(); });
}

void device_client::stop() {
  auto& self = *impl_;
  {
    std::lock_guard lock(self.mutex_);
    if (self.life_ == impl::lifetime::running && self.on_own_thread()) {
      throw std::logic_error("device_client::stop called from its own callback");
    }
    const bool running = self.life_ == impl::lifetime::running;
    self.life_ = impl::lifetime::stopped;
    if (!running) return;
    // Posted under the lock: every send() posted before this is failed by it.
    asio::post(self.executor_, [sync = self.sync_] { sync->stop(); });
  }
  self.work_.reset();
  self.thread_.join();
  self.sync_.reset();
}

v1::View device_client::view() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->view_;
}

std::uint64_t device_client::seq() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->view_.seq();
}

bool device_client::has_view() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->has_view_;
}

link_status device_client::status() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->status_;
}

void device_client::send(v1::Command command, reply_handler handler) {
  {
    std::lock_guard lock(impl_->mutex_);
    if (impl_->life_ == impl::lifetime::running) {
      asio::post(impl_->executor_, [sync = impl_->sync_, command = std::move(command),
                                    handler = std::move(handler)]() mutable {
        sync->send(std::move(command), std::move(handler));
      });
      return;
    }
  }
  if (handler) handler(unavailable_reply(0));
}

std::optional<v1::ServerMessage> device_client::call(v1::Command command,
                                                     std::chrono::milliseconds timeout) {
  if (impl_->on_own_thread()) {
    throw std::logic_error("device_client::call would wait for its own thread");
  }
  auto promise = std::make_shared<std::promise<v1::ServerMessage>>();
  auto future = promise->get_future();
  send(std::move(command),
       [promise](const v1::ServerMessage& reply) { promise->set_value(reply); });
  if (future.wait_for(timeout) != std::future_status::ready) return std::nullopt;
  return future.get();
}

bool device_client::wait_until(const std::function<bool(const v1::View&)>& holds,
                               std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex_);
  return impl_->updated_.wait_for(lock, timeout,
                                  [&] { return impl_->has_view_ && holds(impl_->view_); });
}

bool device_client::wait_for(connection_state state, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex_);
  const auto index = static_cast<std::size_t>(state);
  const auto entered_before = impl_->entered_[index];
  return impl_->updated_.wait_for(lock, timeout, [&] {
    return impl_->status_.state == state || impl_->entered_[index] > entered_before;
  });
}

}  // namespace luot::device
