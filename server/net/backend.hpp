#pragma once

#include <functional>
#include <string>

#include "config/settings.hpp"
#include "core/engine.hpp"
#include "core/result.hpp"
#include "luot/v1/luot.pb.h"

namespace luot::net {

class hub;

// Told what a command did once its events are durable and published, or why
// it was refused. May run on any thread; sessions re-post to their strand.
using command_done = std::function<void(core::result<v1::CommandResult>)>;

// Told the report a manager asked for, or why there is none.
using report_done = std::function<void(core::result<v1::Report>)>;

// What the network layer needs from the server around it: the engine strand,
// the hub strand and a place for slow work. server/app implements it; tests
// of the router can pass a fake.
class backend {
 public:
  virtual ~backend() = default;

  // Executes `command` on the engine strand at the current time. `done` runs
  // only after the events are committed and folded into the published state
  // (or with the refusal, changing nothing).
  virtual void execute(v1::Command command, core::actor who, command_done done) = 0;

  // Runs `work` on the hub strand, the only place the published state lives.
  virtual void on_hub(std::function<void(hub&)> work) = 0;

  // Runs slow, blocking work (password hashing) away from the I/O threads.
  virtual void offload(std::function<void()> work) = 0;

  // True while the store is open and the log accepts writes.
  virtual bool ready() const = 0;

  virtual core::timestamp now() const = 0;

  // Computes the report of the service days from `from_day` to `to_day`
  // from the event log, away from the I/O threads and both strands. The
  // default (a backend with no log to read, as in router tests) refuses.
  virtual void report(std::string from_day, std::string to_day, report_done done) {
    (void)from_day;
    (void)to_day;
    done(core::make_error(v1::ERROR_CODE_UNAVAILABLE));
  }
  virtual const config::settings& settings() const = 0;
};

}  // namespace luot::net
