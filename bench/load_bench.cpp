// bench_load: end-to-end load on the real luot-server program, started as a
// child process on 127.0.0.1 with a fresh SQLite file (WAL,
// synchronous=FULL), so the server's CPU and memory are measured apart from
// the benchmark's own. It prints Markdown tables (bench/README.md explains
// every column) for:
//
// 1. Take-ticket, closed loop: C keep-alive HTTP clients back to back.
// 2. Memory per waiting ticket.
// 3. Fan-out: S subscribers of the public view while one kiosk takes
//    tickets at a steady rate (shared device clients, and a raw epoll
//    receiver where a thread per subscriber would measure the benchmark).
// 4. Resume: a screen 5,000 events behind catches up in one connection.
// 5. View storm: open-loop take-ticket latency with and without 300
//    connections asking for the whole view again and again, never reading,
//    as a flood and as a steady stream, under the server's default
//    subscribe limit per address and with it lifted.
//
// Usage: bench_load --help
#include <spdlog/spdlog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/report.hpp"
#include "load/run_settings.hpp"
#include "load/sections.hpp"
#include "load/server_lifecycle.hpp"

namespace {

using namespace luot::bench;

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &parts);
  return text;
}

std::string kernel_release() {
  utsname name{};
  if (uname(&name) != 0) return "unknown";
  return name.release;
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
  run_settings run;
  run.server_program = LUOT_SERVER_BINARY;
  CLI::App cli{"End-to-end load on luot-server: take-ticket, fan-out, resume, view storm",
               "bench_load"};
  bool quick = false;
  std::vector<std::string> only;
  cli.add_flag("--quick", quick, "Small N and short rows (a few seconds in all), for the tests");
  cli.add_flag("--fresh", run.fresh, "A new server and database for every row");
  cli.add_option("--seconds", run.seconds, "Seconds per take-ticket and fan-out row")
      ->check(CLI::PositiveNumber);
  cli.add_option("--fanout-rate", run.fanout_per_second, "Tickets per second during fan-out")
      ->check(CLI::PositiveNumber);
  cli.add_option("--behind", run.behind, "Events the resuming screen is behind")
      ->check(CLI::PositiveNumber);
  cli.add_option("--storm-connections", run.storm_connections,
                 "Connections that ask for the view and never read");
  cli.add_option("--storm-subscribes", run.storm_plans.front().per_tick,
                 "Subscribes each flooding storm connection sends per 10 ms")
      ->check(CLI::PositiveNumber);
  cli.add_option("--storm-seconds", run.storm_seconds, "Seconds of each storm window")
      ->check(CLI::PositiveNumber);
  cli.add_option("--storm-rate", run.storm_tickets_per_second,
                 "Open-loop tickets per second during the storm windows")
      ->check(CLI::PositiveNumber);
  cli.add_option("--repetitions", run.repetitions,
                 "Interleaved repetitions of the storm (without, with)")
      ->check(CLI::PositiveNumber);
  std::vector<std::string> storms;
  cli.add_option("--storm", storms, "Storms to run: flood, steady")
      ->delimiter(',')
      ->check(CLI::IsMember({"flood", "steady"}));
  std::vector<std::string> limits;
  cli.add_option("--storm-limit", limits,
                 "Subscribe limits per address to storm under: default, or a number per minute")
      ->delimiter(',')
      ->check(CLI::IsMember({"default"}) | CLI::Range(1, 100000));
  cli.add_option("--only", only, "Sections to run: take, fanout, resume, storm")
      ->delimiter(',')
      ->check(CLI::IsMember({"take", "fanout", "resume", "storm"}));
  cli.add_option("--server", run.server_program, "The luot-server program to run")
      ->check(CLI::ExistingFile);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& failure) {
    return cli.exit(failure) == 0 ? 0 : 1;
  }
  if (quick) {
    // Explicit options still win over the quick defaults.
    const run_settings asked = run;
    apply_quick(run);
    if (cli.count("--seconds") > 0) run.seconds = asked.seconds;
    if (cli.count("--behind") > 0) run.behind = asked.behind;
    if (cli.count("--storm-connections") > 0) run.storm_connections = asked.storm_connections;
    if (cli.count("--storm-seconds") > 0) run.storm_seconds = asked.storm_seconds;
    if (cli.count("--repetitions") > 0) run.repetitions = asked.repetitions;
  }
  if (!only.empty()) run.sections = std::set<std::string>(only.begin(), only.end());
  if (!storms.empty()) {
    std::erase_if(run.storm_plans, [&](const storm_plan& plan) {
      return std::find(storms.begin(), storms.end(), plan.name) == storms.end();
    });
  }
  if (!limits.empty()) {
    run.storm_limits.clear();
    for (const auto& each : limits) {
      run.storm_limits.push_back(
          each == "default" ? std::nullopt : std::optional<std::uint32_t>(std::stoul(each)));
    }
  }
  // The device clients log every connection at info level.
  spdlog::set_level(spdlog::level::warn);

  try {
    const temp_dir directory;
    std::printf(
        "bench_load%s: %s, %u cores, Linux %s, load average %s, open-files limit %llu, %s\n\n",
        quick ? " --quick" : "", utc_now().c_str(), std::thread::hardware_concurrency(),
        kernel_release().c_str(), load_average().c_str(),
        static_cast<unsigned long long>(open_files_limit()),
        run.fresh ? "a fresh server per row" : "one server for all rows");
    std::fflush(stdout);
    server_lifecycle servers(run, directory.path());
    report checks;
    const auto self_before = sample_self();
    const auto started = std::chrono::steady_clock::now();
    if (run.sections.contains("take")) print_take_ticket(run, servers, checks);
    if (run.sections.contains("fanout")) print_fanout(run, servers, checks);
    if (run.sections.contains("resume")) print_resume(run, servers, checks);
    if (run.sections.contains("storm")) print_storm(run, directory.path(), checks);
    const double elapsed = to_microseconds(std::chrono::steady_clock::now() - started) / 1e6;
    std::printf("Whole run: %.1f s, the benchmark's own CPU %.1f s (%.0f %% of one core).\n",
                elapsed, sample_self().cpu_seconds - self_before.cpu_seconds,
                cpu_percent(self_before, sample_self(), elapsed));
    if (!checks.problems().empty()) {
      std::fflush(stdout);
      for (const auto& each : checks.problems()) {
        std::fprintf(stderr, "bench_load: %s\n", each.c_str());
      }
      return 2;
    }
    return 0;
  } catch (const std::exception& failure) {
    std::fflush(stdout);
    std::fprintf(stderr, "bench_load: %s\n", failure.what());
    return 1;
  }
}
