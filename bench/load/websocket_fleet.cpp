#include "websocket_fleet.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace luot::bench {

namespace {

constexpr std::uint64_t wake_key = ~std::uint64_t{0};
constexpr std::size_t read_buffer_bytes = 256 * 1024;

std::string error_text(const char* what, int error) {
  return std::string(what) + ": " + std::strerror(error);
}

double seconds_of(clockid_t clock) {
  timespec now{};
  if (clock_gettime(clock, &now) != 0) return 0;
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace

websocket_fleet::websocket_fleet(fleet_options options, fleet_listener& listener)
    : options_(std::move(options)),
      listener_(listener),
      connections_(options_.connections),
      read_buffer_(read_buffer_bytes) {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_ < 0 || wake_ < 0) throw std::runtime_error(error_text("epoll/eventfd", errno));
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = wake_key;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event);
}

websocket_fleet::~websocket_fleet() {
  stop();
  ::close(wake_);
  ::close(epoll_);
}

void websocket_fleet::every(std::chrono::microseconds period, std::function<void()> tick) {
  tickers_.push_back({period, std::move(tick), {}});
}

void websocket_fleet::start() {
  if (running_.exchange(true)) throw std::logic_error("websocket_fleet started twice");
  for (std::size_t index = 0; index < connections_.size(); ++index) to_open_.push_back(index);
  thread_ = std::thread([this] { run(); });
  pthread_getcpuclockid(thread_.native_handle(), &thread_clock_);
}

void websocket_fleet::stop() {
  if (!running_.load() || stopping_.exchange(true)) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_, &one, sizeof one);
  thread_.join();
}

double websocket_fleet::cpu_seconds() const {
  if (running_.load() && !stopping_.load()) return seconds_of(thread_clock_);
  return final_cpu_seconds_.load();
}

void websocket_fleet::post(std::function<void()> task) {
  {
    const std::lock_guard lock(posted_mutex_);
    posted_.push_back(std::move(task));
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_, &one, sizeof one);
}

void websocket_fleet::run_posted() {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto got = ::read(wake_, &count, sizeof count);
  std::vector<std::function<void()>> tasks;
  {
    const std::lock_guard lock(posted_mutex_);
    tasks.swap(posted_);
  }
  for (auto& task : tasks) task();
}

void websocket_fleet::run() {
  // The closest pair of readings of the two clocks out of a few.
  auto best = std::chrono::nanoseconds::max();
  for (int attempt = 0; attempt < 5; ++attempt) {
    const auto before = bench_clock::now();
    const auto real = std::chrono::system_clock::now();
    const auto after = bench_clock::now();
    if (after - before < best) {
      best = after - before;
      real_minus_steady_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
          real.time_since_epoch() - (before.time_since_epoch() + (after - before) / 2));
    }
  }
  std::vector<epoll_event> events(1024);
  const auto started = bench_clock::now();
  for (auto& each : tickers_) each.next = started + each.period;
  connect_more();
  while (!stopping_.load(std::memory_order_acquire)) {
    int timeout_ms = 100;
    const auto now = bench_clock::now();
    for (const auto& each : tickers_) {
      // Rounded up: a wait truncated to 0 ms would spin through the last
      // millisecond of every period and steal a core from the server.
      const auto wait = std::chrono::ceil<std::chrono::milliseconds>(each.next - now).count();
      timeout_ms = std::min(timeout_ms, static_cast<int>(std::max<long long>(0, wait)));
    }
    const int ready =
        ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout_ms);
    for (int i = 0; i < ready; ++i) {
      const auto key = events[static_cast<std::size_t>(i)].data.u64;
      if (key == wake_key) {
        run_posted();
      } else {
        on_event(static_cast<std::size_t>(key), events[static_cast<std::size_t>(i)].events);
      }
    }
    const auto after = bench_clock::now();
    for (auto& each : tickers_) {
      if (after < each.next) continue;
      each.tick();
      each.next += each.period;
      // A tick that fell far behind does not try to catch up in a burst.
      if (each.next < after) each.next = after + each.period;
    }
  }
  for (auto& each : connections_) close_socket(each);
  final_cpu_seconds_.store(seconds_of(CLOCK_THREAD_CPUTIME_ID));
}

