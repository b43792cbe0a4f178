#pragma once

// Threading model
// ---------------
// N I/O threads (settings.server.io_threads) each run an io_context of their
// own; the listener hands connections to them in turn and a connection stays
// on its thread, so a session's handlers never run concurrently and need
// neither lock nor strand. The engine and hub strands (and the listener and
// timers) live on a core io_context run by two more threads, so connection
// work never holds a command back.
//
// The command pipeline (command_pipeline.hpp) owns the path of a command.
// The working queue engine is owned by the engine strand: sessions turn a
// request into a v1::Command and net::post it there. On the engine strand the
// command is executed at system_clock "now"; its events (already folded into
// the working engine, so the next command sees them) are submitted to the
// group committer, and the reply is built from the working engine's view.
//
// The group committer's writer thread does the store's writes, one
// transaction (one fsync) for everything pending. Its completions are posted
// to the hub strand, where the publisher (publisher.hpp) hands committed
// events to the hub in seq order: a second engine folded only with
// committed events, the ring buffer of recent events for resuming
// subscribers, and the subscribers. There each event is folded, serialized
// once per encoding and the same buffer queued by every subscribed session
// (one task per I/O thread and message, see net::subscriber); the reply is
// posted back to the session that asked just before. Nobody is told of an event before
// it is durable. If a commit fails, the server refuses every later command
// with UNAVAILABLE and /readyz fails.
//
// With PostgreSQL several instances may share the log. The tail follower's
// thread (tail_follower.hpp) LISTENs for other instances' appends and posts
// what it reads to the same publisher; the working engine folds them on the
// engine strand. An append that lost its seqs to another instance comes
// back to the engine strand as a conflict: the working engine is rebuilt
// from the log and the command decided again.
//
// One server may serve several centres (a deployment directory,
// docs/multi-centre.md). Each centre has all of the above of its own
// (centre_runtime.hpp): engine and hub strands, command pipeline, store,
// publisher, snapshotter, tail follower, timers, auth and router, so two
// centres never wait for each other's commands or commits. They share the
// I/O threads, the listener, the metrics and the password and report
// threads; api::centre_dispatch sends each request (and each WebSocket) to
// the centre its path names.
//
// A timer on the engine strand checks every 30 s whether the service day
// ended (roll_over), so the day closes at the reset time without traffic.
// Password verification (argon2id, memory-hard) runs on a separate small
// thread pool so it never stalls network I/O.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "config/settings.hpp"
#include "core/time.hpp"

namespace luot::store {
class event_store;
}

namespace luot::app {

// What tests (and only tests, so far) change about a server.
struct server_options {
  // Opens the event log of a one-centre server; empty means the store
  // settings.server.database names.
  std::function<std::unique_ptr<store::event_store>()> open_store;
  // The engine's "now"; empty means the system clock.
  std::function<core::timestamp()> clock;
  // How often the engine strand checks whether the service day ended.
  std::chrono::milliseconds roll_over_interval{std::chrono::seconds(30)};
  // How often the hub checks whether the clock alone changed the public
  // view (a category opening or closing by its hours).
  std::chrono::milliseconds view_refresh_interval{std::chrono::seconds(5)};
};

// The whole luot-server: for each centre its store, engine, hub and router
// (centre_runtime.hpp), and the network in front of them, wired together.
class server {
 public:
  // A server of the one centre a file describes: today's paths.
  explicit server(config::settings settings, server_options options = {});
  // A server of every centre of `deployment` (docs/multi-centre.md).
  explicit server(config::deployment deployment, server_options options = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Opens the store, recovers the state, binds address:port and starts the
  // I/O threads. Throws std::runtime_error (or store_error) with a clear
  // message when any of that fails.
  void start();

  // The port actually bound (useful when the settings asked for port 0).
  std::uint16_t port() const;

  // True while every centre's store is open and its log accepts writes.
  bool ready() const;

  // Blocks until SIGINT or SIGTERM arrives.
  void wait_for_signal();

  // Closes the acceptor and every connection, commits what is pending and
  // joins all threads. Idempotent; the destructor calls it. False when
  // something did not end by itself within the grace period and was cut.
  bool stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace luot::app
