#include "device/state_directory.hpp"

#include <cstdlib>
#include <string>

namespace luot::device {

std::filesystem::path default_state_directory(std::string_view program) {
  if (const char* systemd = std::getenv("STATE_DIRECTORY"); systemd && *systemd) {
    // systemd may list several directories separated by ':'; the first is ours.
    const std::string_view all(systemd);
    return std::filesystem::path(std::string(all.substr(0, all.find(':'))));
  }
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    return std::filesystem::path(state) / program;
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".local" / "state" / program;
  }
  return std::filesystem::path(std::string(program) + "-state");
}

}  // namespace luot::device
