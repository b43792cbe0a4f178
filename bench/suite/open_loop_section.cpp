#include "open_loop_section.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "fdatasync_section.hpp"
#include "load/http_connection.hpp"
#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/report.hpp"
#include "load/server_child.hpp"
#include "load/take_ticket_load.hpp"

namespace luot::bench {

using namespace std::chrono_literals;

namespace {

struct commit_count {
  double all = 0;
  double over_1ms = 0;
};

// From the server's luot_commit_seconds histogram.
commit_count commit_counts(std::uint16_t port) {
  const auto page = http_get(port, "/metrics");
  commit_count counted;
  counted.all = metric_value(page, "luot_commit_seconds_count");
  counted.over_1ms = counted.all - metric_value(page, "luot_commit_seconds_bucket{le=\"0.001\"}");
  return counted;
}

}  // namespace

void run_open_loop_section(const suite_settings& run, results_document& results) {
  server_child server(run.server_program, run.work_directory / "open",
                      bench_centre_toml(std::nullopt));
  struct open_row {
    double rate = 0;
    unsigned repetition = 0;
    open_loop_result result;
    // The disk alone at the row's pace, measured just before it.
    latency_summary disk;
    // The server's own commits in the row (its luot_commit_seconds
    // histogram): how many, and how many took longer than 1 ms.
    double commits = 0;
    double slow_commits = 0;
    double server_cpu_percent = 0;
    double bench_cpu_percent = 0;
    std::string load;
  };
  std::vector<open_row> rows;
  int database = 0;
  for (unsigned repetition = 1; repetition <= run.repetitions; ++repetition) {
    auto rates = run.open_loop_rates;
    if (repetition % 2 == 0) std::reverse(rates.begin(), rates.end());
    for (const double rate : rates) {
      std::fprintf(stderr, "bench_suite: take-ticket open loop, %.0f/s, repetition %u\n", rate,
                   repetition);
      open_row row;
      row.rate = rate;
      row.repetition = repetition;
      row.load = load_now();
      row.disk = measure_fdatasync(run.work_directory / "open-pace-probe",
                                   static_cast<unsigned>(rate * run.open_loop_seconds),
                                   std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::duration<double>(1 / rate)));
      server.start(run.work_directory / ("open-" + std::to_string(++database) + ".db"));
      std::this_thread::sleep_for(200ms);
      const auto commits_before = commit_counts(server.port());
      const auto self_before = sample_self();
      const double cpu_before = precise_cpu_seconds(server.pid());
      const auto started = bench_clock::now();
      row.result = take_tickets_open_loop(server.port(), rate, run.open_loop_seconds);
      const double wall = to_microseconds(bench_clock::now() - started) / 1e6;
      row.server_cpu_percent = 100.0 * (precise_cpu_seconds(server.pid()) - cpu_before) / wall;
      row.bench_cpu_percent = cpu_percent(self_before, sample_self(), wall);
      const auto commits_after = commit_counts(server.port());
      row.commits = commits_after.all - commits_before.all;
      row.slow_commits = commits_after.over_1ms - commits_before.over_1ms;
      server.stop();
      if (row.result.not_created > 0) {
        results.add_problem(std::to_string(row.result.not_created) +
                            " tickets refused in the open loop at " + fixed(rate) + "/s");
      }
      rows.push_back(row);
    }
  }
  std::string text = "## Take-ticket, open loop\n\n";
  text += "Tickets are due at a fixed rate for " + fixed(run.open_loop_seconds, 1) +
          " s, spread over 8 keep-alive HTTP connections, each on a fresh server (each connection "
          "takes one untimed ticket before the clock starts); a ticket's "
          "latency counts from when it was due, so a stall shows as latency rather than as "
          "fewer requests. Just before each row the disk alone is measured at the row's pace "
          "(the fdatasync probe, one 4 KiB append and sync per ticket due, as many as the row "
          "has): every reply waits for one such sync, so the disk's p99 at that pace is the "
          "floor under the row's p99. \"Commits over 1 ms\" is the server's own count for the "
          "row (its `luot_commit_seconds` histogram; the untimed first tickets' commits "
          "included): when more than 1 % of a 100/s row's commits, one per ticket, take over "
          "1 ms, no reply path could keep that row's p99 under 1 ms. The first table gives "
          "medians over the repetitions.\n\n";
  markdown_table summary({{"tickets/s"},
                          {"p50 (ms)"},
                          {"p99 (ms)"},
                          {"max (ms)"},
                          {"disk alone p50 (ms)"},
                          {"disk alone p99 (ms)"},
                          {"p99 above the disk's (ms)"},
                          {"commits over 1 ms"},
                          {"server CPU"}});
  for (const double rate : run.open_loop_rates) {
    std::vector<double> p50, p99, max, cpu, disk50, disk99, above, slow;
    for (const auto& each : rows) {
      if (each.rate != rate) continue;
      p50.push_back(each.result.latency.p50_us / 1000);
      p99.push_back(each.result.latency.p99_us / 1000);
      max.push_back(each.result.latency.max_us / 1000);
      cpu.push_back(each.server_cpu_percent);
      disk50.push_back(each.disk.p50_us / 1000);
      disk99.push_back(each.disk.p99_us / 1000);
      above.push_back((each.result.latency.p99_us - each.disk.p99_us) / 1000);
      slow.push_back(each.commits > 0 ? 100.0 * each.slow_commits / each.commits : 0);
    }
    summary.add_row({grouped(rate), fixed(median(p50), 2), fixed(median(p99), 2),
                     fixed(median(max), 2), fixed(median(disk50), 2), fixed(median(disk99), 2),
                     fixed(median(above), 2), fixed(median(slow), 1) + " %",
                     fixed(median(cpu)) + " %"});
    figure headline;
    headline.name = "take-ticket at " + grouped(rate) + "/s, open loop";
    headline.measured = "p50 " + fixed(median(p50), 2) + " ms, p99 " + fixed(median(p99), 2) +
                        " ms, max " + fixed(median(max), 1) +
                        " ms (the disk alone at this pace: p99 " + fixed(median(disk99), 2) +
                        " ms; the server's commits over 1 ms: " + fixed(median(slow), 1) + " %)";
    if (rate <= 100) {
      headline.goal = "p99 ≤ 1 ms";
      headline.met = median(p99) <= 1.0;
    } else {
      headline.goal = "no number in issue 11 (the snapshot stall shows here)";
    }
    results.add_figure(headline);
  }
  text += summary.render() + "\nEvery row:\n\n";
  markdown_table every({{"repetition"},
                        {"tickets/s due"},
                        {"achieved/s"},
                        {"tickets"},
                        {"p50 (µs)"},
                        {"p99 (µs)"},
                        {"max (µs)"},
                        {"disk p50 (µs)"},
                        {"disk p99 (µs)"},
                        {"commits"},
                        {"over 1 ms"},
                        {"slowest from (s)"},
                        {"refused"},
                        {"server CPU"},
                        {"bench CPU"},
                        {"load"}});
  for (const auto& each : rows) {
    every.add_row({std::to_string(each.repetition), grouped(each.rate),
                   fixed(each.result.achieved_per_second),
                   grouped(static_cast<double>(each.result.latency.count)),
                   fixed(each.result.latency.p50_us), fixed(each.result.latency.p99_us),
                   fixed(each.result.latency.max_us), fixed(each.disk.p50_us),
                   fixed(each.disk.p99_us), grouped(each.commits), grouped(each.slow_commits),
                   fixed(each.result.worst_half_second_from, 1),
                   std::to_string(each.result.not_created), fixed(each.server_cpu_percent) + " %",
                   fixed(each.bench_cpu_percent) + " %", each.load});
  }
  text += every.render();
  results.add_section(text);
}

}  // namespace luot::bench
