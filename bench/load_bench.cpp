// End-to-end load on a real luot-server started in this process on
// 127.0.0.1:0 with a fresh SQLite file (WAL, synchronous=FULL):
//
// 1. Take-ticket: C keep-alive HTTP/1.1 clients (one thread each, synchronous
//    Beast) POST /api/v1/tickets for the row's duration. A 201 is only sent
//    once the event is durable, so the latency covers parsing, the engine
//    strand, the group commit's fsync, the hub and the reply.
// 2. Fan-out: S WebSocket subscribers (luot.v1.proto, async Beast on one
//    io_context with two threads) while one client takes tickets at a steady
//    rate. Each TicketIssued push is timed against the moment the taker got
//    its 201, and every subscriber must receive every seq of the row.
// 3. Memory: VmRSS of this process before and after each row. Server and
//    clients share the process, so the figure includes the clients' sockets
//    and buffers (small next to the server's state).
//
// The server keeps one database and state for the whole run, as a real day
// would: tickets issued by earlier rows are still waiting in later ones.
// With "fresh", every row gets a new server and database instead.
//
// Usage: bench_load [seconds-per-row] [fan-out tickets per second] [fresh]
#include <google/protobuf/util/json_util.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/server.hpp"
#include "config/settings.hpp"
#include "luot/v1/luot.pb.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

constexpr const char* display_token = "bench-display-token-0001";
constexpr const char* proto_subprotocol = "luot.v1.proto";
constexpr const char* websocket_path = "/api/v1/ws";
// File descriptors one row may use besides the subscribers' two each (one
// client socket, one server socket): the database, listener, stdio, HTTP.
constexpr std::uint64_t spare_descriptors = 200;

double microseconds(clock_type::duration elapsed) {
  return std::chrono::duration<double, std::micro>(elapsed).count();
}

// The q-quantile of sorted values, or 0 when there are none.
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(static_cast<double>(sorted.size()) * q);
  return sorted[std::min(sorted.size() - 1, index)];
}

// This process's resident set in MiB, from /proc/self/status.
double resident_mebibytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

std::uint64_t open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

// CPU time (user + system) of the whole process so far, in seconds.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU time of a running thread of this process, in seconds.
double thread_cpu_seconds(std::thread& thread) {
  clockid_t clock{};
  if (pthread_getcpuclockid(thread.native_handle(), &clock) != 0) return 0;
  return cpu_seconds(clock);
}

// Splits the process's CPU over a row into the benchmark's clients and the
// rest (the server), each as a percentage of one core.
struct cpu_split {
  double server_percent = 0;
  double clients_percent = 0;
};

cpu_split split_cpu(double process_seconds, double client_seconds, double wall_seconds) {
  return {100.0 * (process_seconds - client_seconds) / wall_seconds,
          100.0 * client_seconds / wall_seconds};
}

void set_receive_timeout(tcp::socket& socket, std::chrono::seconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count());
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

// Four always-open categories, four counters serving all of them, a hall
// display (its token lets the benchmark ask for the current seq) and rate
// limits far above anything the benchmark sends.
luot::config::settings bench_settings(const std::filesystem::path& database) {
  luot::config::settings settings;
  auto& centre = settings.centre;
  centre.name = "Trung tâm đo tải";
  const struct {
    const char* code;
    const char* name_vi;
    const char* name_en;
    const char* prefix;
  } fields[] = {{"LDVL", "Lao động – Việc làm", "Labour and employment", "A"},
                {"NCC", "Người có công", "People with meritorious service", "B"},
                {"BTXH", "Bảo trợ xã hội", "Social protection", "C"},
                {"TE", "Trẻ em", "Children", "D"}};
  for (const auto& field : fields) {
    luot::core::category_config category;
    category.code = field.code;
    category.name_vi = field.name_vi;
    category.name_en = field.name_en;
    category.format.prefix = field.prefix;
    centre.categories.push_back(category);
  }
  for (int number = 1; number <= 4; ++number) {
    luot::core::counter_config counter;
    counter.id = std::to_string(number);
    counter.name_vi = "Quầy " + counter.id;
    counter.name_en = "Counter " + counter.id;
    counter.categories = {"LDVL", "NCC", "BTXH", "TE"};
    centre.counters.push_back(counter);
  }
  settings.devices = {{"hall", luot::config::device_kind::display, display_token, {}}};

  auto& server = settings.server;
  server.address = "127.0.0.1";
  server.port = 0;
  server.database = database;
  server.io_threads = 2;
  server.take_ticket_per_minute = 1'000'000'000;
  return settings;
}

