#include "kiosk_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace luot::kiosk::testing {

namespace {

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

}  // namespace

kiosk_process::kiosk_process(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), LUOT_DISPENSER_BINARY);
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  int in[2];
  int out[2];
  int err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (::dup2(in[0], STDIN_FILENO) < 0 || ::dup2(out[1], STDOUT_FILENO) < 0 ||
        ::dup2(err[1], STDERR_FILENO) < 0) {
      ::_exit(127);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (pid_ < 0) throw std::runtime_error("fork failed");
  input_ = in[1];
  stdout_reader_ = std::thread([this, fd = out[0]] { read_stream(fd, true); });
  stderr_reader_ = std::thread([this, fd = err[0]] { read_stream(fd, false); });
}

kiosk_process::~kiosk_process() {
  kill();
  close_input();
  if (stdout_reader_.joinable()) stdout_reader_.join();
  if (stderr_reader_.joinable()) stderr_reader_.join();
}

void kiosk_process::read_stream(int descriptor, bool is_stdout) {
  char buffer[4096];
  while (true) {
    const ssize_t got = ::read(descriptor, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    std::lock_guard lock(mutex_);
    if (is_stdout) {
      out_partial_.append(buffer, static_cast<std::size_t>(got));
      for (auto end = out_partial_.find('\n'); end != std::string::npos;
           end = out_partial_.find('\n')) {
        out_lines_.push_back(out_partial_.substr(0, end));
        out_partial_.erase(0, end + 1);
      }
    } else {
      err_text_.append(buffer, static_cast<std::size_t>(got));
    }
    arrived_.notify_all();
  }
  ::close(descriptor);
}

void kiosk_process::send_line(const std::string& line) {
  const std::string text = line + "\n";
  std::size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t wrote = ::write(input_, text.data() + sent, text.size() - sent);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) throw std::runtime_error("cannot write to luot-dispenser's stdin");
    sent += static_cast<std::size_t>(wrote);
  }
}

void kiosk_process::close_input() {
  if (input_ >= 0) ::close(input_);
  input_ = -1;
}

std::optional<std::string> kiosk_process::next_ticket_line(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!arrived_.wait_for(lock, timeout, [&] { return out_lines_.size() > out_taken_; })) {
    return std::nullopt;
  }
  return out_lines_[out_taken_++];
}

std::vector<std::string> kiosk_process::ticket_lines() const {
  std::lock_guard lock(mutex_);
  return out_lines_;
}

bool kiosk_process::wait_for_message(const std::string& text, std::chrono::milliseconds timeout,
                                     std::size_t occurrences) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return count_of(err_text_, text) >= occurrences; });
}

std::size_t kiosk_process::message_count(const std::string& text) const {
  std::lock_guard lock(mutex_);
  return count_of(err_text_, text);
}

std::string kiosk_process::messages() const {
  std::lock_guard lock(mutex_);
  return err_text_;
}

std::optional<int> kiosk_process::wait_for_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

void kiosk_process::kill() {
  // Never kill(-1, ...): that would signal every process of the user.
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

}  // namespace luot::kiosk::testing
