#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "process_stats.hpp"

namespace luot::bench {

// A program the benchmark runs as a child process, so its CPU time and
// memory are its own: luot-server, the kernel floor, the Node.js peer. Its
// output goes to a log file; it dies with the benchmark (PR_SET_PDEATHSIG);
// it announces its port with a line "listening on 127.0.0.1:PORT".
class child_program {
 public:
  child_program() = default;
  ~child_program();
  child_program(const child_program&) = delete;
  child_program& operator=(const child_program&) = delete;

  // Runs `arguments` (the program first) with stdout and stderr in
  // `log_file`, and waits until it listens; throws with its log when it
  // exits or does not listen within 60 s. Stops a previous run first.
  void start(std::vector<std::string> arguments, const std::filesystem::path& log_file);
  // SIGTERM, SIGKILL after 15 s. Idempotent.
  void stop();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  process_sample sample() const { return sample_process(pid_); }
  std::string log() const;

 private:
  std::filesystem::path log_file_;
  std::string program_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace luot::bench