// A take-ticket request for one category, built once and sent many times.
http::request<http::string_body> take_ticket_request(const std::string& category) {
  http::request<http::string_body> request(http::verb::post, "/api/v1/tickets", 11);
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.body() = R"({"category":")" + category + R"("})";
  request.prepare_payload();
  return request;
}

// A synchronous HTTP/1.1 client on one keep-alive connection.
class http_client {
 public:
  explicit http_client(std::uint16_t port) : socket_(context_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket_.set_option(tcp::no_delay(true));
    set_receive_timeout(socket_, std::chrono::seconds(30));
  }

  // Sends the request and returns the reply's status; the body stays in body().
  unsigned exchange(const http::request<http::string_body>& request) {
    http::write(socket_, request);
    response_ = {};
    http::read(socket_, buffer_, response_);
    return response_.result_int();
  }

  const std::string& body() const { return response_.body(); }

 private:
  asio::io_context context_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  http::response<http::string_body> response_;
};

// The seq the server has published so far, asked over a WebSocket as the
// hall display (Welcome carries it).
std::uint64_t published_seq(std::uint16_t port) {
  asio::io_context context;
  websocket::stream<tcp::socket> ws(context);
  ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(ws.next_layer(), std::chrono::seconds(10));
  ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
    request.set(http::field::sec_websocket_protocol, proto_subprotocol);
  }));
  ws.handshake("127.0.0.1", websocket_path);
  ws.binary(true);
  luot::v1::ClientMessage hello;
  hello.set_request_id(1);
  hello.mutable_hello()->set_token(display_token);
  ws.write(asio::buffer(hello.SerializeAsString()));
  beast::flat_buffer buffer;
  ws.read(buffer);
  luot::v1::ServerMessage welcome;
  const auto data = buffer.cdata();
  if (!welcome.ParseFromArray(data.data(), static_cast<int>(data.size())) ||
      !welcome.has_welcome()) {
    throw std::runtime_error("no welcome from the server");
  }
  beast::error_code ignored;
  ws.close(websocket::close_code::normal, ignored);
  return welcome.welcome().seq();
}

// Take-ticket throughput -----------------------------------------------------

struct throughput_row {
  unsigned clients = 0;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  double seconds = 0;
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
  double rss_before = 0;
  double rss_after = 0;
  cpu_split cpu;
};

throughput_row measure_take_ticket(std::uint16_t port, unsigned clients, double seconds) {
  static const char* const categories[] = {"LDVL", "NCC", "BTXH", "TE"};
  throughput_row row;
  row.clients = clients;
  row.rss_before = resident_mebibytes();

  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::uint64_t> failures(clients, 0);
  std::vector<double> client_cpu(clients, 0);
  std::latch connected(clients + 1);
  std::latch go(1);
  clock_type::time_point deadline;
  std::vector<std::thread> threads;
  for (unsigned client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      const auto request = take_ticket_request(categories[client % 4]);
      http_client connection(port);
      latencies[client].reserve(1 << 16);
      connected.count_down();
      go.wait();
      while (clock_type::now() < deadline) {
        const auto sent = clock_type::now();
        const unsigned status = connection.exchange(request);
        latencies[client].push_back(microseconds(clock_type::now() - sent));
        if (status != 201) ++failures[client];
      }
      client_cpu[client] = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    });
  }
  connected.arrive_and_wait();
  const double process_cpu_before = process_cpu_seconds();
  const auto started = clock_type::now();
  deadline = started + std::chrono::duration_cast<clock_type::duration>(
                           std::chrono::duration<double>(seconds));
  go.count_down();
  for (auto& thread : threads) thread.join();
  row.seconds = microseconds(clock_type::now() - started) / 1e6;
  row.rss_after = resident_mebibytes();
  // The clients' CPU includes connecting, which is negligible next to a row.
  double clients_cpu = 0;
  for (const double each : client_cpu) clients_cpu += each;
  row.cpu = split_cpu(process_cpu_seconds() - process_cpu_before, clients_cpu, row.seconds);

  std::vector<double> all;
  for (unsigned client = 0; client < clients; ++client) {
    all.insert(all.end(), latencies[client].begin(), latencies[client].end());
    row.failures += failures[client];
  }
  std::sort(all.begin(), all.end());
  row.requests = all.size();
  row.p50_us = quantile(all, 0.50);
  row.p99_us = quantile(all, 0.99);
  row.max_us = all.empty() ? 0 : all.back();
  return row;
}

