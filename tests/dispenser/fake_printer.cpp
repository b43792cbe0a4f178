#include "fake_printer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace luot::printer::testing {

namespace {

constexpr int poll_interval_ms = 20;

int listen_on_loopback(std::uint16_t& port) {
  const int descriptor = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (descriptor < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(descriptor, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(descriptor, 4) != 0) {
    ::close(descriptor);
    throw std::runtime_error("bind/listen on 127.0.0.1:0 failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(descriptor, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return descriptor;
}

bool readable(int descriptor) {
  pollfd entry{descriptor, POLLIN, 0};
  return ::poll(&entry, 1, poll_interval_ms) > 0;
}

void send_all(int descriptor, const std::vector<std::uint8_t>& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t written = ::write(descriptor, bytes.data() + sent, bytes.size() - sent);
    if (written <= 0) return;
    sent += static_cast<std::size_t>(written);
  }
}

}  // namespace

std::vector<std::uint8_t> status_responder::receive(std::span<const std::uint8_t> bytes,
                                                    const status_answers& state) {
  std::vector<std::uint8_t> answers;
  for (const auto byte : bytes) {
    if (matched_ == 2) {
      matched_ = 0;
      switch (byte) {
        case 1:
          answers.push_back(state.printer);
          continue;
        case 2:
          answers.push_back(state.offline_cause);
          continue;
        case 3:
          answers.push_back(state.error_cause);
          continue;
        case 4:
          answers.push_back(state.paper_sensor);
          continue;
        default:
          break;
      }
    }
    if (matched_ == 1 && byte == 0x04) {
      matched_ = 2;
    } else {
      matched_ = byte == 0x10 ? 1 : 0;
    }
  }
  return answers;
}

fake_network_printer::fake_network_printer(std::vector<status_answers> states, answering mode)
    : states_(std::move(states)), mode_(mode) {
  listener_ = listen_on_loopback(port_);
  thread_ = std::thread([this] { serve(); });
}

fake_network_printer::~fake_network_printer() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
}

void fake_network_printer::serve() {
  std::size_t served = 0;
  while (!stopping_) {
    if (!readable(listener_)) continue;
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    const auto& state = states_[std::min(served, states_.size() - 1)];
    status_responder responder;
    std::vector<std::uint8_t> bytes;
    std::uint8_t buffer[4096];
    while (!stopping_) {
      if (!readable(connection)) continue;
      const ssize_t got = ::read(connection, buffer, sizeof buffer);
      if (got <= 0) break;
      const std::span<const std::uint8_t> chunk(buffer, static_cast<std::size_t>(got));
      bytes.insert(bytes.end(), chunk.begin(), chunk.end());
      const bool ran_out = bytes.size() > paper_runs_out_after_;
      const auto answers = responder.receive(chunk, ran_out ? printer_paper_out : state);
      if (mode_ == answering::answers) send_all(connection, answers);
    }
    ::close(connection);
    ++served;
    {
      std::lock_guard lock(mutex_);
      connections_.push_back(std::move(bytes));
    }
    finished_.notify_all();
  }
}

std::vector<std::vector<std::uint8_t>> fake_network_printer::connections(
    std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  finished_.wait_for(lock, timeout, [&] { return connections_.size() >= count; });
  return connections_;
}

fake_device_printer::fake_device_printer(status_answers state) : state_(state) {
  master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) {
    throw std::runtime_error("cannot make a pseudo-terminal");
  }
  device_path_ = ::ptsname(master_);
  // Holding the far end open keeps the master readable between jobs, and
  // raw mode lets every byte value through unchanged, as a printer port does.
  slave_ = ::open(device_path_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  termios settings{};
  ::tcgetattr(slave_, &settings);
  ::cfmakeraw(&settings);
  ::tcsetattr(slave_, TCSANOW, &settings);
  thread_ = std::thread([this] { serve(); });
}

fake_device_printer::~fake_device_printer() {
  stopping_ = true;
  thread_.join();
  ::close(slave_);
  ::close(master_);
}

void fake_device_printer::set_state(status_answers state) {
  std::lock_guard lock(mutex_);
  state_ = state;
}

void fake_device_printer::serve() {
  status_responder responder;
  std::uint8_t buffer[4096];
  while (!stopping_) {
    if (!readable(master_)) continue;
    const ssize_t got = ::read(master_, buffer, sizeof buffer);
    if (got <= 0) continue;
    const std::span<const std::uint8_t> chunk(buffer, static_cast<std::size_t>(got));
    std::vector<std::uint8_t> answers;
    {
      std::lock_guard lock(mutex_);
      received_.insert(received_.end(), chunk.begin(), chunk.end());
      answers = responder.receive(chunk, state_);
    }
    arrived_.notify_all();
    send_all(master_, answers);
  }
}

std::vector<std::uint8_t> fake_device_printer::received(std::size_t size,
                                                        std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, timeout, [&] { return received_.size() >= size; });
  return received_;
}

std::uint16_t closed_port() {
  std::uint16_t port = 0;
  const int descriptor = listen_on_loopback(port);
  ::close(descriptor);
  return port;
}

}  // namespace luot::printer::testing
