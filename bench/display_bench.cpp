// bench_display: what the hall display costs and how fast a call reaches the
// screen. It runs the real luot-server and the real luot-display as child
// processes (SDL_VIDEODRIVER=dummy, or X11 under xvfb-run) and reads the
// display's debug log, whose frame lines are written once a frame has been
// presented. Prints Markdown tables; asserts nothing.
//
//   bench_display [quiet-seconds] [calls] [accelerated|software]
#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

#include "board/board_content.hpp"
#include "board/board_painter.hpp"
#include "load/http_connection.hpp"
#include "load/process_stats.hpp"
#include "load/server_child.hpp"
#include "ui/canvas.hpp"

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using std::chrono::system_clock;

// The demo centre's officer "lan" (password lan-2026), to call numbers.
constexpr const char* officer_toml = R"(
[[staff]]
username = "lan"
display_name = "Nguyễn Thị Lan"
password_hash = "$argon2id$v=19$m=65536,t=2,p=1$fXrcrO+JHQWbyNyLs+f/1Q$o8HP/yes+7DXty+34DxzHSJAKVo8lFgNTQC1qxkIr7A"
counters = ["1"]

[[outcomes]]
code = "done"
name_vi = "Đã tiếp nhận"
name_en = "Received"
)";

luot::bench::http_request post(const std::string& target, const std::string& body,
                               const std::string& token = {}) {
  luot::bench::http_request request(http::verb::post, target, 11);
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  request.body() = body;
  request.prepare_payload();
  return request;
}

std::string json_field(const std::string& json, const std::string& name) {
  const std::regex pattern("\"" + name + "\":\\s*\"?([^\",}\\]]+)");
  std::smatch match;
  return std::regex_search(json, match, pattern) ? match[1].str() : std::string();
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

// The display program as a child, its output in a log file.
class display_child {
 public:
  display_child(const fs::path& program, const fs::path& log, std::vector<std::string> arguments)
      : log_(log) {
    arguments.insert(arguments.begin(), program.string());
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const int output = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(output, STDOUT_FILENO);
      ::dup2(output, STDERR_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(output);
  }
  ~display_child() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }
  std::string log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  bool wait_for(const std::string& text, std::chrono::seconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

 private:
  fs::path log_;
  pid_t pid_ = -1;
};

// "2026-11-23 10:39:26.781 debug ..." → the moment, in the local zone the
// display logged it in.
std::optional<system_clock::time_point> log_time(const std::string& line) {
  std::tm parts{};
  std::istringstream in(line.substr(0, 19));
  in >> std::get_time(&parts, "%Y-%m-%d %H:%M:%S");
  if (in.fail() || line.size() < 23) return std::nullopt;
  parts.tm_isdst = -1;
  const auto seconds = system_clock::from_time_t(std::mktime(&parts));
  return seconds + std::chrono::milliseconds(std::stoi(line.substr(20, 3)));
}

// The first log line at or after `from` (in characters) matching `pattern`.
std::optional<system_clock::time_point> first_line_time(const std::string& log,
                                                        const std::regex& pattern) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_search(line, pattern)) return log_time(line);
  }
  return std::nullopt;
}

double cpu_over(pid_t pid, std::chrono::seconds length) {
  const auto before = luot::bench::sample_process(pid);
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(length);
  const auto after = luot::bench::sample_process(pid);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return luot::bench::cpu_percent(before, after, wall);
}

