#include "child_program.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace luot::bench {

namespace {

using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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

child_program::~child_program() {
  stop();
}

void child_program::start(std::vector<std::string> arguments,
                          const std::filesystem::path& log_file) {
  stop();
  if (arguments.empty()) throw std::invalid_argument("child_program: no program");
  log_file_ = log_file;
  program_ = arguments.front();
  // Everything the child needs is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed.
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
    // execvp: "node" is found on the PATH.
    ::execvp(argv[0], argv.data());
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
      throw std::runtime_error(program_ + " exited at start:\n" + read_file(log_file_));
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
    std::this_thread::sleep_for(5ms);
  }
  throw std::runtime_error(program_ + " did not listen within 60 s:\n" + read_file(log_file_));
}

void child_program::stop() {
  // Never kill(-1, ...): that would signal every process of the user.
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!reap(pid_, 15s)) {
    ::kill(pid_, SIGKILL);
    reap(pid_, 15s);
  }
  pid_ = -1;
}

std::string child_program::log() const {
  return read_file(log_file_);
}

}  // namespace luot::bench
