// luot_history: the long crash-restart history run. Drives the real
// luot-server with kiosks, officers and hall screens, kills it with SIGKILL
// --kills times and restarts it on the same database, then checks the
// history. Prints the report (and writes it to --report FILE); exits 0 when
// the checker finds nothing, 1 otherwise.
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <random>

#include "run.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"Crash-restart history check of luot-server", "luot_history"};
  luot::history::run_options options;
  options.kills = 1000;
  std::random_device entropy;
  options.seed = (std::uint64_t{entropy()} << 32) ^ entropy();
  std::string database;
  std::string report_file;
  cli.add_option("--kills", options.kills, "How many times to SIGKILL and restart the server")
      ->check(CLI::PositiveNumber);
  cli.add_option("--seed", options.seed, "Seeds every random draw (printed either way)");
  cli.add_option("--clients", options.clients,
                 "Kiosks and hall screens each (officers: up to one per counter, 4)")
      ->check(CLI::Range(1u, 16u));
  cli.add_option("--database", database,
                 "The event log to create (must not exist); kept after the run, with the "
                 "server's config and logs in PATH.run/. Default: a temporary directory");
  cli.add_option("--report", report_file, "Also write the report to this file");
  std::string history_file;
  cli.add_option("--history", history_file, "Write every operation to this file, one a line");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& failure) {
    return cli.exit(failure) == 0 ? 0 : 1;
  }

  std::string command;
  for (int i = 0; i < argc; ++i) command += (i == 0 ? "" : " ") + std::string(argv[i]);
  const bool temporary = database.empty();
  if (temporary) {
    std::string pattern = (std::filesystem::temp_directory_path() / "luot-history-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "luot_history: cannot create a temporary directory\n";
      return 1;
    }
    options.directory = pattern;
  } else {
    options.database = database;
    options.directory = database + ".run";
  }
  std::cout << "luot_history: seed " << options.seed << ", " << options.kills << " kills, "
            << options.clients << " clients of each kind, work in " << options.directory.string()
            << std::endl;
  options.history_file = history_file;
  options.progress = [](const std::string& line) { std::cout << line << std::endl; };
  const auto report = luot::history::run(options);
  const auto text = luot::history::describe(report, 50);
  std::cout << text;
  if (!report_file.empty()) {
    std::ofstream out(report_file);
    const auto now = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
    out << "command: " << command << "\nfinished: " << date << "\n" << text;
    if (!out) {
      std::cerr << "luot_history: cannot write " << report_file << '\n';
      return 1;
    }
  }
  if (temporary && report.passed()) {
    std::error_code ignored;
    std::filesystem::remove_all(options.directory, ignored);
  } else {
    std::cout << "kept " << options.directory.string() << std::endl;
  }
  return report.passed() ? 0 : 1;
}
