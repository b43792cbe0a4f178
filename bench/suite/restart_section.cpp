#include "restart_section.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "event_log_builder.hpp"
#include "load/fanout.hpp"
#include "load/http_connection.hpp"
#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/report.hpp"
#include "load/server_child.hpp"
#include "officer.hpp"

namespace luot::bench {

namespace {

using namespace std::chrono_literals;

struct restart_row {
  double to_listening_ms = 0;
  double to_ready_ms = 0;
  double server_cpu_ms = 0;
  double rss_mib = 0;
  std::uint64_t seq = 0;
  std::string load;
};

restart_row restart_once(server_child& server, const std::filesystem::path& database) {
  restart_row row;
  row.load = load_now();
  const auto started = bench_clock::now();
  server.start(database);
  row.to_listening_ms = to_microseconds(bench_clock::now() - started) / 1000;
  const auto give_up = started + 120s;
  for (;;) {
    unsigned status = 0;
    try {
      http_connection probe(server.port());
      status = probe.exchange(get_request("/readyz"));
    } catch (const std::exception&) {
      status = 0;
    }
    if (status == 200) break;
    if (bench_clock::now() > give_up) throw std::runtime_error("/readyz not 200 within 120 s");
    std::this_thread::sleep_for(1ms);
  }
  row.to_ready_ms = to_microseconds(bench_clock::now() - started) / 1000;
  row.server_cpu_ms = precise_cpu_seconds(server.pid()) * 1000;
  row.rss_mib = server.sample().resident_mebibytes;
  row.seq = published_seq(server.port());
  server.stop();
  return row;
}

}  // namespace

void run_restart_section(const suite_settings& run, results_document& results) {
  const std::string toml = bench_centre_toml(std::nullopt) + std::string(officer_toml);
  const auto database = run.work_directory / "restart.db";
  std::fprintf(stderr, "bench_suite: writing %llu events for the restart\n",
               static_cast<unsigned long long>(run.restart_events));
  const auto built = build_event_log(database, toml, run.restart_events);
  server_child server(run.server_program, run.work_directory / "restart", toml);
  std::vector<restart_row> rows;
  for (unsigned repetition = 1; repetition <= std::max(3u, run.repetitions); ++repetition) {
    std::fprintf(stderr, "bench_suite: restart, repetition %u\n", repetition);
    rows.push_back(restart_once(server, database));
    if (rows.back().seq < built.events) {
      results.add_problem("the restarted server published seq " + std::to_string(rows.back().seq) +
                          ", the log holds " + std::to_string(built.events));
    }
  }
  std::vector<double> ready, listening;
  markdown_table table({{"restart"},
                        {"to listening (ms)"},
                        {"to /readyz 200 (ms)"},
                        {"server CPU by then (ms)"},
                        {"server RSS (MiB)"},
                        {"seq published"},
                        {"load"}});
  for (std::size_t index = 0; index < rows.size(); ++index) {
    const auto& each = rows[index];
    ready.push_back(each.to_ready_ms);
    listening.push_back(each.to_listening_ms);
    table.add_row({std::to_string(index + 1), fixed(each.to_listening_ms, 1),
                   fixed(each.to_ready_ms, 1), fixed(each.server_cpu_ms, 1), fixed(each.rss_mib, 1),
                   grouped(static_cast<double>(each.seq)), each.load});
  }
  results.add_section(
      "## Restart with " + grouped(static_cast<double>(built.events)) +
      " events in the log\n\nThe log was written by `bench/suite/event_log_builder` (the real "
      "engine and store, simulated clock): " +
      grouped(static_cast<double>(built.days)) +
      " service days of 3,000 tickets, each taken, called and finished, ending today (today's "
      "takes the remainder), and the last " +
      grouped(static_cast<double>(built.snapshots)) +
      " of the snapshots the server takes at each day's close and every 1,000 events, or every "
      "as many events as the last one held tickets when the day is bigger (it keeps "
      "the last four, so a restart reads the same one as after a real day; " +
      fixed(built.mebibytes, 0) + " MiB, written in " + fixed(built.seconds, 1) +
      " s). Each restart is timed from starting the program to its log saying it listens "
      "(read every 5 ms) and to the first `GET /readyz` answered 200 (polled every "
      "millisecond on a fresh connection); the server's CPU is all it used up to then.\n\n" +
      table.render());
  // The worst case the snapshot policy allows: a busy day whose latest
  // snapshot is as far behind the log's head as it may be.
  const auto busy_database = run.work_directory / "restart-busy.db";
  std::fprintf(stderr, "bench_suite: writing a busy day of %llu tickets for the restart\n",
               static_cast<unsigned long long>(run.restart_busy_tickets));
  const auto busy = build_busy_day_log(busy_database, toml, run.restart_busy_tickets);
  markdown_table busy_table({{"restart"},
                             {"to listening (ms)"},
                             {"to /readyz 200 (ms)"},
                             {"server CPU by then (ms)"},
                             {"server RSS (MiB)"},
                             {"seq published"},
                             {"load"}});
  std::vector<double> busy_ready;
  for (unsigned repetition = 1; repetition <= std::max(3u, run.repetitions); ++repetition) {
    std::fprintf(stderr, "bench_suite: restart after a busy day, repetition %u\n", repetition);
    const auto each = restart_once(server, busy_database);
    if (each.seq < busy.log.events) {
      results.add_problem("after a busy day the restarted server published seq " +
                          std::to_string(each.seq) + ", the log holds " +
                          std::to_string(busy.log.events));
    }
    busy_ready.push_back(each.to_ready_ms);
    busy_table.add_row({std::to_string(repetition), fixed(each.to_listening_ms, 1),
                        fixed(each.to_ready_ms, 1), fixed(each.server_cpu_ms, 1),
                        fixed(each.rss_mib, 1), grouped(static_cast<double>(each.seq)), each.load});
  }
  results.add_section(
      "### Restart after a busy day\n\nThe worst case of the snapshot policy: one service day, "
      "today, of " +
      grouped(static_cast<double>(busy.tickets)) +
      " tickets taken and all still waiting, written the same way with the snapshots the server "
      "would have taken; the latest is at seq " +
      grouped(static_cast<double>(busy.latest_snapshot_seq)) + " (holding as many tickets), so " +
      "the restart restores it and replays the " + grouped(static_cast<double>(busy.tail)) +
      " events after it (" + fixed(busy.log.mebibytes, 0) + " MiB). Median to /readyz: " +
      fixed(median(busy_ready), 0) + " ms.\n\n" + busy_table.render());
  figure headline;
  headline.name = "restart with " + grouped(static_cast<double>(built.events)) +
                  " events in the log, to /readyz";
  headline.measured =
      fixed(median(ready), 0) + " ms (listening after " + fixed(median(listening), 0) + " ms)";
  headline.goal = "≤ 1 s";
  headline.met = median(ready) <= 1000;
  results.add_figure(headline);
}

}  // namespace luot::bench
