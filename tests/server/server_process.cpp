#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support.hpp"

namespace luot::testing {

namespace {

using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

// Local "HH:MM" twelve hours from now in Asia/Ho_Chi_Minh (UTC+7, no
// daylight saving), so the service day does not close during the test.
std::string reset_time_far_from_now() {
  const auto seconds = static_cast<long long>(std::time(nullptr));
  const long long local = (seconds + 7 * 3600 + 12 * 3600) % 86400;
  char text[8];
  std::snprintf(text, sizeof text, "%02lld:%02lld", local / 3600, local % 3600 / 60);
  return text;
}

std::string test_centre_toml(unsigned number_width) {
  return R"([centre]
name = "Trung tâm thử nghiệm"
time_zone = "Asia/Ho_Chi_Minh"
reset_time = ")" +
         reset_time_far_from_now() + R"("

[server]
address = "127.0.0.1"
io_threads = 2
take_ticket_per_minute = 100000

[[categories]]
code = "A"
name_vi = "Lao động – Việc làm"
name_en = "Labour"
format = { prefix = "A", width = )" +
         std::to_string(number_width) + R"( }
hours = "always"

[[categories]]
code = "B"
name_vi = "Người có công"
name_en = "Merit"
format = { prefix = "B", width = )" +
         std::to_string(number_width) + R"( }
hours = "always"

[[counters]]
id = "1"
name_vi = "Quầy 1"
name_en = "Counter 1"
categories = ["A", "B"]

[[outcomes]]
code = "done"
name_vi = "Đã tiếp nhận"
name_en = "Received"

[[staff]]
username = "lan"
display_name = "Nguyễn Thị Lan"
password_hash = ")" +
         password_hash() + R"("
counters = ["1"]

[[staff]]
username = "hoa"
display_name = "Lê Thị Hoa"
role = "manager"
password_hash = ")" +
         password_hash() + R"("

[[devices]]
id = "hall"
kind = "display"
token = ")" +
         std::string(display_token) +
         R"("

[[devices]]
id = "kiosk-1"
kind = "kiosk"
token = ")" +
         std::string(kiosk_token) +
         R"("
)";
}

server_process::server_process(std::filesystem::path directory, const std::string& centre_toml,
                               const std::string& database)
    : directory_(std::move(directory)),
      database_(database.empty() ? directory_ / "luot.db" : std::filesystem::path(database)) {
  std::ofstream(directory_ / "centre.toml") << centre_toml;
}

server_process::~server_process() {
  kill();
}

void server_process::start(std::uint16_t port) {
  kill();
  const auto log_file = directory_ / ("server-" + std::to_string(++runs_) + ".log");
  // Everything the child needs is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed.
  std::vector<std::string> arguments = {
      LUOT_SERVER_BINARY,  "--config",         (directory_ / "centre.toml").string(),
      "--database",        database_.string(), "--port",
      std::to_string(port)};
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const int output = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (output < 0) throw std::runtime_error("cannot create " + log_file.string());
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const int nothing = ::open("/dev/null", O_RDONLY);
    if (nothing < 0 || ::dup2(nothing, STDIN_FILENO) < 0 || ::dup2(output, STDOUT_FILENO) < 0 ||
        ::dup2(output, STDERR_FILENO) < 0) {
      ::_exit(127);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(output);
  if (pid_ < 0) throw std::runtime_error("fork failed");

  static constexpr std::string_view marker = "listening on 127.0.0.1:";
  // Generous: CI runs this on two loaded cores next to other suites.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("luot-server exited at start:\n" + read_file(log_file));
    }
    const std::string text = read_file(log_file);
    if (const auto at = text.find(marker); at != std::string::npos) {
      const char* first = text.data() + at + marker.size();
      const char* end = text.data() + text.size();
      std::uint16_t value = 0;
      const auto parsed = std::from_chars(first, end, value);
      // The line may be half written yet; wait for what follows the digits.
      if (parsed.ec == std::errc{} && parsed.ptr != end) {
        port_ = value;
        return;
      }
    }
    std::this_thread::sleep_for(10ms);
  }
  throw std::runtime_error("luot-server did not listen within 60 s:\n" + read_file(log_file));
}

void server_process::freeze() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void server_process::thaw() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

int server_process::kill() {
  return end(SIGKILL);
}

int server_process::stop() {
  return end(SIGTERM);
}

int server_process::end(int signal) {
  // Never kill(-1, ...): that would signal every process of the user.
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return status;
}

std::string server_process::log() const {
  return read_file(directory_ / ("server-" + std::to_string(runs_) + ".log"));
}

}  // namespace luot::testing
