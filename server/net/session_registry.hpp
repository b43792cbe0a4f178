#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace luot::net {

// A connection the server can ask to close when it stops.
class closable {
 public:
  virtual ~closable() = default;
  // Starts closing; safe to call from any thread.
  virtual void shutdown() = 0;
  // Pings or cuts the connection if its peer has been silent too long
  // (see session_registry::keep_alive); safe to call from any thread.
  virtual void keep_alive(std::chrono::steady_clock::time_point) {}
};

// Every open connection, so a stopping server can close them all. Thread-safe.
class session_registry {
 public:
  // False once the server is stopping: the caller should close at once.
  bool add(const std::shared_ptr<closable>& session) {
    const std::lock_guard lock(mutex_);
    if (stopping_) return false;
    sessions_[session.get()] = session;
    return true;
  }

  void remove(const closable* session) {
    const std::lock_guard lock(mutex_);
    sessions_.erase(session);
    if (sessions_.empty()) emptied_.notify_all();
  }

  // Asks every open connection to close; they leave the registry as they go.
  void close_all() {
    std::map<const closable*, std::weak_ptr<closable>> open;
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
      open = sessions_;
    }
    for (auto& [key, session] : open) {
      if (auto live = session.lock()) live->shutdown();
    }
  }

  // Asks every open connection to check its peer is still there: the
  // server calls this every few seconds, so an idle connection needs no
  // timer of its own.
  void keep_alive(std::chrono::steady_clock::time_point now) {
    std::vector<std::shared_ptr<closable>> open;
    {
      const std::lock_guard lock(mutex_);
      open.reserve(sessions_.size());
      for (auto& [key, session] : sessions_) {
        if (auto live = session.lock()) open.push_back(std::move(live));
      }
    }
    for (auto& session : open) session->keep_alive(now);
  }

  // Waits until every connection has gone, or `limit` has passed; says which.
  template <typename Duration>
  bool wait_until_empty(Duration limit) {
    std::unique_lock lock(mutex_);
    return emptied_.wait_for(lock, limit, [this] { return sessions_.empty(); });
  }

  std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return sessions_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  bool stopping_ = false;
  std::map<const closable*, std::weak_ptr<closable>> sessions_;
};

}  // namespace luot::net
