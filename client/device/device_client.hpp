#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "device/options.hpp"
#include "device/request_table.hpp"
#include "luot/v1/luot.pb.h"
#include "view/mirror.hpp"

namespace luot::device {

// A device's link to luot-server: it keeps a mirror of the public view
// current across reconnects (resuming without missing or repeating an
// update), reports calls and link state, and sends commands.
//
// Threading: start() runs the client on its own thread with its own
// io_context, on one strand. The callbacks are set before start() and are
// called on that thread, one at a time, in order; they must not block.
// view(), seq(), status(), send(), call(), wait_until() and stop() are safe
// from any other thread.
class device_client {
 public:
  using change_handler = std::function<void(const view::mirror&, const view::change&)>;
  using call_handler = std::function<void(const v1::Call&, call_origin)>;
  using state_handler = std::function<void(const link_status&)>;

  // Throws std::invalid_argument when the options cannot work (a bad URL,
  // a ping timeout shorter than the interval, ...), with the reason.
  explicit device_client(options settings);
  ~device_client();
  device_client(const device_client&) = delete;
  device_client& operator=(const device_client&) = delete;

  // Something in the view changed (after the mirror applied it).
  void on_change(change_handler handler);
  // A ticket was called or recalled. Each call is reported once per client,
  // by its seq, however often the link drops: live ones as they happen,
  // missed and pre-start ones (from a resync) oldest first.
  void on_call(call_handler handler);
  // The link's state changed (connecting, syncing, live, disconnected with
  // its reason and since when the data is stale, stopped).
  void on_state(state_handler handler);

  // Starts connecting. Throws std::logic_error when called twice.
  void start();
  // Closes the link and joins the client's thread; commands still waiting
  // are answered UNAVAILABLE. Idempotent; must not be called from a callback.
  void stop();

  // Copies of the mirror, current as of the last update applied.
  v1::View view() const;
  std::uint64_t seq() const;
  bool has_view() const;
  link_status status() const;

  // Sends a command; `handler` gets the server's reply (a CommandResult or
  // an Error) on the client's thread. When there is no link, or it drops
  // before the reply, the reply is an UNAVAILABLE error, so nobody waits
  // forever. Before start() or after stop() the handler runs at once on the
  // caller's thread.
  void send(v1::Command command, reply_handler handler);
  // Sends a command and waits for the reply; nothing after `timeout`. For
  // tests and the headless kiosk: throws std::logic_error on the client's
  // own thread, where it would wait for itself.
  std::optional<v1::ServerMessage> call(v1::Command command, std::chrono::milliseconds timeout);

  // Waits until `holds` is true of the view (checked at once, then after
  // every update); false on timeout. `holds` runs under the client's lock:
  // it must be quick and must not call the client.
  bool wait_until(const std::function<bool(const v1::View&)>& holds,
                  std::chrono::milliseconds timeout) const;
  // Waits until the link is in `state`, or has entered it since the call
  // (a short-lived state is not missed); false on timeout.
  bool wait_for(connection_state state, std::chrono::milliseconds timeout) const;

 private:
  class impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace luot::device
