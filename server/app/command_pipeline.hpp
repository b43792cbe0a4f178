#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/publisher.hpp"
#include "config/settings.hpp"
#include "core/engine.hpp"
#include "net/backend.hpp"
#include "net/beast.hpp"
#include "store/event_store.hpp"
#include "store/group_committer.hpp"
#include "store/store_factory.hpp"

namespace luot::net {
class auth;
class hub;
class metrics;
}  // namespace luot::net

namespace luot::app {

class snapshotter;
class tail_follower;

// The path of a command: decided on the engine strand by the working
// engine, made durable by the group committer, published on the hub strand
// from the store's committed tail. It owns the store (chosen by the
// database URL), the engines, the committer, the hub and the snapshotter.
//
// With one writer (SQLite) a decision is final: its events are folded into
// the working engine at once, and a commit comes straight back to the
// publisher. With a log that several instances share (PostgreSQL), another
// instance may take the seqs a decision used: the append comes back as a
// conflict, the working engine is rebuilt from the log (snapshot and tail),
// and the command is decided again, at most `max_attempts` times. The
// publisher is then fed from the log's tail as well (tail_follower), so
// every event of the centre reaches the hub, and the working engine, in
// order.
class command_pipeline {
 public:
  using strand = net::asio::strand<net::asio::io_context::executor_type>;
  using clock = std::function<core::timestamp()>;
  using store_opener = std::function<std::unique_ptr<store::event_store>()>;

  // How often a command is decided before it is refused as UNAVAILABLE
  // because other instances kept taking its seqs.
  static constexpr unsigned max_attempts = 8;

  // The strands are the server's and must outlive every call. `open_store` replaces the store the
  // database URL names (tests); such a store is taken to have one writer.
  command_pipeline(const config::settings& settings, store_opener open_store, net::metrics& metrics,
                   net::auth& auth, strand& engine_strand, strand& hub_strand, clock now);
  ~command_pipeline();
  command_pipeline(const command_pipeline&) = delete;
  command_pipeline& operator=(const command_pipeline&) = delete;

  // Opens the store, recovers both engines, starts the committer, the
  // snapshotter and (shared log) the tail follower. Throws store_error or
  // std::runtime_error with a clear message.
  void open();

  // Engine strand: decides `command` and calls `done` once its events are
  // durable and published (or with the reason it was refused).
  void execute(const v1::Command& command, const core::actor& who, net::command_done done);
  // Engine strand: closes the service day if the clock moved past it.
  void check_roll_over();

  // Hub strand.
  net::hub& hub();

  // True while the store accepts writes.
  bool ready() const;

  // Stops the follower, the snapshotter and the committer (which commits
  // what is pending). Call once no strand runs any more.
  void stop();

  // Conflicts the committer has reported (how often another instance won).
  std::uint64_t conflicts() const;

 private:
  struct command_attempt {
    v1::Command command;
    core::actor who;
    net::command_done done;
    unsigned attempts = 1;
  };
  // A batch submitted and not answered yet (shared log only); without a
  // command it closed the day.
  struct in_flight {
    std::uint64_t epoch = 0;
    std::uint64_t last_seq = 0;
    std::shared_ptr<command_attempt> command;
  };

  void run(command_attempt attempt);
  std::optional<core::error> check_staffing(const v1::Command& command, const core::actor& who);
  void commit(std::vector<v1::Event> events, std::shared_ptr<command_attempt> attempt,
              v1::CommandResult reply);
  void fail(const std::string& reason);

  // Shared log, engine strand.
  void answered(std::uint64_t epoch, store::commit_outcome outcome);
  void committed_elsewhere(const committed_events& events);
  void catch_up();
  bool rebuild();

  const config::settings& settings_;
  store_opener open_store_;
  net::metrics& metrics_;
  net::auth& auth_;
  // The server's, which outlive every post (the pipeline stops first).
  strand& engine_strand_;
  strand& hub_strand_;
  clock now_;
  store::writers writers_;

  std::unique_ptr<store::event_store> store_;
  std::unique_ptr<store::group_committer> committer_;
  std::unique_ptr<snapshotter> snapshotter_;
  std::unique_ptr<net::hub> hub_;
  std::unique_ptr<publisher> publisher_;
  std::unique_ptr<tail_follower> follower_;
  std::atomic<bool> healthy_{false};

  // Engine strand.
  std::unique_ptr<core::engine> engine_;
  // Shared log: the working engine's events up to this seq are committed;
  // those after it are this server's, not answered yet.
  std::uint64_t confirmed_ = 0;
  std::uint64_t epoch_ = 0;
  std::deque<in_flight> in_flight_;
  // Committed events (another instance's, or ours already folded) not yet
  // reconciled with the working engine.
  std::deque<v1::Event> elsewhere_;
  // The working engine no longer follows the log: rebuilt before the next
  // command.
  bool stale_ = false;
  // Reads the log to rebuild the working engine (its own connection).
  std::unique_ptr<store::event_store> rebuild_reader_;
};

}  // namespace luot::app
