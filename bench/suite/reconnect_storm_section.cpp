#include "reconnect_storm_section.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/raw_subscribers.hpp"
#include "load/report.hpp"
#include "load/server_child.hpp"
#include "load/take_ticket_load.hpp"
#include "waiting.hpp"

namespace luot::bench {

using namespace std::chrono_literals;

void run_reconnect_storm_section(const suite_settings& run, results_document& results) {
  server_child server(run.server_program, run.work_directory / "storm",
                      bench_centre_toml(std::nullopt));
  struct storm_row {
    unsigned repetition = 0;
    std::uint64_t waiting = 0;
    open_loop_result quiet, storm;
    double all_subscribed_seconds = -1;
    std::size_t live = 0;
    std::size_t failed = 0;
    std::size_t cut_off = 0;
    double server_cpu_seconds = 0;
    double receiver_cpu_seconds = 0;
    double rss_before = 0, rss_after = 0;
    std::string load;
  };
  std::vector<storm_row> rows;
  for (unsigned repetition = 1; repetition <= run.repetitions; ++repetition) {
    std::fprintf(stderr, "bench_suite: reconnect storm of %zu, repetition %u\n",
                 run.storm_subscribers, repetition);
    storm_row row;
    row.repetition = repetition;
    server.start(run.work_directory / ("storm-" + std::to_string(repetition) + ".db"));
    take_tickets(server.port(), run.storm_morning_tickets);
    row.waiting = run.storm_morning_tickets;
    row.load = load_now();
    row.quiet =
        take_tickets_open_loop(server.port(), run.storm_ticket_rate, run.storm_quiet_seconds);
    row.rss_before = server.sample().resident_mebibytes;

    std::atomic<bool> stop{false};
    open_loop_result during;
    std::exception_ptr failure;
    std::thread kiosks([&] {
      try {
        during = take_tickets_open_loop(server.port(), run.storm_ticket_rate, 900, 8, &stop);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    std::this_thread::sleep_for(200ms);
    const double cpu_before = precise_cpu_seconds(server.pid());
    raw_subscriber_options options;
    options.handshakes_at_once = run.storm_subscribers;
    raw_subscribers screens(server.port(), run.storm_subscribers, options);
    const auto started = bench_clock::now();
    screens.start();
    const bool all =
        wait_for([&] { return screens.live() + screens.failed() >= run.storm_subscribers; }, 600s);
    if (all) row.all_subscribed_seconds = to_microseconds(bench_clock::now() - started) / 1e6;
    row.server_cpu_seconds = precise_cpu_seconds(server.pid()) - cpu_before;
    row.receiver_cpu_seconds = screens.cpu_seconds();
    // The kiosks go on a little after the last subscription.
    std::this_thread::sleep_for(500ms);
    stop.store(true);
    kiosks.join();
    row.storm = during;
    row.live = screens.live();
    row.failed = screens.failed();
    row.cut_off = screens.cut_off();
    row.rss_after = server.sample().resident_mebibytes;
    screens.stop();
    server.stop();
    if (failure) std::rethrow_exception(failure);
    if (row.failed > 0 || !all) {
      results.add_problem(std::to_string(row.failed) + " storm subscribers failed (first: " +
                          screens.first_failure() + "), " + std::to_string(row.live) + " live");
    }
    if (row.quiet.not_created + row.storm.not_created > 0) {
      results.add_problem("tickets refused around the reconnect storm");
    }
    rows.push_back(row);
  }
  std::vector<double> seconds, quiet_p99, storm_p99, storm_p50, cpu;
  markdown_table table({{"repetition"},
                        {"waiting"},
                        {"subscribers"},
                        {"all subscribed after (s)"},
                        {"cut off"},
                        {"server CPU meanwhile (s)"},
                        {"receiver CPU (s)"},
                        {"take-ticket quiet p50 (ms)"},
                        {"quiet p99 (ms)"},
                        {"storm p50 (ms)"},
                        {"storm p99 (ms)"},
                        {"storm max (ms)"},
                        {"tickets in storm"},
                        {"server RSS before (MiB)"},
                        {"after (MiB)"},
                        {"load"}});
  for (const auto& each : rows) {
    seconds.push_back(each.all_subscribed_seconds);
    quiet_p99.push_back(each.quiet.latency.p99_us / 1000);
    storm_p99.push_back(each.storm.latency.p99_us / 1000);
    storm_p50.push_back(each.storm.latency.p50_us / 1000);
    cpu.push_back(each.server_cpu_seconds);
    table.add_row(
        {std::to_string(each.repetition), grouped(static_cast<double>(each.waiting)),
         grouped(static_cast<double>(run.storm_subscribers)),
         each.all_subscribed_seconds < 0 ? "not all" : fixed(each.all_subscribed_seconds, 2),
         std::to_string(each.cut_off), fixed(each.server_cpu_seconds, 2),
         fixed(each.receiver_cpu_seconds, 2), fixed(each.quiet.latency.p50_us / 1000, 2),
         fixed(each.quiet.latency.p99_us / 1000, 2), fixed(each.storm.latency.p50_us / 1000, 2),
         fixed(each.storm.latency.p99_us / 1000, 2), fixed(each.storm.latency.max_us / 1000, 2),
         grouped(static_cast<double>(each.storm.latency.count)), fixed(each.rss_before, 1),
         fixed(each.rss_after, 1), each.load});
  }
  results.add_section(
      "## Reconnect storm\n\nEach repetition: a fresh server, a morning of " +
      grouped(static_cast<double>(run.storm_morning_tickets)) +
      " tickets (all still waiting), then kiosks take tickets open loop at " +
      fixed(run.storm_ticket_rate) +
      "/s (8 keep-alive connections, latency from when each "
      "was due): " +
      fixed(run.storm_quiet_seconds, 1) + " s quiet, then " +
      grouped(static_cast<double>(run.storm_subscribers)) +
      " subscribers (the raw epoll receiver, each from its own loopback address) all connect "
      "at once and send Subscribe, as the hall's screens and phones do when the server comes "
      "back; the kiosks go on until 0.5 s after the last one has its view. \"server CPU "
      "meanwhile\" is the server's, from the first connection to the last view; \"cut off\" "
      "counts subscribers the server closed with 1008 (its write queue for them overflowed).\n\n" +
      table.render());
  figure headline;
  headline.name = "reconnect storm: " + grouped(static_cast<double>(run.storm_subscribers)) +
                  " subscribers at once after a " +
                  grouped(static_cast<double>(run.storm_morning_tickets)) + "-ticket morning";
  headline.measured = "all subscribed after " + fixed(median(seconds), 2) + " s (server CPU " +
                      fixed(median(cpu), 2) + " s); take-ticket p50 " +
                      fixed(median(storm_p50), 2) + " ms, p99 " + fixed(median(storm_p99), 2) +
                      " ms meanwhile (quiet p99 " + fixed(median(quiet_p99), 2) + " ms)";
  headline.goal = "no number in issue 11 (was 45 s of CPU, take-ticket p50 3.7 s)";
  results.add_figure(headline);
}

}  // namespace luot::bench
