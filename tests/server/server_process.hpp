#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace luot::testing {

// Local "HH:MM" twelve hours from now in Asia/Ho_Chi_Minh: a reset time at
// which the service day will not close during a test.
std::string reset_time_far_from_now();

// A centre like test_settings' as TOML: categories A and B always open
// (prefix, width 3), counter 1 serving both, officer "lan" at counter 1 and
// manager "hoa" (officer_password), the display and kiosk devices, and a
// reset time twelve hours away so the day does not close during a test.
// Numbers have `number_width` digits after the prefix (A001 for 3).
std::string test_centre_toml(unsigned number_width = 3);

// The real luot-server program as a child process, for what only another
// process allows: freezing it with SIGSTOP and killing it with SIGKILL. It
// dies with the test (SIGKILL on destruction, and PR_SET_PDEATHSIG).
class server_process {
 public:
  // `directory` holds the config (written from `centre_toml`), the
  // database (unless `database` names another: a file or a postgresql://
  // URL) and one log per start.
  explicit server_process(std::filesystem::path directory,
                          const std::string& centre_toml = test_centre_toml(),
                          const std::string& database = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // Starts the program on `port` (0: any free one) and waits until it
  // listens; throws with its log when it does not.
  void start(std::uint16_t port = 0);
  std::uint16_t port() const { return port_; }
  // SIGSTOP / SIGCONT: the process keeps its sockets and answers nothing.
  void freeze();
  void thaw();
  // SIGKILL and reap; returns the raw wait status (-1 when not running).
  int kill();
  // SIGTERM (the program commits what it has and exits) and reap.
  int stop();
  bool running() const { return pid_ > 0; }
  // The output of the latest start.
  std::string log() const;
  const std::filesystem::path& database() const { return database_; }

 private:
  int end(int signal);

  std::filesystem::path directory_;
  std::filesystem::path database_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int runs_ = 0;
};

}  // namespace luot::testing
