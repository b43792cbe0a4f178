#include "fanout_section.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>

#include "broadcasters.hpp"
#include "fanout_round.hpp"
#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/raw_subscribers.hpp"
#include "load/report.hpp"

namespace luot::bench {

namespace {

std::size_t most_subscribers() {
  // The receiver holds one descriptor per subscriber, the program another:
  // both run under this limit. Keep room for the rest (HTTP, logs, files).
  const auto limit = open_files_limit();
  return limit > 1000 ? static_cast<std::size_t>(limit) - 500 : 500;
}

}  // namespace

void run_fanout_section(const suite_settings& run, results_document& results) {
  const std::string message = capture_call_message(run);
  std::vector<std::unique_ptr<broadcaster>> targets;
  targets.push_back(make_luot_broadcaster(run.server_program, run.work_directory / "fanout",
                                          run.calls_per_round + 4));
  if (!run.peer_script.empty()) {
    targets.push_back(make_peer_broadcaster("node ws", {run.node_program, run.peer_script},
                                            run.work_directory / "fanout", message));
  }
  targets.push_back(make_peer_broadcaster("kernel floor", {run.floor_program},
                                          run.work_directory / "fanout", message));

  std::vector<std::size_t> counts;
  for (const auto each : run.fanout_subscribers) {
    counts.push_back(each == 0 ? most_subscribers() : std::min(each, most_subscribers()));
  }
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());

  std::vector<round_result> rounds;
  for (const auto subscribers : counts) {
    for (unsigned repetition = 1; repetition <= run.repetitions; ++repetition) {
      // Interleaved, and each repetition starts with a different program.
      for (std::size_t turn = 0; turn < targets.size(); ++turn) {
        auto& target = *targets[(turn + repetition - 1) % targets.size()];
        std::fprintf(stderr, "bench_suite: fan-out to %zu, %s, repetition %u\n", subscribers,
                     target.name().c_str(), repetition);
        rounds.push_back(run_round(target, subscribers, run.calls_per_round, repetition));
        if (rounds.back().missing > 0) {
          results.add_problem(std::to_string(rounds.back().missing) + " call messages missing at " +
                              target.name() + " to " + std::to_string(subscribers));
        }
      }
    }
  }

  // The medians over repetitions, and the ratios taken within each
  // repetition (the programs ran minutes apart at most).
  auto rows_of = [&](const std::string& program, std::size_t subscribers) {
    std::vector<const round_result*> found;
    for (const auto& each : rounds) {
      if (each.program == program && each.subscribers == subscribers) found.push_back(&each);
    }
    return found;
  };
  auto median_of = [](const std::vector<const round_result*>& rows, double round_result::*field) {
    std::vector<double> values;
    for (const auto* each : rows) values.push_back(each->*field);
    return median(values);
  };
  auto ratio_of = [&](const std::string& top, const std::string& bottom, std::size_t subscribers,
                      double round_result::*field) {
    const auto above = rows_of(top, subscribers);
    const auto below = rows_of(bottom, subscribers);
    std::vector<double> ratios;
    for (std::size_t index = 0; index < std::min(above.size(), below.size()); ++index) {
      if (below[index]->*field > 0) ratios.push_back(above[index]->*field / below[index]->*field);
    }
    return ratios.empty() ? 0.0 : median(ratios);
  };
  const bool with_node = !run.peer_script.empty();

