#include "display_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace luot::display::testing {

display_process::display_process(std::filesystem::path log_file, std::vector<std::string> arguments,
                                 std::map<std::string, std::string> environment)
    : log_file_(std::move(log_file)) {
  // Everything the child needs is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed.
  arguments.insert(arguments.begin(), LUOT_DISPLAY_BINARY);
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> variables;
  for (char** inherited = environ; *inherited != nullptr; ++inherited) {
    const std::string variable(*inherited);
    if (!environment.contains(variable.substr(0, variable.find('=')))) {
      variables.push_back(variable);
    }
  }
  for (const auto& [name, value] : environment) variables.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);
  const int output = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (output < 0) throw std::runtime_error("cannot open " + log_file_.string());
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int nothing = ::open("/dev/null", O_RDONLY);
    if (nothing < 0 || ::dup2(nothing, STDIN_FILENO) < 0 || ::dup2(output, STDOUT_FILENO) < 0 ||
        ::dup2(output, STDERR_FILENO) < 0) {
      ::_exit(127);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(output);
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

display_process::~display_process() {
  kill();
}

std::string display_process::log() const {
  std::ifstream in(log_file_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> display_process::lines_with(const std::string& text) const {
  std::vector<std::string> found;
  std::istringstream lines(log());
  for (std::string line; std::getline(lines, line);) {
    if (line.find(text) != std::string::npos) found.push_back(line);
  }
  return found;
}

bool display_process::ended() const {
  if (pid_ <= 0) return true;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  pid_ = -1;
  return true;
}

bool display_process::wait_for(const std::function<bool(const std::string&)>& holds,
                               std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (holds(log())) return true;
    if (ended()) return holds(log());
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

int display_process::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ended()) {
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status_;
}

bool display_process::wait_for_text(const std::string& text,
                                    std::chrono::milliseconds timeout) const {
  return wait_for([&](const std::string& log) { return log.find(text) != std::string::npos; },
                  timeout);
}

int display_process::stop(std::chrono::milliseconds grace) {
  if (ended()) return status_;
  ::kill(pid_, SIGTERM);
  if (wait_exit(grace) >= 0 || pid_ <= 0) return status_;
  kill();
  return -1;
}

void display_process::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace luot::display::testing
