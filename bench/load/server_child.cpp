#include "server_child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace luot::bench {

namespace {

using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Local "HH:MM" twelve hours from now in Asia/Ho_Chi_Minh (UTC+7, no
// daylight saving time).
std::string reset_time_far_from_now() {
  const auto seconds = static_cast<long long>(std::time(nullptr));
  const long long local = (seconds + 7 * 3600 + 12 * 3600) % 86400;
  char text[8];
  std::snprintf(text, sizeof text, "%02lld:%02lld", local / 3600, local % 3600 / 60);
  return text;
}

bool reap(pid_t pid, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno == ECHILD)) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace

std::string bench_centre_toml(std::optional<std::uint32_t> subscribe_per_minute) {
  std::string toml = R"([centre]
name = "Trung tâm đo tải"
time_zone = "Asia/Ho_Chi_Minh"
reset_time = ")" + reset_time_far_from_now() +
                     R"("

[server]
address = "127.0.0.1"
io_threads = 2
take_ticket_per_minute = 100000
)";
  if (subscribe_per_minute) {
    toml += "subscribe_per_minute = " + std::to_string(*subscribe_per_minute) + "\n";
  }
  const struct {
    std::string_view code, name_vi, name_en, prefix;
  } fields[] = {{"LDVL", "Lao động – Việc làm", "Labour and employment", "A"},
                {"NCC", "Người có công", "People with meritorious service", "B"},
                {"BTXH", "Bảo trợ xã hội", "Social protection", "C"},
                {"TE", "Trẻ em", "Children", "D"}};
  for (const auto& field : fields) {
    toml += "\n[[categories]]\ncode = \"" + std::string(field.code) + "\"\nname_vi = \"" +
            std::string(field.name_vi) + "\"\nname_en = \"" + std::string(field.name_en) +
            "\"\nformat = { prefix = \"" + std::string(field.prefix) +
            "\", width = 4 }\nhours = \"always\"\n";
  }
  for (int number = 1; number <= 4; ++number) {
    const auto id = std::to_string(number);
    toml += "\n[[counters]]\nid = \"" + id + "\"\nname_vi = \"Quầy " + id +
            "\"\nname_en = \"Counter " + id +
            "\"\ncategories = [\"LDVL\", \"NCC\", \"BTXH\", \"TE\"]\n";
  }
  toml += "\n[[devices]]\nid = \"hall\"\nkind = \"display\"\ntoken = \"" +
          std::string(display_token) + "\"\n";
  return toml;
}

server_child::server_child(std::filesystem::path program, std::filesystem::path directory,
                           const std::string& centre_toml)
    : program_(std::move(program)), directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  std::ofstream(directory_ / "centre.toml") << centre_toml;
}

server_child::~server_child() {
  stop();
}

void server_child::start(const std::filesystem::path& database) {
  stop();
  log_file_ = directory_ / ("server-" + std::to_string(++starts_) + ".log");
  // Everything the child needs is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed.
  std::vector<std::string> arguments = {program_.string(),
                                        "--config",
                                        (directory_ / "centre.toml").string(),
                                        "--database",
                                        database.string(),
                                        "--port",
                                        "0"};
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const int output = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (output < 0) throw std::runtime_error("cannot create " + log_file_.string());
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
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(program_.string() + " exited at start:\n" + read_file(log_file_));
    }
    const std::string text = read_file(log_file_);
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
  throw std::runtime_error(program_.string() + " did not listen within 60 s:\n" +
                           read_file(log_file_));
}

void server_child::stop() {
  // Never kill(-1, ...): that would signal every process of the user.
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!reap(pid_, 15s)) {
    ::kill(pid_, SIGKILL);
    reap(pid_, 15s);
  }
  pid_ = -1;
}

std::string server_child::log() const {
  return read_file(log_file_);
}

}  // namespace luot::bench
