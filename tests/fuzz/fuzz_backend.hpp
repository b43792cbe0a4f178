#pragma once

// A backend without sockets or a database for the fuzz targets: commands run
// synchronously on a real engine, as in tests/server/router_test.cpp.

#include <functional>
#include <vector>

#include "config/settings.hpp"
#include "core/engine.hpp"
#include "net/backend.hpp"
#include "net/hub.hpp"

namespace luot::fuzz {

// A fixed Tuesday morning in Hà Nội, so runs are reproducible.
core::timestamp fixed_now();

// The demo centre (deploy/config/demo.toml) with its opening hours lifted,
// so every category takes tickets at fixed_now(). Loaded once.
const config::settings& demo_settings();

class fake_backend final : public net::backend {
 public:
  explicit fake_backend(const config::settings& settings);

  void execute(v1::Command command, core::actor who, net::command_done done) override;
  void on_hub(std::function<void(net::hub&)> work) override { work(hub_); }
  // Password checks run at once (argon2id on the demo's hashes is slow, but
  // the fuzzer seldom reaches it: sign-ins are rate limited per address).
  void offload(std::function<void()> work) override { work(); }
  bool ready() const override { return true; }
  core::timestamp now() const override { return fixed_now(); }
  const config::settings& settings() const override { return settings_; }

 private:
  const config::settings& settings_;
  core::engine engine_;
  net::hub hub_;
};

}  // namespace luot::fuzz
