#include "app/command_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "app/snapshotter.hpp"
#include "app/tail_follower.hpp"
#include "net/auth.hpp"
#include "net/hub.hpp"
#include "net/metrics.hpp"
#include "net/permissions.hpp"
#include "store/append_watch.hpp"
#include "store/recovery.hpp"

namespace luot::app {

namespace {

namespace asio = net::asio;

// A restart replays at most about this many events after the last snapshot.
constexpr std::uint64_t snapshot_interval = 1000;

std::string new_status_token() {
  return net::random_token();
}

}  // namespace

command_pipeline::command_pipeline(const config::settings& settings, store_opener open_store,
                                   net::metrics& metrics, net::auth& auth, strand& engine_strand,
                                   strand& hub_strand, clock now)
    : settings_(settings),
      open_store_(std::move(open_store)),
      metrics_(metrics),
      auth_(auth),
      engine_strand_(engine_strand),
      hub_strand_(hub_strand),
      now_(std::move(now)),
      writers_(store::writers::single) {}

command_pipeline::~command_pipeline() {
  stop();
}

void command_pipeline::open() {
  const auto database = settings_.server.database.string();
  if (open_store_) {
    store_ = open_store_();
  } else {
    store_ = store::open_store(database, settings_.store_centre);
    writers_ = store::writers_of(database);
  }
  engine_ = std::make_unique<core::engine>(settings_.centre, new_status_token);
  const auto replayed = store::recover(*engine_, *store_);
  confirmed_ = engine_->seq();
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
  // resume exactly from the updates they would have had. The snapshotter's
  // copy of the state follows the same way.
  const auto latest = store_->latest_snapshot();
  core::engine published(settings_.centre, new_status_token);
  core::engine archived(settings_.centre, new_status_token);
  if (latest) {
    published.restore(*latest);
    archived.restore(*latest);
  }
  hub_ = std::make_unique<net::hub>(std::move(published), settings_.server.resume_window,
                                    settings_.server.resume_window_bytes, &metrics_, now_());
  store_->read_after(hub_->seq(), [this, &archived](const v1::Event& event) {
    if (event.seq() != hub_->seq() + 1)
      throw store::store_error("the event log has a gap before seq " + std::to_string(event.seq()));
    hub_->replay(event);
    archived.fold(event);
  });
  hub_->refresh(now_());
  const auto conflicts = writers_ == store::writers::shared ? store::conflict_policy::report
                                                            : store::conflict_policy::fatal;
  committer_ = std::make_unique<store::group_committer>(
      *store_,
      [this](std::chrono::nanoseconds latency, std::size_t, std::size_t) {
        metrics_.commit_observed(latency);
      },
      conflicts);
  snapshotter_ =
      std::make_unique<snapshotter>(std::move(archived), *committer_, snapshot_interval,
                                    latest ? latest->seq() : 0, [this] { return now_(); });

  const bool shared = writers_ == store::writers::shared;
  publisher_ = std::make_unique<publisher>(
      *hub_, publisher::hooks{[this](const std::vector<v1::Event>& events) {
                                // Staff changes take effect once durable, as everything else.
                                for (const auto& event : events)
                                  if (event.has_staff_set())
                                    auth_.apply(event.staff_set().record());
                              },
                              [this, shared](const committed_events& events) {
                                snapshotter_->committed(events);
                                if (shared) {
                                  asio::post(engine_strand_,
                                             [this, events] { committed_elsewhere(events); });
                                }
                              },
                              [this](std::uint64_t) {
                                if (follower_) follower_->read_now();
                              }});
  if (shared) {
    rebuild_reader_ = store::open_store(database, settings_.store_centre);
    follower_ = std::make_unique<tail_follower>(
        store::open_append_watch(database, settings_.store_centre),
        store::open_store(database, settings_.store_centre), hub_->seq(),
        [this](std::vector<v1::Event> events) {
          auto read = std::make_shared<const std::vector<v1::Event>>(std::move(events));
          asio::post(hub_strand_, [this, read] { publisher_->read_from_log(read); });
        });
  }
  healthy_ = true;
  spdlog::info("recovered {} events up to seq {} from {}{}", replayed, engine_->seq(),
               store::printable_database(database), shared ? " (shared with other instances)" : "");
}

net::hub& command_pipeline::hub() {
  return *hub_;
}

bool command_pipeline::ready() const {
  return healthy_.load(std::memory_order_acquire) && committer_ && !committer_->failed();
}

std::uint64_t command_pipeline::conflicts() const {
  return committer_ ? committer_->conflicts() : 0;
}

void command_pipeline::stop() {
  if (follower_) follower_->stop();
  // Commits what is pending; its completions land in the stopped context.
  // The last snapshot due goes to the committer before it stops.
  if (snapshotter_) snapshotter_->stop();
  if (committer_) committer_->stop();
}

// Engine strand ---------------------------------------------------------

void command_pipeline::execute(const v1::Command& command, const core::actor& who,
                               net::command_done done) {
  run(command_attempt{command, who, std::move(done), 1});
}

void command_pipeline::run(command_attempt attempt) {
  if (!ready()) return attempt.done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
  if (stale_ && !rebuild()) return attempt.done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
  if (auto refused = check_staffing(attempt.command, attempt.who))
    return attempt.done(std::move(*refused));
  const auto at = now_();
  auto decided = engine_->execute(attempt.command, at, attempt.who);
  if (!decided) return attempt.done(decided.failure());

  // The reply is built from the working engine's view now; it is sent only
  // once the events are durable and published.
  v1::CommandResult reply;
  for (const auto& event : decided->events) reply.add_seqs(event.seq());
  if (!decided->ticket_id.empty()) {
    // Only the citizen taking a ticket learns its status token.
    const auto view = attempt.command.has_take_ticket() ? core::visibility::internal
                                                        : core::visibility::public_view;
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
  commit(std::move(decided->events), std::make_shared<command_attempt>(std::move(attempt)),
         std::move(reply));
}

// A counter command must come from the officer staffing that counter now
// (the rule lives in net/permissions with every other permission).
std::optional<core::error> command_pipeline::check_staffing(const v1::Command& command,
                                                            const core::actor& who) {
  std::optional<v1::Counter> counter;
  if (const auto counter_id = net::counter_of(command))
    counter = engine_->find_counter(*counter_id);
  return net::authorize_staffing(command, who.name, counter ? &*counter : nullptr);
}

void command_pipeline::check_roll_over() {
  if (!ready()) return;
  if (stale_ && !rebuild()) return;
  auto events = engine_->roll_over(now_());
  if (events.empty()) return;
  const auto closed_day = engine_->service_day();
  for (const auto& event : events) engine_->fold(event);
  spdlog::info("service day {} closed; {} begins", closed_day, engine_->service_day());
  commit(std::move(events), nullptr, {});
}

// Hands events (already folded into the working engine) to the group
// committer; the reply goes once they are published. With no events it
// still waits until everything executed so far is published, so a reply
// never reveals state that is not yet durable.
void command_pipeline::commit(std::vector<v1::Event> events,
                              std::shared_ptr<command_attempt> attempt, v1::CommandResult reply) {
  // Shared: the answer is copied along the way (writer thread, hub strand).
  auto result = std::make_shared<const v1::CommandResult>(std::move(reply));
  auto answer = [attempt, result](bool published) {
    if (!attempt) return;
    if (!published) return attempt->done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
    attempt->done(*result);
  };
  const bool shared = writers_ == store::writers::shared;
  if (events.empty() && !shared) {
    const auto target = engine_->seq();
    asio::post(hub_strand_, [this, target, answer = std::move(answer)]() mutable {
      hub_->when_published(target, std::move(answer));
    });
    return;
  }
  auto durable = std::make_shared<const std::vector<v1::Event>>(events);
  // On the committer's writer thread: hand over to the hub strand at once.
  auto publish = [this, durable, answer = std::move(answer)](store::commit_outcome outcome) {
    asio::post(hub_strand_, [this, durable, outcome, answer] {
      if (outcome == store::commit_outcome::failed) {
        fail(committer_->failure_reason());
        return answer(false);
      }
      publisher_->committed_here(durable, [answer] { answer(true); });
    });
  };
  if (!shared) {
    committer_->submit(std::move(events), [publish = std::move(publish)](bool committed) {
      publish(committed ? store::commit_outcome::durable : store::commit_outcome::failed);
    });
    return;
  }
  // A shared log: the answer may be a conflict, which the engine strand
  // handles (the command is decided again); it learns of every answer, in
  // submission order, to know which of its events are committed. A command
  // without events goes the same way (the committer answers it without the
  // store, after the batches before it): if those lose a conflict, what it
  // read of them was never committed and it is decided again too.
  const auto epoch = epoch_;
  in_flight_.push_back(in_flight{epoch, engine_->seq(), attempt});
  committer_->submit(std::move(events), epoch,
                     [this, epoch, publish = std::move(publish)](store::commit_outcome outcome) {
                       if (outcome != store::commit_outcome::conflict) publish(outcome);
                       asio::post(engine_strand_,
                                  [this, epoch, outcome] { answered(epoch, outcome); });
                     });
}

// Hub strand.
void command_pipeline::fail(const std::string& reason) {
  if (healthy_.exchange(false)) {
    spdlog::critical("the event log failed ({}); refusing commands until restarted", reason);
  }
  hub_->fail_waiters();
}

// Shared log, engine strand --------------------------------------------

void command_pipeline::answered(std::uint64_t epoch, store::commit_outcome outcome) {
  if (in_flight_.empty()) return;
  auto batch = std::move(in_flight_.front());
  in_flight_.pop_front();
  if (outcome == store::commit_outcome::durable) {
    confirmed_ = std::max(confirmed_, batch.last_seq);
    catch_up();
    return;
  }
  if (outcome == store::commit_outcome::failed) return;
  // Another instance took these seqs: the working engine is rebuilt from the
  // log once per lost epoch, and the command decided again on it.
  if (epoch == epoch_) {
    ++epoch_;
    rebuild();
    spdlog::debug("lost seq {} to another instance; reloaded the log up to seq {}", batch.last_seq,
                  confirmed_);
  }
  if (!batch.command) {
    check_roll_over();
  } else if (batch.command->attempts >= max_attempts) {
    spdlog::warn("a command lost {} times to other instances' commands; refused",
                 batch.command->attempts);
    batch.command->done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
  } else {
    auto attempt = std::move(*batch.command);
    ++attempt.attempts;
    run(std::move(attempt));
  }
  // The committer excluded the other instances when it found the conflict;
  // once every batch it concerned is decided again, they are admitted.
  const bool more_stale =
      std::any_of(in_flight_.begin(), in_flight_.end(),
                  [this](const in_flight& entry) { return entry.epoch < epoch_; });
  if (!more_stale) committer_->admit_writers_after_pending();
}

void command_pipeline::committed_elsewhere(const committed_events& events) {
  for (const auto& event : *events)
    if (event.seq() > confirmed_) elsewhere_.push_back(event);
  catch_up();
}

// Folds committed events the working engine lacks, once nothing of its own
// is in flight (until then it cannot know whether they are its own).
void command_pipeline::catch_up() {
  while (!elsewhere_.empty() && elsewhere_.front().seq() <= confirmed_) elsewhere_.pop_front();
  // A rebuild reads the log to its end anyway.
  if (stale_) elsewhere_.clear();
  if (stale_ || !in_flight_.empty() || elsewhere_.empty()) return;
  if (engine_->seq() != confirmed_) {
    stale_ = true;
    elsewhere_.clear();
    return;
  }
  while (!elsewhere_.empty()) {
    const auto& event = elsewhere_.front();
    if (event.seq() != confirmed_ + 1) {
      stale_ = true;
      elsewhere_.clear();
      return;
    }
    engine_->fold(event);
    confirmed_ = event.seq();
    elsewhere_.pop_front();
  }
}

bool command_pipeline::rebuild() {
  try {
    auto fresh = std::make_unique<core::engine>(settings_.centre, new_status_token);
    store::recover(*fresh, *rebuild_reader_);
    engine_ = std::move(fresh);
    confirmed_ = engine_->seq();
    stale_ = false;
    while (!elsewhere_.empty() && elsewhere_.front().seq() <= confirmed_) elsewhere_.pop_front();
    return true;
  } catch (const std::exception& failure) {
    spdlog::error("cannot reload the event log after a conflict: {}", failure.what());
    stale_ = true;
    elsewhere_.clear();
    return false;
  }
}

}  // namespace luot::app