  std::string text = "## Fan-out of a call: luot-server, Node.js `ws`, the kernel floor\n\n";
  text +=
      "Each round starts the program afresh, connects N subscribers to it (the raw epoll "
      "receiver of `bench/load`, one thread, each connection from its own loopback address), "
      "waits 1 s, then times " +
      std::to_string(run.calls_per_round) +
      " calls after an untimed warm-up. luot-server: an officer's `call-next` over HTTP (the "
      "ticket before it finished, untimed), whose `ViewUpdate` every subscriber gets; Node "
      "(`bench/peers/broadcaster.js`, npm `ws`) and the floor (`bench/floor`, one thread, one "
      "`send()` per subscriber of a frame built once): `POST /broadcast` with a ViewUpdate "
      "luot-server sent for a call, so the message is the same kind and size. A call is timed "
      "from just before its request is written to the kernel's receive timestamp at each "
      "subscriber; \"call → last\" is the median over the calls of the last subscriber's time. "
      "CPU per call is the program's own (all its threads, scheduler run time, from the "
      "request until it is idle again after the last subscriber got it: under 5 % of a core "
      "over 5 ms; it was idle the same way before the request). Idle memory per subscriber: the "
      "program's RSS with N idle subscribers minus before they came, over N. Repetitions "
      "interleave the programs, each repetition starting with a different one; figures are "
      "medians over repetitions, and ratios are taken within each repetition.\n\n";
  markdown_table summary({{"subscribers"},
                          {"luot call → last (ms)"},
                          {"node"},
                          {"floor"},
                          {"luot ÷ floor"},
                          {"node ÷ luot"},
                          {"luot CPU per call (ms)"},
                          {"node"},
                          {"floor"},
                          {"luot CPU ÷ floor"},
                          {"idle KiB per subscriber: luot"},
                          {"node"},
                          {"floor"}});
  for (const auto subscribers : counts) {
    const auto luot = rows_of("luot-server", subscribers);
    const auto node = rows_of("node ws", subscribers);
    const auto floor = rows_of("kernel floor", subscribers);
    summary.add_row(
        {grouped(static_cast<double>(subscribers)),
         fixed(median_of(luot, &round_result::last_ms), 1),
         with_node ? fixed(median_of(node, &round_result::last_ms), 1) : "not run",
         fixed(median_of(floor, &round_result::last_ms), 1),
         times(ratio_of("luot-server", "kernel floor", subscribers, &round_result::last_ms)),
         with_node ? times(ratio_of("node ws", "luot-server", subscribers, &round_result::last_ms))
                   : "–",
         fixed(median_of(luot, &round_result::cpu_ms_per_call), 1),
         with_node ? fixed(median_of(node, &round_result::cpu_ms_per_call), 1) : "–",
         fixed(median_of(floor, &round_result::cpu_ms_per_call), 1),
         times(
             ratio_of("luot-server", "kernel floor", subscribers, &round_result::cpu_ms_per_call)),
         fixed(median_of(luot, &round_result::idle_kib_per_subscriber), 2),
         with_node ? fixed(median_of(node, &round_result::idle_kib_per_subscriber), 2) : "–",
         fixed(median_of(floor, &round_result::idle_kib_per_subscriber), 2)});
  }
  text += summary.render() + "\nEvery round:\n\n";
  markdown_table every({{"subscribers"},
                        {"repetition"},
                        {"program", true},
                        {"message bytes"},
                        {"connect all (s)"},
                        {"call → last, median (ms)"},
                        {"slowest call → last (ms)"},
                        {"call → median subscriber (ms)"},
                        {"CPU per call (ms)"},
                        {"receiver CPU per call (ms)"},
                        {"RSS before (MiB)"},
                        {"RSS idle (MiB)"},
                        {"idle KiB per subscriber"},
                        {"missing"},
                        {"load"}});
  for (const auto& each : rounds) {
    every.add_row({grouped(static_cast<double>(each.subscribers)), std::to_string(each.repetition),
                   each.program, std::to_string(each.message_bytes), fixed(each.connect_seconds, 2),
                   fixed(each.last_ms, 2), fixed(each.worst_last_ms, 2), fixed(each.median_ms, 2),
                   fixed(each.cpu_ms_per_call, 2), fixed(each.receiver_cpu_ms_per_call, 2),
                   fixed(each.rss_before_mib, 1), fixed(each.rss_idle_mib, 1),
                   fixed(each.idle_kib_per_subscriber, 2), std::to_string(each.missing),
                   each.load});
  }
  text += every.render();
  results.add_section(text);

