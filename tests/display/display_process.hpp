#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace luot::display::testing {

// The real luot-display program as a child process, with its output in a
// log file the test reads. It dies with the test (SIGKILL on destruction,
// and PR_SET_PDEATHSIG).
class display_process {
 public:
  display_process(std::filesystem::path log_file, std::vector<std::string> arguments,
                  std::map<std::string, std::string> environment);
  ~display_process();
  display_process(const display_process&) = delete;
  display_process& operator=(const display_process&) = delete;

  // The whole log so far.
  std::string log() const;
  // Log lines containing `text`.
  std::vector<std::string> lines_with(const std::string& text) const;
  // Waits until `holds` is true of the log; false on timeout or when the
  // program exited first.
  bool wait_for(const std::function<bool(const std::string&)>& holds,
                std::chrono::milliseconds timeout) const;
  bool wait_for_text(const std::string& text, std::chrono::milliseconds timeout) const;

  // Waits for the program to end by itself; its exit code (-1 when it was
  // killed by a signal or is still running after `timeout`).
  int wait_exit(std::chrono::milliseconds timeout);
  // SIGTERM, then the exit code (SIGKILL after `grace`).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  void kill();

 private:
  // Reaps the program if it ended; true when it has.
  bool ended() const;

  std::filesystem::path log_file_;
  mutable pid_t pid_ = -1;
  mutable int status_ = -1;
};

}  // namespace luot::display::testing