void paint_costs(const luot::v1::View& view) {
  std::cout << "\n| screen | first frame (ms) | next frames, p50 (ms) | lines rasterized per next "
               "frame |\n"
               "| --- | ---: | ---: | ---: |\n";
  for (const auto& [name, size] : {std::pair{"hall 1920×1080", luot::ui::size{1920, 1080}},
                                   {"hall 1080×1920", {1080, 1920}},
                                   {"hall 1280×720", {1280, 720}},
                                   {"counter 1280×720", {1280, 720}}}) {
    luot::ui::offscreen_canvas canvas(size.w, size.h);
    luot::ui::font_library fonts;
    luot::display::board_painter painter(canvas.renderer(), fonts, luot::ui::hall_theme());
    luot::display::board_inputs inputs;
    inputs.view = &view;
    inputs.live = true;
    inputs.now = system_clock::now();
    if (std::string(name).starts_with("counter")) {
      inputs.layout = luot::display::layout_kind::counter;
      inputs.counter_id = "1";
    }
    auto start = std::chrono::steady_clock::now();
    painter.paint(luot::display::build_board(inputs), size);
    const double first =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::vector<double> next;
    const auto rasterized_before = painter.text().rasterized_lines();
    constexpr int frames = 30;
    for (int i = 1; i <= frames; ++i) {
      // The clock moves a minute each frame: the one line that changes.
      inputs.now += 60s;
      start = std::chrono::steady_clock::now();
      painter.paint(luot::display::build_board(inputs), size);
      next.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    const double per_frame =
        static_cast<double>(painter.text().rasterized_lines() - rasterized_before) / frames;
    std::printf("| %s | %.1f | %.1f | %.1f |\n", name, first, median(next), per_frame);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int quiet_seconds = argc > 1 ? std::atoi(argv[1]) : 30;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 30;
  const bool software = argc > 3 && std::string(argv[3]) == "software";
  const fs::path dir =
      fs::temp_directory_path() / ("luot-bench-display-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  if (std::getenv("DISPLAY") == nullptr) setenv("SDL_VIDEODRIVER", "dummy", 0);
  const char* driver = std::getenv("SDL_VIDEODRIVER");
  const std::string video = driver ? driver : "x11";

  luot::bench::server_child server(LUOT_SERVER_BINARY, dir,
                                   luot::bench::bench_centre_toml(std::nullopt) + officer_toml);
  server.start(dir / "luot.db");
  const auto port = server.port();
  luot::bench::http_connection kiosk(port);
  for (int i = 0; i < calls + 20; ++i) {
    kiosk.exchange(luot::bench::take_ticket_request(luot::bench::bench_categories[i % 4]));
  }
  kiosk.exchange(
      post("/api/v1/sessions", R"({"username":"lan","password":"lan-2026","counter":"1"})"));
  const std::string officer = json_field(kiosk.body(), "token");
  if (officer.empty()) {
    std::cerr << "sign-in failed: " << kiosk.body() << "\n";
    return 1;
  }
  kiosk.exchange(post("/api/v1/counters/1/call-next", "", officer));

  luot::v1::View view;
  (void)google::protobuf::util::JsonStringToMessage(luot::bench::http_get(port, "/api/v1/view"),
                                                    &view);
  std::cout << "## Hall display (`bench_display`)\n\nVideo driver: " << video << "; load average "
            << luot::bench::load_average()
            << "\n\nDrawing the board (software renderer, one core):\n";
  paint_costs(view);

  std::vector<std::string> display_arguments = {
      "--server",    "http://127.0.0.1:" + std::to_string(port),
      "--token",     std::string(luot::bench::display_token),
      "--voice",     "none",
      "--audio",     "off",
      "--size",      "1920x1080",
      "--state-dir", (dir / "state").string(),
      "--log-level", "debug"};
  if (software) display_arguments.push_back("--software");
  display_child display(LUOT_DISPLAY_BINARY, dir / "display.log", display_arguments);
  // Which renderer the display chose, from its log.
  display.wait_for("renderer ", 20s);
  if (!display.wait_for("live at seq", 20s)) {
    std::cerr << "the display did not get live:\n" << display.log();
    return 1;
  }
  std::this_thread::sleep_for(3s);
  {
    const auto log = display.log();
    const auto at = log.find("video driver ");
    if (at != std::string::npos)
      std::cout << "\nThe display: " << log.substr(at, log.find('\n', at) - at) << "\n";
  }
  const double live_cpu = cpu_over(display.pid(), std::chrono::seconds(quiet_seconds));

  std::vector<double> api_to_screen;
  std::vector<double> received_to_screen;
  // A fresh connection: the server closed the first one while it idled.
  luot::bench::http_connection console(port);
  for (int i = 0; i < calls; ++i) {
    console.exchange(post("/api/v1/counters/1/finish", R"({"outcome":"done"})", officer));
    const auto sent = system_clock::now();
    console.exchange(post("/api/v1/counters/1/call-next", "", officer));
    const std::string number = json_field(console.body(), "number");
    const std::regex frame_line("frame seq=\\d+ newest=" + number + " ");
    const std::regex call_line("call " + number + " to counter 1 \\(seq \\d+, live\\)");
    if (!display.wait_for("newest=" + number + " ", 10s)) {
      std::cerr << "call " << number << " never reached the screen\n";
      return 1;
    }
    const auto log = display.log();
    const auto shown = first_line_time(log, frame_line);
    const auto received = first_line_time(log, call_line);
    if (shown) {
      api_to_screen.push_back(std::chrono::duration<double, std::milli>(*shown - sent).count());
    }
    if (shown && received) {
      received_to_screen.push_back(
          std::chrono::duration<double, std::milli>(*shown - *received).count());
    }
    std::this_thread::sleep_for(300ms);
  }

  server.stop();
  display.wait_for("banner=Mất kết nối", 20s);
  std::this_thread::sleep_for(2s);
  const double offline_cpu = cpu_over(display.pid(), std::chrono::seconds(quiet_seconds));

  std::printf(
      "\nThe program (1920×1080, --voice none), CPU %% of one core over %d s:\n\n"
      "| board | CPU (%% of one core) | frames |\n| --- | ---: | --- |\n"
      "| static, live | %.2f | one a minute (the clock) |\n"
      "| lost connection (banner counting seconds) | %.2f | one a second |\n",
      quiet_seconds, live_cpu, offline_cpu);
  std::printf(
      "\nCall to screen, %zu calls (log times, 1 ms resolution):\n\n"
      "| from | p50 (ms) | p95 (ms) | max (ms) |\n| --- | ---: | ---: | ---: |\n"
      "| officer's call-next sent (HTTP) → frame presented | %.0f | %.0f | %.0f |\n"
      "| update received by the display → frame presented | %.0f | %.0f | %.0f |\n",
      api_to_screen.size(), median(api_to_screen), percentile(api_to_screen, 0.95),
      percentile(api_to_screen, 1.0), median(received_to_screen),
      percentile(received_to_screen, 0.95), percentile(received_to_screen, 1.0));
  fs::remove_all(dir);
  return 0;
}