  // The headline figures issue 11 sets goals for.
  auto nearest = [&](std::size_t wanted) {
    std::size_t best = counts.front();
    for (const auto each : counts) {
      if (each >= wanted && (best < wanted || each < best)) best = each;
    }
    return best;
  };
  const auto ten_thousand = nearest(10000);
  const auto most = counts.back();
  {
    const double luot_ms = median_of(rows_of("luot-server", ten_thousand), &round_result::last_ms);
    const double floor_ratio =
        ratio_of("luot-server", "kernel floor", ten_thousand, &round_result::last_ms);
    const double node_ratio =
        with_node ? ratio_of("node ws", "luot-server", ten_thousand, &round_result::last_ms) : 0;
    figure headline;
    headline.name = "call → last of " + grouped(static_cast<double>(ten_thousand)) + " subscribers";
    headline.measured =
        fixed(luot_ms, 1) + " ms: " + times(floor_ratio) + " the floor (" +
        fixed(median_of(rows_of("kernel floor", ten_thousand), &round_result::last_ms), 1) + " ms)";
    if (with_node) {
      headline.measured +=
          "; Node `ws` " +
          fixed(median_of(rows_of("node ws", ten_thousand), &round_result::last_ms), 1) + " ms, " +
          times(node_ratio) + " Luot's";
    }
    headline.goal = "≤ 1.25× the floor; Node ≥ 1.4× Luot's";
    headline.met = floor_ratio <= 1.25 && (!with_node || node_ratio >= 1.4);
    results.add_figure(headline);
  }
  if (most != ten_thousand) {
    const double floor_ratio =
        ratio_of("luot-server", "kernel floor", most, &round_result::last_ms);
    figure headline;
    headline.name = "call → last of " + grouped(static_cast<double>(most)) +
                    " subscribers (the most the open-files limit allows)";
    headline.measured = fixed(median_of(rows_of("luot-server", most), &round_result::last_ms), 1) +
                        " ms: " + times(floor_ratio) + " the floor (" +
                        fixed(median_of(rows_of("kernel floor", most), &round_result::last_ms), 1) +
                        " ms)";
    if (with_node) {
      headline.measured +=
          "; Node " + fixed(median_of(rows_of("node ws", most), &round_result::last_ms), 1) + " ms";
    }
    headline.goal = "≤ 1.25× the floor";
    headline.met = floor_ratio <= 1.25;
    results.add_figure(headline);
  }
  {
    const double ratio =
        ratio_of("luot-server", "kernel floor", ten_thousand, &round_result::cpu_ms_per_call);
    figure headline;
    headline.name =
        "server CPU per call at " + grouped(static_cast<double>(ten_thousand)) + " subscribers";
    headline.measured =
        fixed(median_of(rows_of("luot-server", ten_thousand), &round_result::cpu_ms_per_call), 1) +
        " ms: " + times(ratio) + " the floor (" +
        fixed(median_of(rows_of("kernel floor", ten_thousand), &round_result::cpu_ms_per_call), 1) +
        " ms)";
    if (with_node) {
      headline.measured +=
          "; Node " +
          fixed(median_of(rows_of("node ws", ten_thousand), &round_result::cpu_ms_per_call), 1) +
          " ms";
    }
    headline.goal = "≤ 1.3× the floor";
    headline.met = ratio <= 1.3;
    results.add_figure(headline);
  }
  {
    const double kib =
        median_of(rows_of("luot-server", ten_thousand), &round_result::idle_kib_per_subscriber);
    figure headline;
    headline.name = "idle subscriber memory (RSS at " + grouped(static_cast<double>(ten_thousand)) +
                    " subscribers)";
    headline.measured = fixed(kib, 2) + " KiB each";
    if (with_node) {
      headline.measured +=
          "; Node `ws` " +
          fixed(median_of(rows_of("node ws", ten_thousand), &round_result::idle_kib_per_subscriber),
                2) +
          " KiB";
    }
    headline.measured += "; floor " +
                         fixed(median_of(rows_of("kernel floor", ten_thousand),
                                         &round_result::idle_kib_per_subscriber),
                               2) +
                         " KiB";
    headline.goal = "≤ 4 KiB";
    headline.met = kib <= 4.0;
    results.add_figure(headline);
  }
}

}  // namespace luot::bench
