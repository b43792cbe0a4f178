#include "run.hpp"

#include <google/protobuf/util/json_util.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "../server/support.hpp"
#include "centre.hpp"
#include "display.hpp"
#include "http_client.hpp"
#include "kiosk.hpp"
#include "officer.hpp"
#include "restarter.hpp"
#include "store/log_reader.hpp"

namespace luot::history {

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// Generous limits for a loaded CI machine; reaching one is a harness
// failure with the server's log, never a verdict.
constexpr auto progress_limit = 120s;
constexpr auto convergence_limit = 60s;

// A kill comes after this many more acknowledged operations, then a short
// random delay: always some progress between kills, at moments that differ.
constexpr unsigned fewest_between_kills = 5;
constexpr unsigned most_between_kills = 40;
constexpr long longest_delay_ms = 15;
constexpr long longest_outage_ms = 30;
// Work acknowledged after the last restart, before the run quiesces.
constexpr unsigned acknowledged_at_the_end = 30;

long draw(std::mt19937_64& random, long lowest, long highest) {
  return std::uniform_int_distribution<long>(lowest, highest)(random);
}

void wait_for_acknowledged(const recorder& history, std::size_t target, const std::string& when) {
  const auto deadline = std::chrono::steady_clock::now() + progress_limit;
  while (history.acknowledged() < target) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("no progress " + when + ": " +
                               std::to_string(history.acknowledged()) +
                               " operations acknowledged, " + std::to_string(target) +
                               " awaited within " + std::to_string(progress_limit.count()) + " s");
    }
    std::this_thread::sleep_for(2ms);
  }
}

template <typename Message>
Message read_json(const http_answer& answer, const std::string& what) {
  Message message;
  if (answer.how != delivery::answered || answer.status / 100 != 2 ||
      !google::protobuf::util::JsonStringToMessage(answer.body, &message).ok()) {
    throw std::runtime_error("cannot read " + what + ": " +
                             (answer.how == delivery::answered
                                  ? "HTTP " + std::to_string(answer.status) + " " + answer.body
                                  : answer.error));
  }
  return message;
}

server_state read_server(std::uint16_t port, const std::filesystem::path& database) {
  server_state state;
  const auto session = read_json<v1::SessionInfo>(
      http_exchange(port, "POST", "/api/v1/sessions",
                    R"({"username":")" + std::string(manager_username) + R"(","password":")" +
                        testing::officer_password + "\"}"),
      "a manager's session");
  state.snapshot = read_json<v1::Snapshot>(
      http_exchange(port, "GET", "/api/v1/snapshot", {}, session.token()), "the snapshot");
  state.view = read_json<v1::View>(http_exchange(port, "GET", "/api/v1/view"), "the view");
  store::open_sqlite_reader(database)->read_days(
      "0000-01-01", "9999-12-31", [&](const v1::Event& event) { state.log.push_back(event); });
  return state;
}

void prepare_database(const run_options& options) {
  // The checker judges the whole log: it must hold this run alone.
  if (std::filesystem::exists(options.directory / "luot.db")) {
    throw std::runtime_error((options.directory / "luot.db").string() +
                             " exists: a run needs a fresh event log to judge");
  }
  if (options.database.empty()) return;
  if (std::filesystem::exists(options.database)) {
    throw std::runtime_error(options.database.string() +
                             " exists: a run needs a fresh event log to judge");
  }
  const auto target = std::filesystem::absolute(options.database);
  std::filesystem::create_directories(target.parent_path());
  std::filesystem::create_symlink(target, options.directory / "luot.db");
}

}  // namespace

