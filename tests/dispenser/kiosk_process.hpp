#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace luot::kiosk::testing {

// The real luot-dispenser program as a child process, its stdin, stdout and
// stderr on pipes: what a button box or a technician sees. It dies with the
// test (SIGKILL on destruction, and PR_SET_PDEATHSIG).
class kiosk_process {
 public:
  // Starts `luot-dispenser` with these arguments (the program name is added).
  explicit kiosk_process(std::vector<std::string> arguments);
  ~kiosk_process();
  kiosk_process(const kiosk_process&) = delete;
  kiosk_process& operator=(const kiosk_process&) = delete;

  void send_line(const std::string& line);
  void close_input();

  // The next stdout line not yet taken, waiting up to `timeout`.
  std::optional<std::string> next_ticket_line(std::chrono::milliseconds timeout);
  // Every stdout line so far.
  std::vector<std::string> ticket_lines() const;
  // Waits until stderr holds a line containing `text` (counted from the
  // start); true when it does.
  bool wait_for_message(const std::string& text, std::chrono::milliseconds timeout,
                        std::size_t occurrences = 1) const;
  std::string messages() const;
  // How many times `text` occurs in stderr so far.
  std::size_t message_count(const std::string& text) const;

  // Waits for the program to end; its exit code, or nothing on timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  // SIGKILL and reap.
  void kill();

 private:
  void read_stream(int descriptor, bool is_stdout);

  pid_t pid_ = -1;
  int input_ = -1;
  std::thread stdout_reader_;
  std::thread stderr_reader_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<std::string> out_lines_;
  std::size_t out_taken_ = 0;
  std::string err_text_;
  std::string out_partial_;
};

}  // namespace luot::kiosk::testing
