#include "fuzz_backend.hpp"

#include <string>

#include "config/settings.hpp"

namespace luot::fuzz {

core::timestamp fixed_now() {
  return core::timestamp(std::chrono::milliseconds(1795419000000));
}

const config::settings& demo_settings() {
  static const config::settings settings = [] {
    auto loaded = config::load_file(LUOT_DEMO_CONFIG);
    for (auto& category : loaded.centre.categories) category.hours.reset();
    return loaded;
  }();
  return settings;
}

namespace {
// Deterministic session and ticket tokens.
std::string next_token() {
  static unsigned long counter = 0;
  return "fuzz-token-" + std::to_string(++counter);
}
}  // namespace

fake_backend::fake_backend(const config::settings& settings)
    : settings_(settings),
      engine_(settings_.centre, [] { return next_token(); }),
      hub_(core::engine(settings_.centre, [] { return std::string(); }), 100, 1 << 20, nullptr,
           fixed_now()) {}

void fake_backend::execute(v1::Command command, core::actor who, net::command_done done) {
  auto decided = engine_.execute(command, fixed_now(), who);
  if (!decided) return done(decided.failure());
  hub_.publish(decided->events);
  v1::CommandResult result;
  for (const auto& event : decided->events) result.add_seqs(event.seq());
  if (auto ticket =
          engine_.find_ticket(decided->ticket_id, fixed_now(), core::visibility::internal)) {
    *result.mutable_ticket() = *ticket;
  }
  done(result);
}

}  // namespace luot::fuzz
