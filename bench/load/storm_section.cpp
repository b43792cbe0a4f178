#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "fanout.hpp"
#include "sections.hpp"
#include "take_ticket_load.hpp"
#include "view_storm.hpp"

namespace luot::bench {

namespace {

// One storm series: the medians of its repetitions, and the percentiles of
// all its tickets pooled (the p99 of 1,000 tickets is their 10th slowest,
// so one window's p99 is mostly a matter of which window a stall of the
// machine fell in; the pooled p99 of every window rests on ten times as
// many tickets).
struct storm_summary {
  std::string plan;
  double offered_per_second = 0;
  std::string limit;
  double quiet_p50 = 0, quiet_p99 = 0, storm_p50 = 0, storm_p99 = 0;
  double pooled_quiet_p99 = 0, pooled_storm_p99 = 0;
  double pooled_quiet_max = 0, pooled_storm_max = 0;
  std::size_t pooled_quiet = 0, pooled_storm = 0;
  double cut_off = 0;
  double all_cut_off_seconds = -1;
  double rss_before = 0, rss_peak = 0, rss_after = 0;
};

std::string format_seconds(double seconds, bool stormy) {
  if (seconds >= 0) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", seconds);
    return text;
  }
  return stormy ? "not all" : "–";
}

// Repetitions of (no storm, storm), each pair on a fresh server with a
// busy day, so the queue does not grow from one repetition to the next;
// the subscribe limit per address is `limit` (the server's default when
// empty).
storm_summary storm_series(const run_settings& run, const std::filesystem::path& directory,
                           const storm_plan& plan, std::optional<std::uint32_t> limit,
                           report& checks) {
  storm_summary summary;
  summary.plan = plan.name;
  summary.offered_per_second =
      static_cast<double>(plan.per_tick) * 1000.0 / static_cast<double>(plan.tick.count());
  summary.limit = limit ? std::to_string(*limit) + "/min" : "server default";
  const auto name = "storm-" + plan.name + "-" + (limit ? std::to_string(*limit) : "default");
  server_child server(run.server_program, directory / name, bench_centre_toml(limit));
  storm_options stormy_options;
  stormy_options.connections = run.storm_connections;
  stormy_options.subscribes_per_tick = plan.per_tick;
  stormy_options.tick = plan.tick;
  storm_options quiet = stormy_options;
  quiet.connections = 0;
  std::vector<double> quiet_p99, storm_p99, quiet_p50, storm_p50, cut_off, all_cut_off;
  std::vector<double> rss_before, rss_peak, rss_after;
  std::vector<double> pooled_quiet, pooled_storm;
  for (unsigned repetition = 1; repetition <= run.repetitions; ++repetition) {
    server.start(directory / (name + "-" + std::to_string(repetition) + ".db"));
    const auto port = server.port();
    take_tickets(port, run.busy_day);
    if (repetition == 1) {
      std::printf(
          "**%s**: %zu connections, each sending %zu Subscribe every %lld ms (%.0f/s); "
          "subscribe limit per address: %s. Each Subscribe costs a View of %zu bytes (binary). "
          "Every repetition starts a fresh server with %llu tickets waiting.\n\n",
          plan.name.c_str(), run.storm_connections, plan.per_tick,
          static_cast<long long>(plan.tick.count()), summary.offered_per_second,
          summary.limit.c_str(), view_bytes(port),
          static_cast<unsigned long long>(published_seq(port)));
      std::printf(
          "| run | storm | tickets | p50 (µs) | p99 (µs) | max (µs) | slowest from (s) | "
          "not 201 | subscribes sent | cut off in window | all cut off after (s) | cut off by "
          "the end | closed by server | server CPU | bench CPU | storm thread CPU | server RSS "
          "before (MiB) | peak (MiB) | after (MiB) | TCP buffers peak (MiB) | load |\n"
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
          "---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    }
    for (const storm_options* each :
         std::initializer_list<const storm_options*>{&quiet, &stormy_options}) {
      const auto load = load_now();
      const auto result =
          measure_view_storm(server, *each, run.storm_tickets_per_second, run.storm_seconds);
      const bool stormy = each->connections > 0;
      checks.check(result.tickets.not_created == 0, std::to_string(result.tickets.not_created) +
                                                        " tickets not created in a storm window");
      (stormy ? storm_p99 : quiet_p99).push_back(result.tickets.latency.p99_us);
      (stormy ? storm_p50 : quiet_p50).push_back(result.tickets.latency.p50_us);
      auto& pooled = stormy ? pooled_storm : pooled_quiet;
      pooled.insert(pooled.end(), result.tickets.latencies_us.begin(),
                    result.tickets.latencies_us.end());
      if (stormy) {
        cut_off.push_back(result.cut_off_total);
        // Not all cut off within the window counts as the longest.
        all_cut_off.push_back(result.all_cut_off_seconds < 0 ? 1e9 : result.all_cut_off_seconds);
        rss_before.push_back(result.server_rss_before);
        rss_peak.push_back(result.server_rss_peak);
        rss_after.push_back(result.server_rss_after);
      }
      std::printf(
          "| %u | %zu | %zu | %.0f | %.0f | %.0f | %.1f | %llu | %llu | %.0f | %s | %.0f | %zu | "
          "%.0f %% | %.0f %% | %.0f %% | %.1f | %.1f | %.1f | %.1f | %s |\n",
          repetition, result.connections, result.tickets.latency.count,
          result.tickets.latency.p50_us, result.tickets.latency.p99_us,
          result.tickets.latency.max_us, result.tickets.worst_half_second_from,
          static_cast<unsigned long long>(result.tickets.not_created),
          static_cast<unsigned long long>(result.subscribes_sent), result.cut_off_in_window,
          format_seconds(result.all_cut_off_seconds, stormy).c_str(), result.cut_off_total,
          result.ended_by_server, result.server_cpu_percent, result.bench_cpu_percent,
          result.storm_thread_cpu_percent, result.server_rss_before, result.server_rss_peak,
          result.server_rss_after, result.tcp_buffers_peak_mebibytes, load.c_str());
      std::fflush(stdout);
    }
    server.stop();
  }
  std::printf("\n");
  summary.quiet_p50 = median(quiet_p50);
  summary.quiet_p99 = median(quiet_p99);
  summary.storm_p50 = median(storm_p50);
  summary.storm_p99 = median(storm_p99);
  const auto quiet_pool = summarize(std::move(pooled_quiet));
  const auto storm_pool = summarize(std::move(pooled_storm));
  summary.pooled_quiet_p99 = quiet_pool.p99_us;
  summary.pooled_storm_p99 = storm_pool.p99_us;
  summary.pooled_quiet_max = quiet_pool.max_us;
  summary.pooled_storm_max = storm_pool.max_us;
  summary.pooled_quiet = quiet_pool.count;
  summary.pooled_storm = storm_pool.count;
  summary.cut_off = median(cut_off);
  const double all_cut_median = median(all_cut_off);
  summary.all_cut_off_seconds = all_cut_median >= 1e9 ? -1 : all_cut_median;
  summary.rss_before = median(rss_before);
  summary.rss_peak = median(rss_peak);
  summary.rss_after = median(rss_after);
  return summary;
}

}  // namespace

void print_storm(const run_settings& run, const std::filesystem::path& directory, report& checks) {
  std::printf(
      "### View storm: take-ticket open loop at %.0f/s for %.1f s, without and with %zu "
      "connections that ask for the whole view again and again and never read\n\n",
      run.storm_tickets_per_second, run.storm_seconds, run.storm_connections);
  std::vector<storm_summary> summaries;
  for (const auto& plan : run.storm_plans) {
    for (const auto& limit : run.storm_limits) {
      summaries.push_back(storm_series(run, directory, plan, limit, checks));
    }
  }
  std::printf(
      "All tickets of the %u repetitions pooled (the goal's figure), and the medians of the "
      "repetitions' own percentiles:\n\n",
      run.repetitions);
  std::printf(
      "| storm | Subscribes/s per connection | subscribe limit per address | tickets no storm / "
      "storm | pooled p99 no storm (µs) | pooled p99 storm (µs) | **pooled p99 ratio (goal ≤ "
      "1.10)** | max no storm / storm (µs) | median p50 no storm / storm (µs) | median p99 no "
      "storm / storm (µs) | ratio of median p99s | cut off (of %zu) | all cut off after (s) | "
      "server RSS before (MiB) | peak (MiB) | after (MiB) |\n"
      "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
      "| ---: | ---: | ---: |\n",
      run.storm_connections);
  for (const auto& each : summaries) {
    const double pooled =
        each.pooled_quiet_p99 > 0 ? each.pooled_storm_p99 / each.pooled_quiet_p99 : 0;
    const double ratio = each.quiet_p99 > 0 ? each.storm_p99 / each.quiet_p99 : 0;
    const auto all_cut = format_seconds(each.all_cut_off_seconds, true);
    std::printf(
        "| %s | %.0f | %s | %zu / %zu | %.0f | %.0f | **%.2f** %s | %.0f / %.0f | %.0f / %.0f | "
        "%.0f / %.0f | %.2f | %.0f | %s | %.1f | %.1f | %.1f |\n",
        each.plan.c_str(), each.offered_per_second, each.limit.c_str(), each.pooled_quiet,
        each.pooled_storm, each.pooled_quiet_p99, each.pooled_storm_p99, pooled,
        pooled <= 1.10 ? "met" : "not met", each.pooled_quiet_max, each.pooled_storm_max,
        each.quiet_p50, each.storm_p50, each.quiet_p99, each.storm_p99, ratio, each.cut_off,
        all_cut.c_str(), each.rss_before, each.rss_peak, each.rss_after);
  }
  std::printf("\n");
  std::fflush(stdout);
}

}  // namespace luot::bench
