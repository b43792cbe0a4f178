#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

namespace luot::net {

// A connection the server can ask to close when it stops.
class closable {
 public:
  virtual ~closable() = default;
  // Starts closing; safe to call from any thread.
  virtual void shutdown() = 0;
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
