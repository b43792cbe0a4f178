#include "printer/tcp_backend.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "printer/descriptor_io.hpp"

namespace luot::printer {

namespace {

// Connects within `timeout`; the descriptor, or -1 with `error` set.
int connect_with_timeout(const addrinfo& address, std::chrono::milliseconds timeout,
                         std::string& error) {
  const int descriptor = ::socket(
      address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol);
  if (descriptor < 0) {
    error = descriptor_io::system_error_text(errno);
    return -1;
  }
  if (::connect(descriptor, address.ai_addr, address.ai_addrlen) == 0) return descriptor;
  if (errno != EINPROGRESS) {
    error = descriptor_io::system_error_text(errno);
    ::close(descriptor);
    return -1;
  }
  pollfd entry{descriptor, POLLOUT, 0};
  int ready = 0;
  do {
    ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) {
    error = "no connection within " + std::to_string(timeout.count()) + " ms";
    ::close(descriptor);
    return -1;
  }
  int socket_error = 0;
  socklen_t length = sizeof socket_error;
  ::getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socket_error, &length);
  if (ready < 0 || socket_error != 0) {
    error = descriptor_io::system_error_text(ready < 0 ? errno : socket_error);
    ::close(descriptor);
    return -1;
  }
  return descriptor;
}

}  // namespace

tcp_backend::tcp_backend(printer_spec spec, backend_timeouts timeouts)
    : spec_(std::move(spec)), timeouts_(timeouts) {}

tcp_backend::~tcp_backend() {
  close();
}

io_result tcp_backend::open() {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(spec_.port);
  const int lookup = ::getaddrinfo(spec_.host.c_str(), port.c_str(), &hints, &found);
  if (lookup != 0) {
    return {io_outcome::unreachable,
            "cannot resolve " + spec_.host + ": " + ::gai_strerror(lookup)};
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  std::string error;
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    descriptor_ = connect_with_timeout(*address, timeouts_.connect, error);
    if (descriptor_ >= 0) return {};
  }
  return {io_outcome::unreachable, "cannot connect to " + spec_.to_string() + ": " + error};
}

status_reading tcp_backend::query_status() {
  if (descriptor_ < 0) return {printer_status::offline, "not connected"};
  std::string detail;
  const auto flags = descriptor_io::ask_status(descriptor_, descriptor_io::descriptor_kind::socket,
                                               timeouts_.answer, detail);
  if (!flags) return {printer_status::offline, detail};
  return {classify(*flags), detail};
}

io_result tcp_backend::write(std::span<const std::uint8_t> bytes) {
  if (descriptor_ < 0) return {io_outcome::failed, "not connected"};
  return descriptor_io::write_all(descriptor_, descriptor_io::descriptor_kind::socket, bytes,
                                  timeouts_.write);
}

void tcp_backend::close() {
  if (descriptor_ < 0) return;
  // Send FIN after the job and wait briefly for the printer to close its
  // side. Closing with unread bytes in the receive buffer would send a reset
  // and could throw away the end of the job still in the send buffer.
  ::shutdown(descriptor_, SHUT_WR);
  std::uint8_t buffer[256];
  pollfd entry{descriptor_, POLLIN, 0};
  while (::poll(&entry, 1, static_cast<int>(timeouts_.answer.count())) > 0) {
    if (::read(descriptor_, buffer, sizeof buffer) <= 0) break;
  }
  ::close(descriptor_);
  descriptor_ = -1;
}

}  // namespace luot::printer