run_report run(const run_options& options) {
  run_report report;
  report.seed = options.seed;
  report.clients = options.clients;
  const auto began = std::chrono::steady_clock::now();
  std::mt19937_64 random(options.seed);
  const auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  // Outside the try, destroyed last: every client is gone before the
  // server, and its log can be quoted when the harness fails.
  std::optional<server_restarter> server;
  try {
    std::filesystem::create_directories(options.directory);
    prepare_database(options);
    server.emplace(options.directory, centre_toml());
    server->start(random);
    const auto port = server->port();
    say("luot-server listening on port " + std::to_string(port));
    recorder history;
    std::atomic<unsigned> round = 0;

    std::vector<std::unique_ptr<display>> displays;
    std::vector<std::unique_ptr<kiosk>> kiosks;
    std::vector<std::unique_ptr<officer>> officers;
    for (unsigned i = 0; i < options.clients; ++i) {
      const auto format = i % 2 == 0 ? device::encoding::binary : device::encoding::json;
      const bool anonymous = i / 2 % 2 == 1;
      const std::string name = "display-" + std::to_string(i + 1) + " (" +
                               (format == device::encoding::binary ? "binary" : "json") + ", " +
                               (anonymous ? "anonymous" : "hall token") + ")";
      displays.push_back(std::make_unique<display>(
          name, workload_options(port, format, anonymous ? "" : testing::display_token, random()),
          round));
    }
    for (unsigned i = 1; i <= std::min(options.clients, max_kiosks); ++i) {
      kiosks.push_back(std::make_unique<kiosk>(i, i % 2 == 1 ? channel::http : channel::websocket,
                                               port, history, random()));
    }
    for (std::size_t i = 0; i < std::min<std::size_t>(options.clients, counters().size()); ++i)
      officers.push_back(std::make_unique<officer>(counters()[i], port, history, random()));
    for (auto& screen : displays) screen->start();
    for (auto& machine : kiosks) machine->start();
    for (auto& person : officers) person->start();

    for (unsigned kill = 1; kill <= options.kills; ++kill) {
      wait_for_acknowledged(
          history,
          history.acknowledged() +
              static_cast<std::size_t>(draw(random, fewest_between_kills, most_between_kills)),
          "before kill " + std::to_string(kill));
      std::this_thread::sleep_for(milliseconds(draw(random, 0, longest_delay_ms)));
      round = kill;
      history.set_round(kill);
      server->kill_and_restart(milliseconds(draw(random, 0, longest_outage_ms)));
      report.kills = kill;
      if (kill % 50 == 0) {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::steady_clock::now() - began)
                                 .count();
        say(std::to_string(kill) + " kills, " + std::to_string(history.acknowledged()) +
            " operations acknowledged, " + std::to_string(seconds) + " s");
      }
    }
    wait_for_acknowledged(history, history.acknowledged() + acknowledged_at_the_end,
                          "after the last restart");

    // Quiesce: no more commands, then every mirror catches up.
    for (auto& person : officers) person->stop();
    for (auto& machine : kiosks) machine->stop();
    const auto last = read_json<v1::View>(http_exchange(port, "GET", "/api/v1/view"), "the view");
    std::vector<mirror_trace> traces;
    for (auto& screen : displays) {
      screen->reach(last.seq(), convergence_limit);
      traces.push_back(screen->finish());
    }
    const auto state = read_server(port, server->database());
    server->stop();

    const auto operations = history.operations();
    if (!options.history_file.empty()) {
      std::ofstream out(options.history_file);
      write_history(operations, out);
    }
    report.operations = count(operations);
    for (const auto& op : operations) {
      if (op.what == action::take_ticket && op.result == outcome::ok && !op.issued_now)
        ++report.replayed;
    }
    report.events = state.log.size();
    report.tickets = static_cast<std::size_t>(state.snapshot.tickets_size());
    for (const auto& trace : traces) {
      report.mirror_steps += trace.steps.size();
      report.mirror_connections += trace.connections;
      for (const auto& step : trace.steps) report.mirror_views += step.replaced ? 1 : 0;
    }
    report.violations = check(operations, state, traces);
  } catch (const std::exception& failure) {
    report.failure = failure.what();
    if (server) report.failure += "\nthe server's output since its last start:\n" + server->log();
  }
  report.duration =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - began);
  return report;
}

void write_history(const std::vector<operation>& operations, std::ostream& out) {
  for (const auto& op : operations) {
    out << '#' << op.id << " round " << op.round << ' ' << op.client << ' ' << to_string(op.what);
    if (!op.counter.empty()) out << " counter " << op.counter;
    if (!op.client_key.empty()) out << " key " << op.client_key << " category " << op.category;
    out << ": " << to_string(op.result);
    if (!op.ticket_id.empty()) out << ' ' << op.ticket_id << ' ' << op.number;
    if (op.issued_now) out << " (new)";
    for (std::size_t i = 0; i < op.seqs.size(); ++i) out << (i == 0 ? " seqs " : ",") << op.seqs[i];
    if (!op.delivered) out << " (not delivered)";
    if (!op.detail.empty()) out << " - " << op.detail;
    out << '\n';
  }
}

std::string describe(const run_report& report, std::size_t listed) {
  std::ostringstream text;
  const auto& by_outcome = report.operations.by_outcome;
  const auto of = [&](outcome which) {
    const auto found = by_outcome.find(which);
    return found == by_outcome.end() ? std::size_t{0} : found->second;
  };
  text << "seed " << report.seed << ", " << report.kills << " kills, " << report.clients
       << " clients of each kind, " << static_cast<double>(report.duration.count()) / 1000.0
       << " s\n";
  text << report.operations.operations << " operations: " << of(outcome::ok) << " ok, "
       << of(outcome::failed) << " failed (" << report.operations.not_delivered
       << " of them never reached the server, which was down), " << of(outcome::unknown)
       << " unknown, " << of(outcome::invoked) << " without an answer; " << report.replayed
       << " take-ticket retries got the ticket their key already had\n";
  for (const auto& [what, outcomes] : report.operations.by_action) {
    text << "  " << to_string(what) << ":";
    for (const auto& [result, number] : outcomes) text << " " << to_string(result) << " " << number;
    text << "\n";
  }
  text << report.events << " events in the log, " << report.tickets
       << " tickets in the snapshot; mirrors applied " << report.mirror_steps << " updates and "
       << report.mirror_views << " whole views over " << report.mirror_connections
       << " connections\n";
  if (!report.failure.empty()) {
    text << "verdict: NONE, the harness failed: " << report.failure << "\n";
    return text.str();
  }
  text << "verdict: " << (report.violations.empty() ? "PASS" : "FAIL") << " ("
       << report.violations.size() << " violations)\n";
  for (std::size_t i = 0; i < report.violations.size() && i < listed; ++i) {
    text << "  - " << to_string(report.violations[i].kind) << ": " << report.violations[i].what
         << "\n";
  }
  if (report.violations.size() > listed)
    text << "  ... and " << report.violations.size() - listed << " more\n";
  return text.str();
}

}  // namespace luot::history
