#include "kiosk_support.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "../server/support.hpp"

namespace luot::kiosk::testing {

namespace {

using namespace std::chrono_literals;

struct command_output {
  int exit_code = -1;
  std::string output;
};

// Runs a shell command; its stdout, and its stderr too unless it is
// redirected in `command`.
command_output run(const std::string& command, bool with_errors = true) {
  command_output result;
  FILE* pipe = ::popen((with_errors ? command + " 2>&1" : command).c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (const auto got = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    result.output.append(buffer.data(), got);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

kiosk_options fast_options(std::uint16_t port, const std::filesystem::path& state_directory,
                           const std::string& printer_spec) {
  kiosk_options options;
  options.server_url = "http://127.0.0.1:" + std::to_string(port);
  options.public_url = options.server_url;
  options.token = luot::testing::kiosk_token;
  options.printer = *printer::parse_printer_spec(printer_spec).spec;
  options.state_directory = state_directory;
  options.hotline = "1900 1234";
  options.timing.retry = 150ms;
  options.timing.request_timeout = 1500ms;
  options.timing.give_up = 1s;
  options.timing.printer_check = std::chrono::hours(1);
  options.timing.status_report = std::chrono::hours(1);
  return options;
}

std::vector<std::string> fast_flags(std::uint16_t port,
                                    const std::filesystem::path& state_directory,
                                    const std::string& printer_spec) {
  return {"--server",
          "http://127.0.0.1:" + std::to_string(port),
          "--token",
          luot::testing::kiosk_token,
          "--printer",
          printer_spec,
          "--state-dir",
          state_directory.string(),
          "--hotline",
          "1900 1234",
          "--retry-seconds",
          "0.15",
          "--request-timeout-seconds",
          "1.5",
          "--give-up-seconds",
          "1",
          "--printer-check-seconds",
          "3600",
          "--status-report-seconds",
          "3600"};
}

void report_log::attach(kiosk_service& service) {
  service.on_report([this](const press_report& report) {
    std::lock_guard lock(mutex_);
    reports_.push_back(report);
    reported_.notify_all();
  });
}

std::vector<press_report> report_log::reports() const {
  std::lock_guard lock(mutex_);
  return reports_;
}

bool report_log::wait_for(const std::function<bool(const std::vector<press_report>&)>& holds,
                          std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return reported_.wait_for(lock, timeout, [&] { return holds(reports_); });
}

bool report_log::wait_for_outcome(press_outcome outcome, std::size_t nth,
                                  std::chrono::milliseconds timeout) const {
  return wait_for(
      [&](const std::vector<press_report>& reports) {
        return static_cast<std::size_t>(std::count_if(
                   reports.begin(), reports.end(),
                   [&](const press_report& report) { return report.outcome == outcome; })) >= nth;
      },
      timeout);
}

health_watch::health_watch(std::uint16_t port, std::string device) : device_(std::move(device)) {
  device::options settings;
  settings.server_url = "http://127.0.0.1:" + std::to_string(port);
  settings.token = luot::testing::display_token;
  client_ = std::make_unique<device::device_client>(settings);
  client_->start();
  // The client's on_change is not called for updates that change devices
  // only, but its view and wait_until see every update: the predicate
  // records each view it is shown.
  watcher_ = std::thread([this] {
    while (!stopping_) {
      client_->wait_until(
          [this](const v1::View& view) {
            record(view);
            return stopping_.load();
          },
          50ms);
    }
  });
}

health_watch::~health_watch() {
  stopping_ = true;
  watcher_.join();
  client_->stop();
}

void health_watch::record(const v1::View& view) {
  for (const auto& status : view.devices()) {
    if (status.device() != device_) continue;
    std::lock_guard lock(mutex_);
    if (seen_.empty() || seen_.back() != status.health()) {
      seen_.push_back(status.health());
      changed_.notify_all();
    }
  }
}

std::vector<v1::DeviceHealth> health_watch::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

bool health_watch::wait_for(const std::vector<v1::DeviceHealth>& sequence,
                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    // `sequence` in order, possibly with other states in between.
    std::size_t matched = 0;
    for (const auto health : seen_) {
      if (matched < sequence.size() && health == sequence[matched]) ++matched;
    }
    return matched == sequence.size();
  });
}

std::vector<printed_ticket> read_printed(const std::filesystem::path& printed,
                                         const std::filesystem::path& work_directory) {
  std::filesystem::create_directories(work_directory);
  const std::string node = "NODE_PATH='" LUOT_TEST_TOOLS_DIR "/node_modules' node '" +
                           std::string(LUOT_DISPENSER_TEST_DIR);
  const auto split =
      run(node + "/split_jobs.js' '" + printed.string() + "' '" + work_directory.string() + "'");
  if (split.exit_code != 0) throw std::runtime_error("split_jobs.js: " + split.output);
  const auto at = split.output.find("\"jobs\":");
  const int jobs = at == std::string::npos ? 0 : std::stoi(split.output.substr(at + 7));
  std::vector<printed_ticket> tickets;
  for (int job = 1; job <= jobs; ++job) {
    const auto bytes = work_directory / ("job-" + std::to_string(job) + ".bin");
    printed_ticket ticket;
    ticket.png = work_directory / ("job-" + std::to_string(job) + ".png");
    const auto rebuilt =
        run(node + "/render_printed.js' '" + bytes.string() + "' '" + ticket.png.string() + "'");
    if (rebuilt.exit_code != 0) throw std::runtime_error("render_printed.js: " + rebuilt.output);
    auto decoded = run("zbarimg --raw -q '" + ticket.png.string() + "' 2>/dev/null", false);
    while (!decoded.output.empty() &&
           (decoded.output.back() == '\n' || decoded.output.back() == '\r')) {
      decoded.output.pop_back();
    }
    ticket.qr_text = decoded.output;
    tickets.push_back(ticket);
  }
  return tickets;
}

std::string read_text(const std::filesystem::path& picture) {
  return run("tesseract '" + picture.string() + "' - -l vie 2>/dev/null", false).output;
}

std::vector<v1::Ticket> tickets_from(std::uint16_t port, const std::string& source) {
  const auto state = luot::testing::snapshot(port);
  std::vector<v1::Ticket> tickets;
  for (const auto& ticket : state.tickets()) {
    if (ticket.source() == source) tickets.push_back(ticket);
  }
  std::sort(tickets.begin(), tickets.end(), [](const v1::Ticket& a, const v1::Ticket& b) {
    return std::make_pair(a.issued_at().seconds(), a.issued_at().nanos()) <
           std::make_pair(b.issued_at().seconds(), b.issued_at().nanos());
  });
  return tickets;
}

}  // namespace luot::kiosk::testing
