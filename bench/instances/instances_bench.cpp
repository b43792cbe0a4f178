// bench_instances: what several luot-server instances on one PostgreSQL
// give, next to one on SQLite. For each row it starts the real program
// (1, 2 or 3 instances on a fresh database of a private PostgreSQL 15, or
// one on a SQLite file), then measures
//  - take-ticket throughput: `--clients` keep-alive HTTP kiosks per
//    instance, back to back for `--seconds`, every instance at once;
//  - call → screen: a hall display (the shared device client) subscribed to
//    the first instance while an officer calls through the last one, so
//    with several instances every call crosses PostgreSQL's NOTIFY and the
//    tail read before a screen hears of it.
// Prints one Markdown table. Correctness is checked, never timing: a
// refused ticket, a call that never reached the screen or a log with a
// hole fails the run.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "load/device_subscribers.hpp"
#include "load/http_connection.hpp"
#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/server_child.hpp"
#include "load/take_ticket_load.hpp"
#include "postgres_instance.hpp"
#include "suite/markdown.hpp"
#include "suite/officer.hpp"
#include "suite/waiting.hpp"

namespace luot::bench {
namespace {

using namespace std::chrono_literals;

struct settings {
  std::string server_program = LUOT_SERVER_BINARY;
  double seconds = 5;
  unsigned clients = 8;
  unsigned calls = 40;
  double seconds_between_calls = 0.1;
  unsigned max_instances = 3;
};

struct row {
  std::string store;
  unsigned instances = 0;
  double tickets_per_second = 0;
  latency_summary take_latency;
  latency_summary call_to_screen;
  double server_cpu_percent = 0;
};

// A temporary directory, removed at exit.
class work_directory {
 public:
  work_directory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "luot-instances-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~work_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

latency_summary call_to_screen(const settings& run, std::uint16_t screen_port,
                               std::uint16_t officer_port) {
  device_subscribers screen(screen_port, 1);
  screen.start();
  if (!wait_for([&] { return screen.live() + screen.failed() >= 1; }, 60s) || screen.failed() > 0)
    throw std::runtime_error("the display did not get live: " + screen.first_failure());
  const auto token = sign_in_officer(officer_port);
  http_connection officer(officer_port);
  std::vector<std::uint64_t> seqs;
  std::vector<bench_clock::time_point> sent;
  const auto period = std::chrono::duration_cast<bench_clock::duration>(
      std::chrono::duration<double>(run.seconds_between_calls));
  for (unsigned call = 0; call < run.calls; ++call) {
    if (call > 0 && officer.exchange(post_request("/api/v1/counters/1/finish",
                                                  R"({"outcome":"done"})", token)) != 200)
      throw std::runtime_error("finish refused: " + officer.body());
    std::this_thread::sleep_for(period);
    sent.push_back(bench_clock::now());
    if (officer.exchange(post_request("/api/v1/counters/1/call-next", "{}", token)) != 200)
      throw std::runtime_error("call-next refused: " + officer.body());
    seqs.push_back(last_seq_of_result(officer.body()));
  }
  wait_for([&] { return screen.lowest_seq() >= seqs.back() || screen.failed() > 0; }, 60s);
  screen.stop();
  std::vector<double> milliseconds;
  for (std::size_t call = 0; call < seqs.size(); ++call) {
    for (const auto& arrival : screen.arrivals().front()) {
      if (arrival.seq == seqs[call]) {
        milliseconds.push_back(to_microseconds(arrival.at - sent[call]) / 1000);
        break;
      }
    }
  }
  if (milliseconds.size() != seqs.size())
    throw std::runtime_error(std::to_string(seqs.size() - milliseconds.size()) +
                             " calls never reached the display");
  return summarize(std::move(milliseconds));
}

row measure(const settings& run, const std::string& store, const std::string& database,
            unsigned instances, const std::filesystem::path& directory) {
  std::vector<std::unique_ptr<server_child>> servers;
  for (unsigned index = 0; index < instances; ++index) {
    const auto home =
        directory / (store + "-" + std::to_string(instances) + "-" + std::to_string(index));
    std::filesystem::create_directories(home);
    servers.push_back(std::make_unique<server_child>(
        run.server_program, home, bench_centre_toml(std::nullopt) + std::string(officer_toml)));
    servers.back()->start(database);
  }
  std::this_thread::sleep_for(200ms);

  // Every instance's kiosks at once.
  std::vector<std::future<closed_loop_row>> loops;
  for (const auto& server : servers) {
    loops.push_back(std::async(std::launch::async, [&run, &server] {
      return take_tickets_closed_loop(*server, run.clients, run.seconds);
    }));
  }
  row result;
  result.store = store;
  result.instances = instances;
  std::vector<double> all;
  double cpu = 0;
  for (auto& loop : loops) {
    const auto measured = loop.get();
    if (measured.not_created > 0)
      throw std::runtime_error(std::to_string(measured.not_created) + " tickets refused");
    result.tickets_per_second += static_cast<double>(measured.latency.count) / measured.seconds;
    cpu += measured.server_cpu_percent;
    // Percentiles over every instance's requests, weighted alike.
    all.push_back(measured.latency.p50_us);
    result.take_latency.p99_us = std::max(result.take_latency.p99_us, measured.latency.p99_us);
    result.take_latency.max_us = std::max(result.take_latency.max_us, measured.latency.max_us);
  }
  result.take_latency.p50_us = median(all);
  result.server_cpu_percent = cpu;
  result.call_to_screen = call_to_screen(run, servers.front()->port(), servers.back()->port());
  for (auto& server : servers) server->stop();
  return result;
}

std::string check_log(testing::postgres_instance& postgres, const std::string& database) {
  return postgres.value(database, "SELECT count(*) = max(seq) AND min(seq) = 1 FROM events");
}

}  // namespace
}  // namespace luot::bench

int main(int argc, char** argv) {
  using namespace luot::bench;
  settings run;
  CLI::App cli{
      "Take-ticket throughput and call → screen latency with 1, 2 and 3 luot-server "
      "instances on one PostgreSQL, next to one on SQLite"};
  cli.add_option("--seconds", run.seconds, "Seconds of each take-ticket window")
      ->check(CLI::PositiveNumber);
  cli.add_option("--clients", run.clients, "Keep-alive kiosks per instance")
      ->check(CLI::PositiveNumber);
  cli.add_option("--calls", run.calls, "Calls timed to the display per row")
      ->check(CLI::PositiveNumber);
  cli.add_option("--max-instances", run.max_instances, "Instances of the largest row")
      ->check(CLI::Range(1, 8));
  cli.add_option("--server", run.server_program, "The luot-server program to run")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  try {
    const work_directory directory;
    luot::testing::postgres_instance postgres;
    std::printf(
        "bench_instances: %u cores, load average %s, %u kiosks per instance for %.0f s, "
        "%u calls\n\n",
        std::thread::hardware_concurrency(), load_average().c_str(), run.clients, run.seconds,
        run.calls);
    std::fflush(stdout);
    std::vector<row> rows;
    rows.push_back(
        measure(run, "SQLite", (directory.path() / "luot.db").string(), 1, directory.path()));
    for (unsigned instances = 1; instances <= run.max_instances; ++instances) {
      const auto database = postgres.create_database("bench");
      rows.push_back(
          measure(run, "PostgreSQL", postgres.url(database), instances, directory.path()));
      if (check_log(postgres, database) != "t")
        throw std::runtime_error("the PostgreSQL log has a hole or a repeated seq");
    }
    markdown_table table({{"store", true},
                          {"instances"},
                          {"tickets/s"},
                          {"take p50 (ms)"},
                          {"take p99 (ms)"},
                          {"call → screen p50 (ms)"},
                          {"p99 (ms)"},
                          {"max (ms)"},
                          {"servers' CPU"}});
    for (const auto& each : rows) {
      table.add_row(
          {each.store, std::to_string(each.instances), fixed(each.tickets_per_second),
           fixed(each.take_latency.p50_us / 1000, 2), fixed(each.take_latency.p99_us / 1000, 2),
           fixed(each.call_to_screen.p50_us, 2), fixed(each.call_to_screen.p99_us, 2),
           fixed(each.call_to_screen.max_us, 2), fixed(each.server_cpu_percent, 0) + " %"});
    }
    std::printf("%s\n", table.render().c_str());
    return 0;
  } catch (const std::exception& failure) {
    std::fflush(stdout);
    std::fprintf(stderr, "bench_instances: %s\n", failure.what());
    return 1;
  }
}
