#include "sections.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

#include "device_subscribers.hpp"
#include "fanout.hpp"
#include "process_stats.hpp"
#include "raw_subscribers.hpp"
#include "resume.hpp"
#include "take_ticket_load.hpp"

namespace luot::bench {

namespace {

std::mutex load_mutex;
load_readings readings;
bool any_reading = false;

}  // namespace

std::string load_now() {
  const auto all = load_average();
  const auto one_minute = all.substr(0, all.find(' '));
  const double value = std::atof(one_minute.c_str());
  const std::lock_guard lock(load_mutex);
  if (!any_reading || value < readings.lowest) readings.lowest = value;
  if (!any_reading || value > readings.highest) readings.highest = value;
  any_reading = true;
  return one_minute;
}

load_readings load_range() {
  const std::lock_guard lock(load_mutex);
  return readings;
}

void print_take_ticket(const run_settings& run, server_lifecycle& servers, report& checks) {
  std::printf("### Take a ticket, closed loop (HTTP/1.1 keep-alive, %.1f s per row)\n\n",
              run.seconds);
  std::printf(
      "| clients | waiting at start | requests/s | p50 (µs) | p99 (µs) | max (µs) | not 201 | "
      "server CPU | bench CPU | server RSS before (MiB) | after (MiB) | load |\n"
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  std::fflush(stdout);
  double first_rss = 0;
  double last_rss = 0;
  std::uint64_t issued = 0;
  for (const unsigned clients : run.clients) {
    servers.next_row();
    const auto waiting = published_seq(servers.port());
    if (first_rss == 0 || run.fresh) {
      first_rss = servers.started_rss();
      issued = waiting;
    }
    const auto load = load_now();
    const auto row = take_tickets_closed_loop(servers.server(), clients, run.seconds);
    std::printf(
        "| %u | %llu | %.0f | %.0f | %.0f | %.0f | %llu | %.0f %% | %.0f %% | %.1f | %.1f | %s |\n",
        row.clients, static_cast<unsigned long long>(waiting),
        static_cast<double>(row.latency.count) / row.seconds, row.latency.p50_us,
        row.latency.p99_us, row.latency.max_us, static_cast<unsigned long long>(row.not_created),
        row.server_cpu_percent, row.bench_cpu_percent, row.server_before.resident_mebibytes,
        row.server_after.resident_mebibytes, load.c_str());
    std::fflush(stdout);
    issued += row.latency.count - row.not_created;
    checks.check(row.not_created == 0, std::to_string(row.not_created) +
                                           " tickets not created at " + std::to_string(clients) +
                                           " clients");
    last_rss = row.server_after.resident_mebibytes;
  }
  std::printf("\n### Memory per waiting ticket\n\n");
  std::printf(
      "| waiting tickets | server RSS at start (MiB) | after (MiB) | KiB per waiting ticket |\n"
      "| ---: | ---: | ---: | ---: |\n");
  std::printf("| %llu | %.1f | %.1f | %.2f |\n\n", static_cast<unsigned long long>(issued),
              first_rss, last_rss,
              issued == 0 ? 0.0 : (last_rss - first_rss) * 1024.0 / static_cast<double>(issued));
  std::fflush(stdout);
}

void print_fanout(const run_settings& run, server_lifecycle& servers, report& checks) {
  std::printf("### Fan-out of the ViewUpdate of each ticket (%.0f tickets/s, %.1f s per row)\n\n",
              run.fanout_per_second, run.seconds);
  std::printf(
      "| subscribers | receiver | waiting at start | tickets | tickets/s | 201 p50 (µs) | "
      "201 p99 (µs) | update after 201 p50 (µs) | p99 (µs) | max (µs) | updates before 201 | "
      "MISSING | wrong ticket | cut off | server CPU | bench CPU | server RSS before (MiB) | "
      "after (MiB) | load |\n"
      "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
      "| ---: | ---: | ---: | ---: | ---: | ---: |\n");
  std::fflush(stdout);
  const auto limit = open_files_limit();
  for (const auto& plan : run.fanouts) {
    // One socket each, plus the HTTP clients, the database and stdio.
    if (plan.subscribers + 200 > limit) {
      std::printf("| %zu | skipped: needs %zu descriptors, the limit is %llu |\n", plan.subscribers,
                  plan.subscribers + 200, static_cast<unsigned long long>(limit));
      continue;
    }
    servers.next_row();
    const auto waiting = published_seq(servers.port());
    const auto load = load_now();
    std::unique_ptr<subscriber_group> group;
    if (plan.kind == receiver::device_client) {
      group = std::make_unique<device_subscribers>(servers.port(), plan.subscribers);
    } else {
      group = std::make_unique<raw_subscribers>(servers.port(), plan.subscribers);
    }
    const auto row = measure_fanout(servers.server(), *group, run.seconds, run.fanout_per_second);
    group.reset();
    std::printf(
        "| %zu | %s | %llu | %llu | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f %% | %llu | "
        "%llu | %zu | %.0f %% | %.0f %% | %.1f | %.1f | %s |\n",
        row.subscribers, row.kind.c_str(), static_cast<unsigned long long>(waiting),
        static_cast<unsigned long long>(row.events), row.per_second, row.reply.p50_us,
        row.reply.p99_us, row.delivery.p50_us, row.delivery.p99_us, row.delivery.max_us,
        row.before_reply_percent, static_cast<unsigned long long>(row.missing),
        static_cast<unsigned long long>(row.mismatched), row.cut_off, row.server_cpu_percent,
        row.bench_cpu_percent, row.server_before.resident_mebibytes,
        row.server_after.resident_mebibytes, load.c_str());
    const auto where = " in the fan-out to " + std::to_string(row.subscribers) + " " + row.kind;
    checks.check(row.failed == 0, std::to_string(row.failed) + " subscribers failed" + where +
                                      " (first: " + row.first_failure + ")");
    checks.check(row.missing == 0, std::to_string(row.missing) + " updates missing" + where);
    checks.check(row.mismatched == 0, std::to_string(row.mismatched) + " wrong tickets" + where);
    checks.check(row.cut_off == 0, std::to_string(row.cut_off) + " subscribers cut off" + where);
    std::fflush(stdout);
  }
  std::printf("\n");
}

void print_resume(const run_settings& run, server_lifecycle& servers, report& checks) {
  servers.next_row();
  std::printf(
      "### Resume: a screen %llu events behind catches up in one connection, reading "
      "normally\n\n",
      static_cast<unsigned long long>(run.behind));
  std::printf(
      "| receiver | behind | after seq | reached seq | updates | out of order | views instead | "
      "MiB | time to live (ms) | updates/s | connections | cut off | closed by server | "
      "bench CPU | load |\n"
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | "
      "---: | ---: |\n");
  for (const receiver kind : {receiver::raw_epoll, receiver::device_client}) {
    const auto load = load_now();
    const auto result = kind == receiver::raw_epoll
                            ? measure_raw_resume(servers.server(), run.behind)
                            : measure_device_resume(servers.server(), run.behind);
    const std::string closed =
        result.ended ? std::to_string(result.close_code) + " (" + result.why + ")" : "no";
    const std::string mebibytes =
        result.bytes < 0 ? "–" : std::to_string(result.bytes / (1024.0 * 1024.0)).substr(0, 4);
    std::printf(
        "| %s | %llu | %llu | %llu | %llu | %llu | %llu | %s | %.1f | %.0f | %llu | %.0f | %s | "
        "%.0f %% | %s |\n",
        result.receiver.c_str(), static_cast<unsigned long long>(result.behind),
        static_cast<unsigned long long>(result.from_seq),
        static_cast<unsigned long long>(result.reached_seq),
        static_cast<unsigned long long>(result.updates),
        static_cast<unsigned long long>(result.out_of_order),
        static_cast<unsigned long long>(result.other_messages), mebibytes.c_str(),
        result.seconds * 1000.0,
        result.seconds > 0 ? static_cast<double>(result.updates) / result.seconds : 0.0,
        static_cast<unsigned long long>(result.connections), result.cut_offs, closed.c_str(),
        result.bench_cpu_percent, load.c_str());
    std::fflush(stdout);
    const auto where = " in the " + result.receiver + " resume";
    checks.check(result.updates == result.behind && result.out_of_order == 0,
                 std::to_string(result.updates) + " updates (" +
                     std::to_string(result.out_of_order) + " out of order) of " +
                     std::to_string(result.behind) + where);
    checks.check(result.other_messages == 0, "a View instead of the backlog" + where);
    checks.check(result.connections == 1 && !result.ended && result.cut_offs == 0,
                 "cut off or reconnected" + where);
  }
  std::printf("\n");
}

}  // namespace luot::bench
