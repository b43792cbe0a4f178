#pragma once

#include <filesystem>
#include <string_view>

namespace luot::device {

// Where a device program (luot-display, luot-dispenser) keeps what must
// survive a restart when no --state-dir is given: systemd's
// $STATE_DIRECTORY (its first entry), else $XDG_STATE_HOME/<program>, else
// ~/.local/state/<program>, else ./<program>-state.
std::filesystem::path default_state_directory(std::string_view program);

}  // namespace luot::device
