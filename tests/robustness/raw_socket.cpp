#include "raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace luot::testing {

namespace {

using clock = std::chrono::steady_clock;

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

raw_socket::raw_socket(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd_);
    throw std::runtime_error(std::string("connect: ") + std::strerror(error));
  }
}

raw_socket::~raw_socket() {
  if (fd_ >= 0) ::close(fd_);
}

raw_socket::raw_socket(raw_socket&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

bool raw_socket::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

bool raw_socket::closed_within(std::chrono::milliseconds wait) {
  const auto deadline = clock::now() + wait;
  char scratch[4096];
  for (;;) {
    pollfd watched{fd_, POLLIN, 0};
    const int ready = ::poll(&watched, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const auto got = ::recv(fd_, scratch, sizeof scratch, 0);
    if (got == 0) return true;
    if (got < 0 && errno != EINTR && errno != EAGAIN) return true;
  }
}

unsigned http_get_status(std::uint16_t port, std::string_view target,
                         std::chrono::milliseconds wait) {
  const auto deadline = clock::now() + wait;
  raw_socket connection(port);
  const std::string request =
      "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (!connection.send(request)) return 0;
  std::string answer;
  char scratch[4096];
  while (answer.find("\r\n") == std::string::npos) {
    pollfd watched{connection.fd_, POLLIN, 0};
    const int ready = ::poll(&watched, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return 0;
    const auto got = ::recv(connection.fd_, scratch, sizeof scratch, 0);
    if (got <= 0) return 0;
    answer.append(scratch, static_cast<std::size_t>(got));
  }
  // "HTTP/1.1 200 OK"
  const auto space = answer.find(' ');
  return space == std::string::npos ? 0
                                    : static_cast<unsigned>(std::atoi(answer.c_str() + space + 1));
}

}  // namespace luot::testing
