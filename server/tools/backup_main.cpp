// luot-backup: copies the live event log while luot-server runs, checks a
// copy, and restores one (never over a log a running server has open).
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "tools/backup.hpp"

namespace {

std::string describe(const luot::tools::log_summary& log) {
  return std::to_string(log.events) + " events up to seq " + std::to_string(log.last_seq) + ", " +
         std::to_string(log.snapshots) + " snapshots, " + std::to_string(log.bytes / 1024) +
         " KiB; integrity_check ok; " + std::to_string(log.took.count()) + " ms";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "Back up the Luot event log while luot-server runs, check a copy, or restore one.\n"
      "  luot-backup --database LIVE.db --to COPY.db     online copy, then checked\n"
      "  luot-backup --verify COPY.db                    check a copy\n"
      "  luot-backup --restore COPY.db --to LIVE.db      restore (stop luot-server first)",
      "luot-backup"};
  cli.set_version_flag("--version", "luot-backup 0.1.0");
  std::string database;
  std::string restore;
  std::string verify;
  std::string to;
  auto* live = cli.add_option("--database", database, "The live event log to copy");
  auto* from = cli.add_option("--restore", restore, "A copy to restore (into --to)");
  auto* check = cli.add_option("--verify", verify, "A copy to check");
  cli.add_option("--to", to, "Where the copy goes (a new file), or the log to restore into");
  live->excludes(from)->excludes(check);
  from->excludes(check);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& failure) {
    return cli.exit(failure) == 0 ? 0 : 1;
  }
  if (database.empty() && restore.empty() && verify.empty()) {
    std::cerr << "luot-backup: one of --database, --restore or --verify is required (see --help)\n";
    return 1;
  }
  if (verify.empty() && to.empty()) {
    std::cerr << "luot-backup: --to is required with --database and --restore (see --help)\n";
    return 1;
  }
  try {
    if (!database.empty()) {
      const auto copied = luot::tools::back_up(database, to);
      std::cout << "luot-backup: copied " << database << " to " << to << ": " << describe(copied)
                << '\n';
    } else if (!restore.empty()) {
      const auto restored = luot::tools::restore(restore, to);
      std::cout << "luot-backup: restored " << restore << " into " << to << ": "
                << describe(restored) << "; luot-server may start on it\n";
    } else {
      const auto checked = luot::tools::verify(verify);
      std::cout << "luot-backup: " << verify << ": " << describe(checked) << '\n';
    }
    return 0;
  } catch (const std::exception& failure) {
    std::cerr << "luot-backup: " << failure.what() << '\n';
    return 1;
  }
}
