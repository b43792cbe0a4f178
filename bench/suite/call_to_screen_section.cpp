#include "call_to_screen_section.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "load/device_subscribers.hpp"
#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/report.hpp"
#include "load/server_child.hpp"
#include "load/take_ticket_load.hpp"
#include "officer.hpp"
#include "waiting.hpp"

namespace luot::bench {

using namespace std::chrono_literals;

void run_call_to_screen_section(const suite_settings& run, results_document& results) {
  server_child server(run.server_program, run.work_directory / "screen",
                      bench_centre_toml(std::nullopt) + std::string(officer_toml));
  server.start(run.work_directory / "screen.db");
  take_tickets(server.port(), run.screen_calls + 4, 2);
  const auto token = sign_in_officer(server.port());
  const auto load = load_now();
  device_subscribers screens(server.port(), run.screens);
  screens.start();
  if (!wait_for([&] { return screens.live() + screens.failed() >= run.screens; }, 60s) ||
      screens.failed() > 0) {
    throw std::runtime_error("the screens did not get live: " + screens.first_failure());
  }
  http_connection officer(server.port());
  std::vector<std::uint64_t> seqs;
  std::vector<bench_clock::time_point> sent;
  const auto period = std::chrono::duration_cast<bench_clock::duration>(
      std::chrono::duration<double>(run.seconds_between_calls));
  const auto started = bench_clock::now() + period;
  const double cpu_before = precise_cpu_seconds(server.pid());
  for (unsigned call = 0; call < run.screen_calls; ++call) {
    if (call > 0) {
      // The previous ticket finishes half a period before the next call.
      std::this_thread::sleep_until(started + period * static_cast<long>(call) - period / 2);
      if (officer.exchange(
              post_request("/api/v1/counters/1/finish", R"({"outcome":"done"})", token)) != 200) {
        throw std::runtime_error("finish refused: " + officer.body());
      }
    }
    std::this_thread::sleep_until(started + period * static_cast<long>(call));
    sent.push_back(bench_clock::now());
    if (officer.exchange(post_request("/api/v1/counters/1/call-next", "{}", token)) != 200) {
      throw std::runtime_error("call-next refused: " + officer.body());
    }
    seqs.push_back(last_seq_of_result(officer.body()));
  }
  wait_for([&] { return screens.lowest_seq() >= seqs.back() || screens.failed() > 0; }, 30s);
  const double wall = to_microseconds(bench_clock::now() - started) / 1e6;
  const double server_cpu = precise_cpu_seconds(server.pid()) - cpu_before;
  screens.stop();
  server.stop();

  std::vector<double> all;
  std::vector<double> lasts;
  std::uint64_t missing = 0;
  for (std::size_t call = 0; call < seqs.size(); ++call) {
    double last = 0;
    std::size_t got = 0;
    for (const auto& each : screens.arrivals()) {
      for (const auto& arrival : each) {
        if (arrival.seq != seqs[call]) continue;
        const double ms = to_microseconds(arrival.at - sent[call]) / 1000;
        all.push_back(ms);
        last = std::max(last, ms);
        ++got;
      }
    }
    missing += run.screens - std::min(run.screens, got);
    lasts.push_back(last);
  }
  if (missing > 0 || screens.failed() > 0 || screens.cut_off() > 0) {
    results.add_problem(std::to_string(missing) + " calls never reached a screen, " +
                        std::to_string(screens.cut_off()) + " screens cut off");
  }
  const auto summary = summarize(all);
  const auto last_summary = summarize(lasts);
  markdown_table table({{"screens"},
                        {"calls"},
                        {"call → screen p50 (ms)"},
                        {"p99 (ms)"},
                        {"max (ms)"},
                        {"call → last screen p50 (ms)"},
                        {"max (ms)"},
                        {"missing"},
                        {"server CPU"},
                        {"load"}});
  table.add_row({std::to_string(run.screens), std::to_string(seqs.size()), fixed(summary.p50_us, 2),
                 fixed(summary.p99_us, 2), fixed(summary.max_us, 2), fixed(last_summary.p50_us, 2),
                 fixed(last_summary.max_us, 2), std::to_string(missing),
                 fixed(100.0 * server_cpu / wall, 1) + " %", load});
  results.add_section(
      "## Call → screen\n\n" + std::to_string(run.screens) +
      " hall screens, each the shared device client exactly as `luot-display` runs it (its own "
      "thread and `io_context`, Hello with the display token, Subscribe, a `view::mirror`); an "
      "officer calls the next ticket every " +
      fixed(run.seconds_between_calls, 1) +
      " s over HTTP (finishing the previous one half way between calls). Each call is timed "
      "from just before its request is written to the moment each screen's mirror has applied "
      "its update (`on_change`): what a screen could draw. Drawing it is `bench_display`'s "
      "figure, below when that ran.\n\n" +
      table.render());
  figure headline;
  headline.name = "call → screen, " + std::to_string(run.screens) + " screens, one call every " +
                  fixed(run.seconds_between_calls, 1) + " s";
  headline.measured = "p50 " + fixed(summary.p50_us, 2) + " ms, p99 " + fixed(summary.p99_us, 2) +
                      " ms, max " + fixed(summary.max_us, 2) + " ms";
  headline.goal = "no number in issue 11 (a frame is 16.7 ms)";
  results.add_figure(headline);
}

}  // namespace luot::bench
