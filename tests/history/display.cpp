#include "display.hpp"

namespace luot::history {

display::display(std::string name, device::options settings, const std::atomic<unsigned>& round)
    : client_(std::make_unique<device::device_client>(std::move(settings))), round_(round) {
  trace_.subscriber = std::move(name);
  client_->on_change([this](const view::mirror& mirror, const view::change& what) {
    mirror_step step;
    step.seq = mirror.seq();
    step.replaced = what.replaced;
    step.changed = what.categories || what.counters || what.calls || what.ticket || what.devices;
    step.round = round_.load();
    const std::lock_guard lock(mutex_);
    trace_.steps.push_back(step);
  });
  client_->on_state([this](const device::link_status& status) {
    if (status.state != device::connection_state::live) return;
    const std::lock_guard lock(mutex_);
    ++trace_.connections;
  });
}

display::~display() {
  client_->stop();
}

void display::start() {
  client_->start();
}

bool display::reach(std::uint64_t seq, std::chrono::milliseconds timeout) const {
  return client_->wait_until([seq](const v1::View& view) { return view.seq() >= seq; }, timeout);
}

mirror_trace display::finish() {
  client_->stop();
  const std::lock_guard lock(mutex_);
  mirror_trace result = trace_;
  if (client_->has_view()) result.final_view = client_->view();
  return result;
}

}  // namespace luot::history
