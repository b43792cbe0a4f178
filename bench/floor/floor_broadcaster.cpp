// bench_floor: the kernel floor of a fan-out, the least work any server must
// do to deliver one message to N WebSocket subscribers on this machine. One
// thread, one epoll set, no allocation per message: it accepts WebSocket
// upgrades (answering the handshake, then ignoring whatever a subscriber
// sends), and on `POST /broadcast` it frames the request's body once and
// writes that frame to every subscriber with one send() each, keeping only
// what a full socket would not take. luot-server and the Node.js peer
// (bench/peers) are measured against it by the same receiver.
//
// Usage: bench_floor [--port PORT]   (0, the default, picks a free port;
// the program prints "listening on 127.0.0.1:PORT")
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/websocket/detail/hybi13.hpp>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t request_limit = 64 * 1024;
constexpr std::size_t body_limit = 1024 * 1024;
constexpr std::uint64_t listener_key = ~std::uint64_t{0};

// What a connection is: still sending its first request, a WebSocket
// subscriber, or a client posting broadcasts (HTTP keep-alive).
enum class role { unknown, subscriber, trigger };

struct connection {
  int fd = -1;
  role kind = role::unknown;
  std::string in;
  // Bytes the socket would not take yet.
  std::string out;
  std::size_t out_sent = 0;
  bool watching_out = false;
  // Where a subscriber is in the list of subscribers.
  std::size_t index = 0;
};

std::string_view header_value(std::string_view head, std::string_view name) {
  std::size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string_view::npos) {
    at += 2;
    const auto line = head.substr(at, head.find("\r\n", at) - at);
    if (line.size() <= name.size() || line[name.size()] != ':') continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
    }
    if (!same) continue;
    auto value = line.substr(name.size() + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    return value;
  }
  return {};
}

