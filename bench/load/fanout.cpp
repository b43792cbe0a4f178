#include "fanout.hpp"

#include <google/protobuf/util/json_util.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "http_connection.hpp"
#include "luot/v1/luot.pb.h"
#include "take_ticket_load.hpp"

namespace luot::bench {

namespace {

// Polls until `reached` holds or the time runs out; false on timeout.
template <typename Condition>
bool wait_for(Condition reached, std::chrono::seconds limit) {
  const auto give_up = bench_clock::now() + limit;
  while (!reached()) {
    if (bench_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// What the kiosk got for one ticket.
struct issued {
  std::string category;
  std::uint32_t ordinal = 0;
};

issued parse_ticket(const std::string& body) {
  v1::Ticket ticket;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(body, &ticket, options).ok()) {
    throw std::runtime_error("not a ticket: " + body);
  }
  return {ticket.category(), ticket.ordinal()};
}

}  // namespace

std::uint64_t published_seq(std::uint16_t port) {
  v1::View view;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto body = http_get(port, "/api/v1/view");
  if (!google::protobuf::util::JsonStringToMessage(body, &view, options).ok()) {
    throw std::runtime_error("GET /api/v1/view is not a View");
  }
  return view.seq();
}

fanout_row measure_fanout(const server_child& server, subscriber_group& group, double seconds,
                          double per_second) {
  fanout_row row;
  row.kind = group.kind();
  row.subscribers = group.count();
  row.server_before = server.sample();
  const auto port = server.port();
  group.start();
  if (!wait_for([&] { return group.live() + group.failed() >= row.subscribers; },
                std::chrono::seconds(60))) {
    throw std::runtime_error("subscribers did not get the view within 60 s (" +
                             std::to_string(group.live()) + " live)");
  }
  if (group.failed() > 0) throw std::runtime_error("subscriber failed: " + group.first_failure());
  row.subscribers = group.live();

  // A warm-up ticket proves every subscription is in place.
  http_connection kiosk(port, kiosk_addresses + 3000);
  const auto request = take_ticket_request(bench_categories[0]);
  if (kiosk.exchange(request) != 201) throw std::runtime_error("warm-up ticket refused");
  const std::uint64_t warm_up_seq = published_seq(port);
  if (!wait_for([&] { return group.lowest_seq() >= warm_up_seq || group.failed() > 0; },
                std::chrono::seconds(30))) {
    throw std::runtime_error("subscribers did not receive the warm-up ticket");
  }

  // The measured tickets are seqs first_seq .. first_seq + events - 1: this
  // kiosk is the only one taking tickets.
  const std::uint64_t first_seq = warm_up_seq + 1;
  const auto events = static_cast<std::uint64_t>(seconds * per_second);
  const auto period = std::chrono::duration_cast<bench_clock::duration>(
      std::chrono::duration<double>(1.0 / per_second));
  std::vector<bench_clock::time_point> replied(events);
  std::vector<issued> tickets(events);
  std::vector<double> reply_latencies;
  reply_latencies.reserve(events);
  const auto server_start = server.sample();
  const auto self_start = sample_self();
  const auto started = bench_clock::now();
  for (std::uint64_t index = 0; index < events; ++index) {
    std::this_thread::sleep_until(started + period * static_cast<long>(index));
    const auto sent = bench_clock::now();
    if (kiosk.exchange(request) != 201) throw std::runtime_error("ticket refused: " + kiosk.body());
    replied[index] = bench_clock::now();
    reply_latencies.push_back(to_microseconds(replied[index] - sent));
    tickets[index] = parse_ticket(kiosk.body());
  }
  const double elapsed = to_microseconds(bench_clock::now() - started) / 1e6;
  const std::uint64_t last_seq = first_seq + events - 1;
  wait_for([&] { return group.lowest_seq() >= last_seq; }, std::chrono::seconds(10));
  const double drained = to_microseconds(bench_clock::now() - started) / 1e6;
  row.server_after = server.sample();
  row.server_cpu_percent = cpu_percent(server_start, row.server_after, drained);
  row.bench_cpu_percent = cpu_percent(self_start, sample_self(), drained);
  group.stop();

  // The update behind each seq must carry the ticket the kiosk got for it.
  const auto& checked = group.checked();
  for (std::uint64_t index = 0; index < events; ++index) {
    const auto found = checked.find(first_seq + index);
    if (found == checked.end()) continue;  // counted as missing below
    const auto category = found->second.find(tickets[index].category);
    if (category == found->second.end() || category->second != tickets[index].ordinal) {
      ++row.mismatched;
    }
  }

  std::vector<double> delays;
  delays.reserve(row.subscribers * events);
  std::size_t before_reply = 0;
  for (const auto& each : group.arrivals()) {
    std::uint64_t received = 0;
    std::uint64_t previous = 0;
    for (const auto& got : each) {
      if (got.seq < first_seq || got.seq > last_seq) continue;
      // Counted only when strictly after the previous one: a repeat or an
      // update out of order does not make up for a missing one.
      if (got.seq <= previous) continue;
      previous = got.seq;
      ++received;
      const auto delay = got.at - replied[got.seq - first_seq];
      if (delay < bench_clock::duration::zero()) ++before_reply;
      delays.push_back(to_microseconds(delay));
    }
    row.missing += events - received;
  }
  row.cut_off = group.cut_off();
  row.failed = group.failed();
  row.first_failure = group.first_failure();
  row.events = events;
  row.per_second = static_cast<double>(events) / elapsed;
  row.before_reply_percent = delays.empty() ? 0
                                            : 100.0 * static_cast<double>(before_reply) /
                                                  static_cast<double>(delays.size());
  row.reply = summarize(std::move(reply_latencies));
  row.delivery = summarize(std::move(delays));
  return row;
}

}  // namespace luot::bench
