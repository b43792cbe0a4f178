// bench_suite: issue 11's figures in one run, written as one Markdown file
// (bench/RESULTS.md when bench/run.sh runs it). Every comparison runs its
// programs interleaved, a few repetitions each, and quotes medians; every
// table row carries the load average when it began. Correctness problems
// (a lost update, a refused ticket) are listed in the file and make the
// exit status 2; a run that cannot happen at all exits 1.
//
// Usage: bench_suite --help
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "call_to_screen_section.hpp"
#include "closed_loop_section.hpp"
#include "fanout_section.hpp"
#include "fdatasync_section.hpp"
#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/report.hpp"
#include "machine.hpp"
#include "markdown.hpp"
#include "open_loop_section.hpp"
#include "reconnect_storm_section.hpp"
#include "restart_section.hpp"
#include "suite_settings.hpp"

namespace {

using namespace luot::bench;

// A directory for databases and logs, removed at the end unless kept.
class work_directory {
 public:
  explicit work_directory(std::filesystem::path parent)
      : path_(std::move(parent) / ("luot-bench-suite-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~work_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  work_directory(const work_directory&) = delete;
  work_directory& operator=(const work_directory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

int main(int argc, char** argv) {
  suite_settings run;
  run.server_program = LUOT_SERVER_BINARY;
  run.floor_program = LUOT_FLOOR_BINARY;
  CLI::App cli{"Issue 11's benchmark figures in one run, as Markdown", "bench_suite"};
  bool quick = false;
  std::string out;
  std::string parent = std::filesystem::temp_directory_path().string();
  std::vector<std::string> only;
  std::string command = "bench/run.sh";
  cli.add_flag("--quick", quick, "Small N and short rows (a few seconds in all), for the tests");
  cli.add_option("--out", out, "Write the Markdown here instead of standard output");
  cli.add_option("--server", run.server_program, "The luot-server program")
      ->check(CLI::ExistingFile);
  cli.add_option("--floor", run.floor_program, "The kernel floor program (bench_floor)")
      ->check(CLI::ExistingFile);
  cli.add_option("--node", run.node_program, "The Node.js program");
  cli.add_option("--peer-script", run.peer_script,
                 "bench/peers/broadcaster.js; without it the Node peer is not run");
  cli.add_option("--work-dir", parent,
                 "Where databases go (its filesystem is the fdatasync probe's)");
  cli.add_option("--repetitions", run.repetitions, "Interleaved repetitions of each comparison")
      ->check(CLI::PositiveNumber);
  cli.add_option("--only", only, "Sections: fanout, take, open, fdatasync, restart, screen, storm")
      ->delimiter(',')
      ->check(CLI::IsMember({"fanout", "take", "open", "fdatasync", "restart", "screen", "storm"}));
  cli.add_option("--command", command, "How this run was started, for the file's header");
  std::string source;
  cli.add_option("--source", source, "What was built (commit, local changes), for the header");
  std::vector<std::size_t> subscribers;
  cli.add_option("--subscribers", subscribers,
                 "Fan-out subscriber counts (0: the most the open-files limit allows)")
      ->delimiter(',');
  cli.add_option("--calls", run.calls_per_round, "Calls timed per fan-out round")
      ->check(CLI::PositiveNumber);
  std::vector<unsigned> clients;
  cli.add_option("--clients", clients, "Closed-loop client counts")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  cli.add_option("--seconds", run.closed_loop_seconds, "Seconds per closed-loop row")
      ->check(CLI::PositiveNumber);
  cli.add_option("--events", run.restart_events, "Events in the log for the restart")
      ->check(CLI::PositiveNumber);
  cli.add_option("--storm-subscribers", run.storm_subscribers, "Subscribers of the reconnect storm")
      ->check(CLI::PositiveNumber);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& failure) {
    return cli.exit(failure) == 0 ? 0 : 1;
  }
  if (quick) {
    // Options given explicitly win over the quick defaults.
    const suite_settings asked = run;
    apply_quick(run);
    if (cli.count("--repetitions") > 0) run.repetitions = asked.repetitions;
    if (cli.count("--calls") > 0) run.calls_per_round = asked.calls_per_round;
    if (cli.count("--seconds") > 0) run.closed_loop_seconds = asked.closed_loop_seconds;
    if (cli.count("--events") > 0) run.restart_events = asked.restart_events;
    if (cli.count("--storm-subscribers") > 0) run.storm_subscribers = asked.storm_subscribers;
  }
  if (!subscribers.empty()) run.fanout_subscribers = subscribers;
  if (!clients.empty()) run.closed_loop_clients = clients;
  if (!only.empty()) run.sections = std::set<std::string>(only.begin(), only.end());
  // The device clients log every connection at info level.
  spdlog::set_level(spdlog::level::warn);

  try {
    const work_directory directory(parent);
    run.work_directory = directory.path();
    std::string header = "# Luot benchmark results\n\n";
    header += "Written by `" + command +
              "` (bench/suite, bench/floor, bench/peers; bench/README.md explains each "
              "figure). Figures are medians of interleaved repetitions (" +
              std::to_string(run.repetitions) +
              " here); every table row carries the 1-minute load average when it began. The "
              "machine is shared: a load above the core count means other work competed with "
              "the measurement.\n\n";
    if (run.quick) {
      header +=
          "**Quick run** (`--quick`): small N and sub-second rows, to keep the "
          "benchmark working; these are not figures to quote.\n\n";
    }
    if (!source.empty()) header += "- **Source**: " + source + "\n";
    header += describe_machine(run.work_directory, run.node_program, run.peer_script);

    results_document results;
    const auto self_before = sample_self();
    const auto started = bench_clock::now();
    const std::vector<std::pair<std::string, std::function<void()>>> sections = {
        {"fdatasync", [&] { run_fdatasync_section(run, results); }},
        {"fanout", [&] { run_fanout_section(run, results); }},
        {"take", [&] { run_closed_loop_section(run, results); }},
        {"open", [&] { run_open_loop_section(run, results); }},
        {"restart", [&] { run_restart_section(run, results); }},
        {"screen", [&] { run_call_to_screen_section(run, results); }},
        {"storm", [&] { run_reconnect_storm_section(run, results); }},
    };
    for (const auto& [name, section] : sections) {
      if (run.sections.contains(name)) section();
    }
    const double elapsed = to_microseconds(bench_clock::now() - started) / 1e6;
    const auto self_after = sample_self();
    header += "- **Load average at the end**: " + load_average() + "\n";
    const auto loads = load_range();
    const double cores = static_cast<double>(std::thread::hardware_concurrency());
    header += "- **Load average during the run** (1-minute, when each row began): " +
              fixed(loads.lowest, 2) + " to " + fixed(loads.highest, 2) + " on " + fixed(cores) +
              " cores";
    if (loads.highest > cores) {
      header += std::string(loads.lowest > cores ? ", above the core count throughout"
                                                 : ", at times above the core count") +
                ": other programs competed with the measurements, so absolute times are "
                "pessimistic and ratios noisier than on a quiet machine";
    }
    header += "\n";
    header += "- **This run**: " + fixed(elapsed, 0) +
              " s; the benchmark process (receivers, "
              "clients, log builder) used " +
              fixed(self_after.cpu_seconds - self_before.cpu_seconds, 1) + " s of CPU (" +
              fixed(cpu_percent(self_before, self_after, elapsed)) + " % of one core)\n\n";
    const auto document = results.render(header);
    if (out.empty()) {
      std::fwrite(document.data(), 1, document.size(), stdout);
    } else {
      std::ofstream(out) << document;
    }
    for (const auto& each : results.problems())
      std::fprintf(stderr, "bench_suite: %s\n", each.c_str());
    return results.problems().empty() ? 0 : 2;
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "bench_suite: %s\n", failure.what());
    return 1;
  }
}