class floor_server {
 public:
  explicit floor_server(std::uint16_t port) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (epoll_ < 0 || listener_ < 0 ||
        ::bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, SOMAXCONN) != 0) {
      std::perror("bench_floor: listen");
      std::exit(1);
    }
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = listener_key;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_, &event);
    std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(ntohs(address.sin_port)));
    std::fflush(stdout);
  }

  void run() {
    std::vector<epoll_event> events(1024);
    for (;;) {
      const int ready = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), -1);
      for (int i = 0; i < ready; ++i) {
        const auto& event = events[static_cast<std::size_t>(i)];
        if (event.data.u64 == listener_key) {
          accept_all();
          continue;
        }
        const int fd = static_cast<int>(event.data.u64);
        if ((event.events & EPOLLOUT) != 0) flush(fd);
        if ((event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) readable(fd);
      }
    }
  }

 private:
  void accept_all() {
    for (;;) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      const int on = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      if (static_cast<std::size_t>(fd) >= connections_.size()) {
        connections_.resize(static_cast<std::size_t>(fd) + 1024);
      }
      connections_[static_cast<std::size_t>(fd)] = connection{};
      connections_[static_cast<std::size_t>(fd)].fd = fd;
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.u64 = static_cast<std::uint64_t>(fd);
      ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    }
  }

  connection& at(int fd) { return connections_[static_cast<std::size_t>(fd)]; }

  void readable(int fd) {
    char buffer[16 * 1024];
    for (;;) {
      auto& each = at(fd);
      if (each.fd < 0) return;
      const auto got = ::recv(fd, buffer, sizeof buffer, 0);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) return close(fd);
      if (got < 0) {
        if (errno == EINTR) continue;
        return;
      }
      // A subscriber's own frames (none are expected) are not read.
      if (each.kind == role::subscriber) continue;
      each.in.append(buffer, static_cast<std::size_t>(got));
      if (each.in.size() > request_limit + body_limit) return close(fd);
      while (at(fd).fd >= 0 && at(fd).kind != role::subscriber && handle_request(fd)) {
      }
    }
  }

  // Handles one complete request at the front of the input; false when
  // there is none yet.
  bool handle_request(int fd) {
    auto& each = at(fd);
    const auto head_end = each.in.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    const std::string_view head(each.in.data(), head_end);
    if (head.starts_with("GET ")) {
      const auto key = header_value(head, "sec-websocket-key");
      if (key.empty()) {
        close(fd);
        return false;
      }
      boost::beast::websocket::detail::sec_ws_accept_type accept;
      boost::beast::websocket::detail::make_sec_ws_accept(accept, key);
      std::string answer =
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: ";
      answer.append(accept.data(), accept.size());
      if (const auto protocol = header_value(head, "sec-websocket-protocol"); !protocol.empty()) {
        answer += "\r\nSec-WebSocket-Protocol: ";
        answer += protocol.substr(0, protocol.find(','));
      }
      answer += "\r\n\r\n";
      each.kind = role::subscriber;
      each.in.clear();
      each.in.shrink_to_fit();
      each.index = subscribers_.size();
      subscribers_.push_back(fd);
      write(fd, answer);
      return false;
    }
    if (!head.starts_with("POST /broadcast ")) {
      close(fd);
      return false;
    }
    std::size_t length = 0;
    const auto value = header_value(head, "content-length");
    std::from_chars(value.data(), value.data() + value.size(), length);
    if (length > body_limit) {
      close(fd);
      return false;
    }
    const auto body_start = head_end + 4;
    if (each.in.size() < body_start + length) return false;
    each.kind = role::trigger;
    broadcast(std::string_view(each.in).substr(body_start, length));
    each.in.erase(0, body_start + length);
    write(fd, "HTTP/1.1 204 No Content\r\n\r\n");
    return true;
  }

  // Frames the payload once and writes it to every subscriber.
  void broadcast(std::string_view payload) {
    frame_.clear();
    frame_.push_back(static_cast<char>(0x82));  // FIN, binary
    if (payload.size() < 126) {
      frame_.push_back(static_cast<char>(payload.size()));
    } else if (payload.size() <= 0xFFFF) {
      frame_.push_back(static_cast<char>(126));
      frame_.push_back(static_cast<char>(payload.size() >> 8));
      frame_.push_back(static_cast<char>(payload.size() & 0xFF));
    } else {
      frame_.push_back(static_cast<char>(127));
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame_.push_back(static_cast<char>((payload.size() >> shift) & 0xFF));
      }
    }
    frame_.append(payload);
    for (const int fd : subscribers_) write(fd, frame_);
  }

  // Sends now what the socket takes; keeps the rest for EPOLLOUT.
  void write(int fd, std::string_view bytes) {
    auto& each = at(fd);
    if (each.out_sent == each.out.size()) {
      const auto sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent == static_cast<ssize_t>(bytes.size())) return;
      if (sent < 0 && errno != EAGAIN && errno != EINTR) return close(fd);
      bytes.remove_prefix(sent > 0 ? static_cast<std::size_t>(sent) : 0);
    }
    each.out.append(bytes);
    if (!each.watching_out) {
      each.watching_out = true;
      watch(fd, EPOLLIN | EPOLLOUT);
    }
  }

  void flush(int fd) {
    auto& each = at(fd);
    while (each.fd >= 0 && each.out_sent < each.out.size()) {
      const auto sent = ::send(fd, each.out.data() + each.out_sent, each.out.size() - each.out_sent,
                               MSG_NOSIGNAL);
      if (sent > 0) {
        each.out_sent += static_cast<std::size_t>(sent);
        continue;
      }
      if (sent < 0 && (errno == EAGAIN || errno == EINTR)) return;
      return close(fd);
    }
    each.out.clear();
    each.out_sent = 0;
    each.watching_out = false;
    watch(fd, EPOLLIN);
  }

  void watch(int fd, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = static_cast<std::uint64_t>(fd);
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &event);
  }

  void close(int fd) {
    auto& each = at(fd);
    if (each.fd < 0) return;
    if (each.kind == role::subscriber) {
      // The last subscriber takes its place.
      const int last = subscribers_.back();
      subscribers_[each.index] = last;
      at(last).index = each.index;
      subscribers_.pop_back();
    }
    ::close(fd);
    each = connection{};
  }

  int epoll_ = -1;
  int listener_ = -1;
  std::vector<connection> connections_;
  std::vector<int> subscribers_;
  std::string frame_;
};

}  // namespace

int main(int argc, char** argv) {
  std::uint16_t port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--port" && i + 1 < argc) {
      const std::string_view value = argv[++i];
      if (std::from_chars(value.data(), value.data() + value.size(), port).ec != std::errc{}) {
        std::fprintf(stderr, "bench_floor: bad port %s\n", argv[i]);
        return 1;
      }
    } else {
      std::fprintf(stderr, "usage: bench_floor [--port PORT]\n");
      return argument == "--help" ? 0 : 1;
    }
  }
  floor_server server(port);
  server.run();
}