// Fan-out ----------------------------------------------------------------------

// What every subscriber of a row reports to the benchmark.
struct fanout_tracker {
  std::atomic<std::size_t> subscribed{0};
  std::atomic<std::size_t> ended{0};
  std::atomic<std::size_t> failed{0};
  std::mutex first_failure_mutex;
  std::string first_failure;

  void fail(const std::string& what) {
    if (failed.fetch_add(1) == 0) {
      const std::lock_guard lock(first_failure_mutex);
      first_failure = what;
    }
  }
};

// A TicketIssued push as one subscriber received it.
struct arrival {
  std::uint64_t seq = 0;
  clock_type::time_point at;
};

// One WebSocket subscriber, like a hall screen: subscribes after a seq and
// records when each pushed event arrives. Its handlers run on its strand;
// its arrivals are read only after `ended` counts it.
class subscriber : public std::enable_shared_from_this<subscriber> {
 public:
  subscriber(asio::io_context& context, tcp::endpoint server, std::uint64_t after_seq,
             bool keep_ids, fanout_tracker& tracker)
      : ws_(asio::make_strand(context)),
        server_(server),
        after_seq_(after_seq),
        keep_ids_(keep_ids),
        tracker_(tracker) {}

  void start() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(
        server_, beast::bind_front_handler(&subscriber::on_connect, shared_from_this()));
  }

  // Closes the connection (from any thread).
  void close() {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->closing_ = true;
      self->ws_.async_close(websocket::close_code::normal, [self](beast::error_code) {});
    });
  }

  // The highest seq received so far.
  std::uint64_t last_seq() const { return last_seq_.load(std::memory_order_acquire); }

  const std::vector<arrival>& arrivals() const { return arrivals_; }
  // Ticket id per seq (only kept by one subscriber, to check the seq order).
  const std::vector<std::pair<std::uint64_t, std::string>>& ids() const { return ids_; }
  std::uint16_t close_code() const { return close_code_; }

 private:
  void on_connect(beast::error_code ec) {
    if (ec) return fail("connect", ec);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
      request.set(http::field::sec_websocket_protocol, proto_subprotocol);
    }));
    ws_.binary(true);
    ws_.read_message_max(64 * 1024 * 1024);
    ws_.async_handshake(handshake_, "127.0.0.1", websocket_path,
                        beast::bind_front_handler(&subscriber::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return fail("handshake", ec);
    if (handshake_[http::field::sec_websocket_protocol] != proto_subprotocol) {
      return fail("handshake: the server chose another subprotocol", {});
    }
    luot::v1::ClientMessage subscribe;
    subscribe.set_request_id(1);
    subscribe.mutable_subscribe()->set_after_seq(after_seq_);
    request_ = subscribe.SerializeAsString();
    ws_.async_write(asio::buffer(request_),
                    beast::bind_front_handler(&subscriber::on_subscribe, shared_from_this()));
  }

  void on_subscribe(beast::error_code ec, std::size_t) {
    if (ec) return fail("subscribe", ec);
    tracker_.subscribed.fetch_add(1);
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&subscriber::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    const auto arrived = clock_type::now();
    if (ec == websocket::error::closed) {
      close_code_ = static_cast<std::uint16_t>(ws_.reason().code);
      return end();
    }
    // Our own close cancels the pending read.
    if (closing_ && ec == asio::error::operation_aborted) return end();
    if (ec) return fail("read", ec);
    luot::v1::ServerMessage message;
    const auto data = buffer_.cdata();
    if (!message.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
      return fail("read", beast::errc::make_error_code(beast::errc::bad_message));
    }
    buffer_.consume(buffer_.size());
    if (message.has_event()) {
      const auto& event = message.event();
      if (event.has_ticket_issued()) {
        arrivals_.push_back({event.seq(), arrived});
        if (keep_ids_) ids_.emplace_back(event.seq(), event.ticket_issued().ticket().id());
      }
      last_seq_.store(event.seq(), std::memory_order_release);
    } else if (message.has_error()) {
      return fail("server error " + message.error().message_en(), {});
    }
    do_read();
  }

  void fail(const std::string& what, beast::error_code ec) {
    tracker_.fail(ec ? what + ": " + ec.message() : what);
    end();
  }

  void end() { tracker_.ended.fetch_add(1, std::memory_order_acq_rel); }

  websocket::stream<beast::tcp_stream> ws_;
  tcp::endpoint server_;
  std::uint64_t after_seq_;
  bool keep_ids_;
  fanout_tracker& tracker_;
  websocket::response_type handshake_;
  std::string request_;
  beast::flat_buffer buffer_;
  std::vector<arrival> arrivals_;
  std::vector<std::pair<std::uint64_t, std::string>> ids_;
  std::atomic<std::uint64_t> last_seq_{0};
  std::uint16_t close_code_ = 0;
  bool closing_ = false;
};

