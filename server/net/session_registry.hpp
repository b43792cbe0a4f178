#pragma once

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
  }

  void close_all() {
    std::map<const closable*, std::weak_ptr<closable>> open;
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
      open.swap(sessions_);
    }
    for (auto& [key, session] : open) {
      if (auto live = session.lock()) live->shutdown();
    }
  }

  std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return sessions_.size();
  }

 private:
  mutable std::mutex mutex_;
  bool stopping_ = false;
  std::map<const closable*, std::weak_ptr<closable>> sessions_;
};

}  // namespace luot::net