void websocket_fleet::connect_more() {
  while (handshaking_ < options_.handshakes_at_once && !to_open_.empty()) {
    const auto index = to_open_.front();
    to_open_.pop_front();
    open(index);
  }
}

void websocket_fleet::open(std::size_t index) {
  auto& each = connections_[index];
  close_socket(each);
  each = connection{};
  each.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (each.fd < 0) return end(index, 0, error_text("socket", errno));
  const int on = 1;
  ::setsockopt(each.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (options_.kernel_timestamps) ::setsockopt(each.fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = htonl(options_.first_source_address + static_cast<std::uint32_t>(index));
  if (::bind(each.fd, reinterpret_cast<const sockaddr*>(&source), sizeof source) != 0) {
    return end(index, 0, error_text("bind", errno));
  }
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(options_.port);
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ++handshaking_;
  each.state = phase::connecting;
  if (::connect(each.fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 &&
      errno != EINPROGRESS) {
    return end(index, 0, error_text("connect", errno));
  }
  watch(index);
}

void websocket_fleet::watch(std::size_t index) {
  auto& each = connections_[index];
  if (each.fd < 0) return;
  std::uint32_t wanted = EPOLLRDHUP;
  if (each.state == phase::connecting) {
    wanted |= EPOLLOUT;
  } else if (each.state == phase::handshaking || options_.mode == reading::normal) {
    wanted |= EPOLLIN;
  }
  if (each.out_sent < each.out.size()) wanted |= EPOLLOUT;
  if (wanted == each.interest) return;
  epoll_event event{};
  event.events = wanted;
  event.data.u64 = index;
  const int operation = each.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (::epoll_ctl(epoll_, operation, each.fd, &event) != 0) {
    return end(index, 0, error_text("epoll_ctl", errno));
  }
  each.interest = wanted;
}

void websocket_fleet::on_event(std::size_t index, std::uint32_t events) {
  auto& each = connections_[index];
  if (each.fd < 0) return;
  if (each.state == phase::connecting) {
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(each.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) return end(index, 0, error_text("connect", error));
    if ((events & EPOLLOUT) != 0) on_connected(index);
    return;
  }
  if ((events & EPOLLIN) != 0) {
    on_readable(index);
    if (each.fd < 0) return;
  }
  if ((events & EPOLLOUT) != 0) {
    flush(index);
    if (each.fd < 0) return;
  }
  // A connection that does not read learns of the end only this way; one
  // that reads sees EOF or the reset in on_readable first.
  if ((events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) != 0 &&
      (options_.mode == reading::never || (events & EPOLLIN) == 0)) {
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(each.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    end(index, 0, error != 0 ? error_text("socket", error) : "closed by the server");
  }
}

void websocket_fleet::on_connected(std::size_t index) {
  auto& each = connections_[index];
  each.state = phase::handshaking;
  each.out = upgrade_request(options_.path, options_.subprotocol);
  each.out_sent = 0;
  flush(index);
  watch(index);
}

void websocket_fleet::on_readable(std::size_t index) {
  auto& each = connections_[index];
  for (;;) {
    iovec into{read_buffer_.data(), read_buffer_.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    msghdr message{};
    message.msg_iov = &into;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    const auto got = ::recvmsg(each.fd, &message, 0);
    auto at = bench_clock::now();
    if (got > 0 && options_.kernel_timestamps) {
      for (auto* part = CMSG_FIRSTHDR(&message); part != nullptr;
           part = CMSG_NXTHDR(&message, part)) {
        if (part->cmsg_level != SOL_SOCKET || part->cmsg_type != SCM_TIMESTAMPNS) continue;
        timespec received{};
        std::memcpy(&received, CMSG_DATA(part), sizeof received);
        const auto real =
            std::chrono::seconds(received.tv_sec) + std::chrono::nanoseconds(received.tv_nsec);
        at = bench_clock::time_point(
            std::chrono::duration_cast<bench_clock::duration>(real - real_minus_steady_));
      }
    }
    if (got > 0) {
      on_bytes(index, std::string_view(read_buffer_.data(), static_cast<std::size_t>(got)), at);
      if (each.fd < 0 || each.state == phase::ended) return;
      // A connection that stopped reading after its handshake reads no more.
      if (each.state == phase::open && options_.mode == reading::never) return;
      continue;
    }
    if (got == 0) return end(index, 0, "closed by the server without a close frame");
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    if (errno == EINTR) continue;
    return end(index, 0, error_text("recv", errno));
  }
}

void websocket_fleet::on_bytes(std::size_t index, std::string_view bytes,
                               bench_clock::time_point at) {
  auto& each = connections_[index];
  if (each.state == phase::handshaking) {
    each.handshake.append(bytes);
    const auto answer = read_upgrade_answer(each.handshake, options_.subprotocol);
    if (!answer.complete) return;
    if (!answer.accepted) return end(index, 0, answer.problem);
    each.state = phase::open;
    --handshaking_;
    opened_.fetch_add(1, std::memory_order_acq_rel);
    const std::string rest = each.handshake.substr(answer.header_bytes);
    each.handshake.clear();
    each.handshake.shrink_to_fit();
    watch(index);
    connect_more();
    listener_.opened(index);
    if (each.fd < 0 || rest.empty()) return;
    each.parser.feed(rest);
  } else {
    each.parser.feed(bytes);
  }
  while (each.fd >= 0) {
    const auto frame = each.parser.next();
    if (!frame) break;
    switch (frame->type) {
      case opcode::binary:
      case opcode::text:
        listener_.received(index, frame->payload, at);
        break;
      case opcode::ping:
        send(index, opcode::pong, frame->payload);
        break;
      case opcode::close:
        return end(index, close_code_of(frame->payload), "closed by the server");
      default:
        break;
    }
  }
  if (each.fd >= 0 && each.parser.problem()) end(index, 0, *each.parser.problem());
}

bool websocket_fleet::send(std::size_t index, opcode type, std::string_view payload,
                           std::size_t times) {
  auto& each = connections_[index];
  if (each.state != phase::open) return false;
  // 14 bytes: the longest client frame header.
  if (each.out.size() - each.out_sent + times * (payload.size() + 14) > options_.send_queue_limit) {
    return false;
  }
  for (std::size_t i = 0; i < times; ++i) {
    mask_ = mask_ * 1664525u + 1013904223u;
    append_client_frame(each.out, type, payload, mask_);
  }
  flush(index);
  return true;
}

void websocket_fleet::flush(std::size_t index) {
  auto& each = connections_[index];
  while (each.fd >= 0 && each.out_sent < each.out.size()) {
    const auto sent = ::send(each.fd, each.out.data() + each.out_sent,
                             each.out.size() - each.out_sent, MSG_NOSIGNAL);
    if (sent > 0) {
      each.out_sent += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (sent < 0 && errno == EINTR) continue;
    return end(index, 0, error_text("send", errno));
  }
  if (each.out_sent == each.out.size()) {
    each.out.clear();
    each.out_sent = 0;
  } else if (each.out_sent > each.out.size() / 2) {
    each.out.erase(0, each.out_sent);
    each.out_sent = 0;
  }
  watch(index);
}

void websocket_fleet::close_socket(connection& each) {
  if (each.fd < 0) return;
  ::close(each.fd);
  each.fd = -1;
  each.interest = 0;
}

void websocket_fleet::end(std::size_t index, std::uint16_t close_code, const std::string& why) {
  auto& each = connections_[index];
  if (each.state == phase::ended) return;
  if (each.state == phase::connecting || each.state == phase::handshaking) --handshaking_;
  each.state = phase::ended;
  close_socket(each);
  each.out.clear();
  each.out_sent = 0;
  ended_.fetch_add(1, std::memory_order_acq_rel);
  connect_more();
  listener_.ended(index, close_code, why);
}

}  // namespace luot::bench