struct fanout_row {
  std::size_t subscribers = 0;
  std::uint64_t events = 0;
  double rate = 0;
  double reply_p50_us = 0;
  double reply_p99_us = 0;
  double delivery_p50_us = 0;
  double delivery_p99_us = 0;
  double delivery_max_us = 0;
  double before_reply_percent = 0;
  std::uint64_t missing = 0;
  std::size_t cut_off = 0;
  std::size_t failed = 0;
  double rss_before = 0;
  double rss_after = 0;
  cpu_split cpu;
};

// Polls until `reached` holds or the time runs out; false on timeout.
template <typename Condition>
bool wait_for(Condition reached, std::chrono::seconds limit) {
  const auto give_up = clock_type::now() + limit;
  while (!reached()) {
    if (clock_type::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

fanout_row measure_fanout(std::uint16_t port, asio::io_context& context,
                          std::vector<std::thread>& client_threads, std::size_t count,
                          double seconds, double per_second) {
  // The subscribers run on client_threads; the taker on this thread.
  const auto clients_cpu = [&] {
    double total = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    for (auto& thread : client_threads) total += thread_cpu_seconds(thread);
    return total;
  };
  fanout_row row;
  row.subscribers = count;
  row.rss_before = resident_mebibytes();
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port);
  const std::uint64_t start_seq = published_seq(port);

  fanout_tracker tracker;
  std::vector<std::shared_ptr<subscriber>> subscribers;
  subscribers.reserve(count);
  for (std::size_t index = 0; index < count; ++index) {
    subscribers.push_back(
        std::make_shared<subscriber>(context, server, start_seq, index == 0, tracker));
    subscribers.back()->start();
  }
  const auto all_caught_up = [&](std::uint64_t seq) {
    return std::all_of(subscribers.begin(), subscribers.end(),
                       [seq](const auto& each) { return each->last_seq() >= seq; });
  };
  if (!wait_for([&] { return tracker.subscribed + tracker.failed >= count; },
                std::chrono::seconds(60))) {
    throw std::runtime_error("subscribers did not connect within 60 s");
  }

  // A warm-up ticket proves every subscription is in place: a subscriber
  // whose subscribe reached the hub after it still gets it from the resume
  // window.
  http_client taker(port);
  const auto request = take_ticket_request("LDVL");
  if (taker.exchange(request) != 201) throw std::runtime_error("warm-up ticket refused");
  const std::uint64_t warm_up_seq = start_seq + 1;
  if (!wait_for([&] { return all_caught_up(warm_up_seq) || tracker.failed > 0; },
                std::chrono::seconds(30))) {
    throw std::runtime_error("subscribers did not receive the warm-up ticket");
  }

  // The measured tickets are seqs first_seq .. first_seq + events - 1.
  const std::uint64_t first_seq = warm_up_seq + 1;
  const auto events = static_cast<std::uint64_t>(seconds * per_second);
  const auto period = std::chrono::duration_cast<clock_type::duration>(
      std::chrono::duration<double>(1.0 / per_second));
  std::vector<clock_type::time_point> replied(events);
  std::vector<std::string> ticket_ids(events);
  std::vector<double> reply_latencies;
  reply_latencies.reserve(events);
  const double process_cpu_before = process_cpu_seconds();
  const double clients_cpu_before = clients_cpu();
  const auto started = clock_type::now();
  for (std::uint64_t index = 0; index < events; ++index) {
    std::this_thread::sleep_until(started + period * static_cast<long>(index));
    const auto sent = clock_type::now();
    if (taker.exchange(request) != 201) throw std::runtime_error("ticket refused: " + taker.body());
    replied[index] = clock_type::now();
    reply_latencies.push_back(microseconds(replied[index] - sent));
    luot::v1::Ticket ticket;
    if (!google::protobuf::util::JsonStringToMessage(taker.body(), &ticket).ok()) {
      throw std::runtime_error("not a ticket: " + taker.body());
    }
    ticket_ids[index] = ticket.id();
  }
  const double elapsed = microseconds(clock_type::now() - started) / 1e6;
  const std::uint64_t last_seq = first_seq + events - 1;
  wait_for([&] { return all_caught_up(last_seq); }, std::chrono::seconds(10));
  const double drained = microseconds(clock_type::now() - started) / 1e6;
  row.cpu = split_cpu(process_cpu_seconds() - process_cpu_before,
                      clients_cpu() - clients_cpu_before, drained);
  row.rss_after = resident_mebibytes();

  for (const auto& each : subscribers) each->close();
  if (!wait_for([&] { return tracker.ended >= count; }, std::chrono::seconds(30))) {
    throw std::runtime_error("subscribers did not close within 30 s");
  }

  // The ticket behind each seq must be the one the taker got for it.
  std::size_t out_of_order = 0;
  for (const auto& [seq, id] : subscribers.front()->ids()) {
    if (seq >= first_seq && seq <= last_seq && ticket_ids[seq - first_seq] != id) ++out_of_order;
  }
  if (out_of_order > 0) {
    std::fprintf(stderr, "warning: %zu seqs did not match the taker's tickets\n", out_of_order);
  }

  std::vector<double> delays;
  delays.reserve(count * events);
  std::size_t before_reply = 0;
  for (const auto& each : subscribers) {
    std::uint64_t received = 0;
    std::uint64_t previous = 0;
    for (const auto& got : each->arrivals()) {
      if (got.seq < first_seq || got.seq > last_seq) continue;
      // Counted only when strictly after the previous one: a repeat or an
      // event out of order does not make up for a missing one.
      if (got.seq <= previous) continue;
      previous = got.seq;
      ++received;
      const auto delay = got.at - replied[got.seq - first_seq];
      if (delay < clock_type::duration::zero()) ++before_reply;
      delays.push_back(microseconds(delay));
    }
    row.missing += events - received;
    if (each->close_code() == static_cast<std::uint16_t>(websocket::close_code::policy_error)) {
      ++row.cut_off;
    }
  }
  row.failed = tracker.failed;
  if (tracker.failed > 0) {
    std::fprintf(stderr, "warning: %zu subscribers failed, first: %s\n", row.failed,
                 tracker.first_failure.c_str());
  }
  std::sort(delays.begin(), delays.end());
  std::sort(reply_latencies.begin(), reply_latencies.end());
  row.events = events;
  row.rate = static_cast<double>(events) / elapsed;
  row.reply_p50_us = quantile(reply_latencies, 0.50);
  row.reply_p99_us = quantile(reply_latencies, 0.99);
  row.delivery_p50_us = quantile(delays, 0.50);
  row.delivery_p99_us = quantile(delays, 0.99);
  row.delivery_max_us = delays.empty() ? 0 : delays.back();
  row.before_reply_percent = delays.empty() ? 0
                                            : 100.0 * static_cast<double>(before_reply) /
                                                  static_cast<double>(delays.size());
  return row;
}

// A fresh directory under the system temp dir, removed on destruction.
class temp_dir {
 public:
  temp_dir()
      : path_(std::filesystem::temp_directory_path() /
              ("luot-bench-load-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::stod(argv[1]) : 3.0;
  const double per_second = argc > 2 ? std::stod(argv[2]) : 100.0;
  // "fresh" gives every row a new server and database, so no row starts with
  // the tickets earlier rows left waiting.
  const bool fresh = argc > 3 && std::string(argv[3]) == "fresh";
  spdlog::set_level(spdlog::level::warn);

  const temp_dir directory;
  int databases = 0;
  const auto start_server = [&] {
    auto server = std::make_unique<luot::app::server>(
        bench_settings(directory.path() / ("load-" + std::to_string(++databases) + ".db")));
    server->start();
    return server;
  };
  auto server = start_server();
  // Nobody calls tickets here, so every ticket issued is still waiting.
  std::uint64_t waiting = 0;
  const auto next_row = [&] {
    if (!fresh) return;
    server->stop();
    server = start_server();
    waiting = 0;
  };
  std::printf(
      "bench_load: %.1f s per row, fan-out at %.0f tickets/s, %s, open-files limit %llu\n\n",
      seconds, per_second, fresh ? "a fresh server per row" : "one server for all rows",
      static_cast<unsigned long long>(open_files_limit()));

  std::printf("### Take a ticket (HTTP/1.1 keep-alive, %.1f s per row)\n\n", seconds);
  std::printf(
      "| clients | waiting at start | requests/s | p50 (µs) | p99 (µs) | max (µs) | not 201 | "
      "server CPU | clients CPU | RSS before (MiB) | RSS after (MiB) |\n");
  std::printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  std::fflush(stdout);
  for (const unsigned clients : {1u, 4u, 16u, 64u}) {
    next_row();
    const auto row = measure_take_ticket(server->port(), clients, seconds);
    std::printf(
        "| %u | %llu | %.0f | %.0f | %.0f | %.0f | %llu | %.0f %% | %.0f %% | %.1f | %.1f |\n",
        row.clients, static_cast<unsigned long long>(waiting),
        static_cast<double>(row.requests) / row.seconds, row.p50_us, row.p99_us, row.max_us,
        static_cast<unsigned long long>(row.failures), row.cpu.server_percent,
        row.cpu.clients_percent, row.rss_before, row.rss_after);
    std::fflush(stdout);
    waiting += row.requests - row.failures;
  }

  std::printf("\n### Fan-out of TicketIssued (%.0f tickets/s, %.1f s per row)\n\n", per_second,
              seconds);
  std::printf(
      "| subscribers | waiting at start | tickets | tickets/s | 201 p50 (µs) | 201 p99 (µs) | "
      "push after 201 p50 (µs) | p99 (µs) | max (µs) | pushed before 201 | MISSING | cut off | "
      "server CPU | clients CPU | RSS before (MiB) | RSS after (MiB) |\n");
  std::printf(
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
      "| "
      "---: | ---: | ---: |\n");
  std::fflush(stdout);
  asio::io_context clients;
  auto work = asio::make_work_guard(clients);
  std::vector<std::thread> client_threads;
  for (int i = 0; i < 2; ++i) client_threads.emplace_back([&clients] { clients.run(); });
  const std::uint64_t limit = open_files_limit();
  for (const std::size_t count : {std::size_t{10}, std::size_t{100}, std::size_t{1000}}) {
    if (2 * count + spare_descriptors > limit) {
      std::printf("| %zu | skipped: needs %llu descriptors, limit %llu |\n", count,
                  static_cast<unsigned long long>(2 * count + spare_descriptors),
                  static_cast<unsigned long long>(limit));
      continue;
    }
    next_row();
    const auto row =
        measure_fanout(server->port(), clients, client_threads, count, seconds, per_second);
    std::printf(
        "| %zu | %llu | %llu | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f %% | %llu | %zu | "
        "%.0f %% | %.0f %% | %.1f | %.1f |\n",
        row.subscribers, static_cast<unsigned long long>(waiting),
        static_cast<unsigned long long>(row.events), row.rate, row.reply_p50_us, row.reply_p99_us,
        row.delivery_p50_us, row.delivery_p99_us, row.delivery_max_us, row.before_reply_percent,
        static_cast<unsigned long long>(row.missing), row.cut_off, row.cpu.server_percent,
        row.cpu.clients_percent, row.rss_before, row.rss_after);
    std::fflush(stdout);
    waiting += row.events + 1;
  }
  work.reset();
  for (auto& thread : client_threads) thread.join();
  server->stop();
  return 0;
}
