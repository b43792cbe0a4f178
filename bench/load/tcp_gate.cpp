#include "tcp_gate.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace luot::bench {

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Copies bytes from `from` to `to` until either side ends, then ends both.
void pump(int from, int to) {
  char buffer[64 * 1024];
  for (;;) {
    const auto got = ::recv(from, buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    std::size_t sent = 0;
    while (sent < static_cast<std::size_t>(got)) {
      const auto wrote =
          ::send(to, buffer + sent, static_cast<std::size_t>(got) - sent, MSG_NOSIGNAL);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) break;
      sent += static_cast<std::size_t>(wrote);
    }
    if (sent < static_cast<std::size_t>(got)) break;
  }
  ::shutdown(from, SHUT_RDWR);
  ::shutdown(to, SHUT_RDWR);
}

}  // namespace

tcp_gate::tcp_gate(std::uint16_t target_port) : target_port_(target_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto address = loopback(0);
  if (listener_ < 0 ||
      ::bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 16) != 0) {
    throw std::runtime_error(std::string("tcp_gate: ") + std::strerror(errno));
  }
  socklen_t size = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

tcp_gate::~tcp_gate() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ::shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  close();
  for (auto& each : pumps_) each.join();
  for (const int each : sockets_) ::close(each);
  ::close(listener_);
}

void tcp_gate::accept_loop() {
  for (;;) {
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    relay(client);
  }
}

void tcp_gate::relay(int client) {
  const std::lock_guard lock(mutex_);
  if (stopping_ || closed_) {
    ::close(client);
    return;
  }
  const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const auto target = loopback(target_port_);
  if (server < 0 ||
      ::connect(server, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
    if (server >= 0) ::close(server);
    ::close(client);
    return;
  }
  const int on = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  sockets_.push_back(client);
  sockets_.push_back(server);
  pumps_.emplace_back([client, server] { pump(client, server); });
  pumps_.emplace_back([client, server] { pump(server, client); });
}

void tcp_gate::close() {
  const std::lock_guard lock(mutex_);
  closed_ = true;
  // The pumps end on their own; their sockets are closed at destruction.
  for (const int each : sockets_) ::shutdown(each, SHUT_RDWR);
}

void tcp_gate::open() {
  const std::lock_guard lock(mutex_);
  closed_ = false;
}

}  // namespace luot::bench
