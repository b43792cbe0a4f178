// The configuration loader over arbitrary TOML text: it either returns
// settings or throws config_error ("file:line:column: what"); anything else
// (another exception, a crash, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto settings = luot::config::parse(text, "fuzz.toml");
    (void)settings;
  } catch (const luot::config::config_error&) {
    // The expected refusal.
  }
  return 0;
}
