// The real luot-display program against the real luot-server program: a
// call made through the API is shown and said; the server is killed with
// SIGKILL and restarted on the same port; a call made before the display is
// back is shown and said once; no earlier call is said again, not even by a
// restarted display.
#include "display_process.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "../client/tcp_relay.hpp"
#include "../server/server_process.hpp"
#include "../server/support.hpp"
#include "ui/image.hpp"

namespace luot::display {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using luot::testing::counter_action;
using luot::testing::server_process;
using luot::testing::sign_in;
using luot::testing::take_ticket;
using luot::testing::tcp_relay;
using luot::testing::temp_dir;

constexpr auto wait_limit = 30s;

struct called {
  std::uint64_t seq;
  std::string number;
};

called call_next(std::uint16_t port, const std::string& officer, bool finish_first) {
  if (finish_first) counter_action(port, officer, "1", "finish", R"({"outcome":"done"})");
  const auto result = counter_action(port, officer, "1", "call-next");
  EXPECT_EQ(result.seqs_size(), 1);
  return {result.seqs_size() == 1 ? result.seqs(0) : 0, result.ticket().number()};
}

std::string announced(const called& call) {
  return "announcement seq=" + std::to_string(call.seq) + " number=" + call.number + " ";
}

std::vector<std::string> arguments(std::uint16_t port, const fs::path& dir) {
  return {"--server",
          "http://127.0.0.1:" + std::to_string(port),
          "--token",
          luot::testing::display_token,
          "--software",
          "--size",
          "1280x720",
          "--voice",
          "none",
          "--state-dir",
          (dir / "state").string(),
          "--frame-file",
          (dir / "frame.png").string(),
          "--log-level",
          "debug"};
}

std::map<std::string, std::string> environment(const fs::path& dir, int run) {
  return {{"SDL_VIDEODRIVER", "dummy"},
          {"SDL_AUDIODRIVER", "disk"},
          {"SDL_DISKAUDIOFILE", (dir / ("audio-" + std::to_string(run) + ".raw")).string()}};
}

// The newest call on the last frame described in the log.
bool last_frame_shows(const std::string& log, const std::string& number, bool banner) {
  const auto at = log.rfind("frame seq=");
  if (at == std::string::npos) return false;
  const std::string line = log.substr(at, log.find('\n', at) - at);
  const bool has_banner = line.find("banner=-") == std::string::npos;
  return line.find("newest=" + number + " ") != std::string::npos && has_banner == banner;
}

// The frame as tesseract reads large coloured text best: grey, half size
// (each pixel the mean of four).
ui::image grey_half(const ui::image& picture) {
  ui::image half;
  half.width = picture.width / 2;
  half.height = picture.height / 2;
  half.rgba.resize(static_cast<std::size_t>(half.width) * half.height * 4);
  const auto luminance = [&](int x, int y) {
    const auto* p = &picture.rgba[(static_cast<std::size_t>(y) * picture.width + x) * 4];
    return (299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000;
  };
  for (int y = 0; y < half.height; ++y) {
    for (int x = 0; x < half.width; ++x) {
      const int mean = (luminance(2 * x, 2 * y) + luminance(2 * x + 1, 2 * y) +
                        luminance(2 * x, 2 * y + 1) + luminance(2 * x + 1, 2 * y + 1)) /
                       4;
      auto* q = &half.rgba[(static_cast<std::size_t>(y) * half.width + x) * 4];
      q[0] = q[1] = q[2] = static_cast<std::uint8_t>(mean);
      q[3] = 255;
    }
  }
  return half;
}

std::string read_frame(const fs::path& file) {
  const auto picture = ui::load_png(file);
  if (!picture) return {};
  const fs::path copy = file.parent_path() / "frame-read.png";
  if (ui::save_png(grey_half(*picture), copy)) return {};
  std::string output;
  FILE* pipe = popen(
      (std::string(LUOT_TESSERACT) + " " + copy.string() + " stdout -l vie 2>/dev/null").c_str(),
      "r");
  char buffer[4096];
  while (const std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) {
    output.append(buffer, got);
  }
  pclose(pipe);
  return output;
}

TEST(DisplayProcess, EveryCallIsShownAndSaidOnceThroughAServerKillAndADisplayRestart) {
  temp_dir dir;
  server_process server(dir.path());
  server.start();
  const auto port = server.port();
  for (int i = 0; i < 8; ++i) take_ticket(port, "A");
  auto officer = sign_in(port, "lan", "1");

  // Through a relay, so the display can be kept away while a call is made.
  tcp_relay relay(port);
  std::vector<called> made;
  {
    testing::display_process display(dir.path() / "display-1.log",
                                     arguments(relay.port(), dir.path()),
                                     environment(dir.path(), 1));
    ASSERT_TRUE(display.wait_for_text("live at seq", wait_limit)) << display.log();

    // A call through the API: shown, and said.
    made.push_back(call_next(port, officer, false));
    ASSERT_TRUE(display.wait_for_text(announced(made.back()), wait_limit)) << display.log();
    ASSERT_TRUE(display.wait_for(
        [&](const std::string& log) { return last_frame_shows(log, made.back().number, false); },
        wait_limit))
        << display.log();

    // The server dies; the board keeps its data under the banner.
    server.kill();
    ASSERT_TRUE(display.wait_for(
        [&](const std::string& log) { return last_frame_shows(log, made.back().number, true); },
        wait_limit))
        << display.log();
    EXPECT_FALSE(display.lines_with("Mất kết nối máy chủ").empty());

    // Restarted on the same port; a call is made before the display is back.
    relay.retarget(1);
    relay.cut();
    server.start(port);
    ASSERT_EQ(server.port(), port);
    officer = sign_in(port, "lan", "1");
    made.push_back(call_next(port, officer, true));
    relay.retarget(port);
    ASSERT_TRUE(display.wait_for_text(announced(made.back()), wait_limit)) << display.log();
    ASSERT_TRUE(display.wait_for(
        [&](const std::string& log) { return last_frame_shows(log, made.back().number, false); },
        wait_limit))
        << display.log();

    // And live again.
    made.push_back(call_next(port, officer, true));
    ASSERT_TRUE(display.wait_for_text(announced(made.back()), wait_limit)) << display.log();
    ASSERT_TRUE(display.wait_for(
        [&](const std::string& log) { return last_frame_shows(log, made.back().number, false); },
        wait_limit));
    EXPECT_EQ(display.stop(), 0) << "SIGTERM ends the display cleanly";

    // Each call said exactly once, in order, and nothing else said.
    const auto said = display.lines_with("announcement seq=");
    ASSERT_EQ(said.size(), made.size()) << display.log();
    for (std::size_t i = 0; i < made.size(); ++i) {
      SCOPED_TRACE(made[i].number);
      EXPECT_NE(said[i].find(announced(made[i])), std::string::npos) << said[i];
      EXPECT_NE(said[i].find("counter=1 "), std::string::npos) << said[i];
    }
  }

  // A restarted display sees the same calls in its first view (all younger
  // than a minute) and says none of them again; the next call it says.
  testing::display_process display(dir.path() / "display-2.log", arguments(port, dir.path()),
                                   environment(dir.path(), 2));
  ASSERT_TRUE(display.wait_for_text("live at seq", wait_limit)) << display.log();
  ASSERT_TRUE(display.wait_for(
      [&](const std::string& log) { return last_frame_shows(log, made.back().number, false); },
      wait_limit))
      << display.log();
  made.push_back(call_next(port, officer, true));
  ASSERT_TRUE(display.wait_for_text(announced(made.back()), wait_limit)) << display.log();
  ASSERT_TRUE(display.wait_for(
      [&](const std::string& log) { return last_frame_shows(log, made.back().number, false); },
      wait_limit));
  const auto said = display.lines_with("announcement seq=");
  ASSERT_EQ(said.size(), 1u) << display.log();
  EXPECT_NE(said[0].find(announced(made.back())), std::string::npos);

  // What the screen shows, read back: the newest number and its counter.
  const std::string read = read_frame(dir.path() / "frame.png");
  EXPECT_NE(read.find(made.back().number), std::string::npos) << read;
  EXPECT_NE(read.find("Quầy 1"), std::string::npos) << read;
  EXPECT_NE(read.find("Lao động"), std::string::npos) << read;
  EXPECT_EQ(display.stop(), 0);
}

// Runs the program to its end; its exit code and output.
std::pair<int, std::string> run_to_end(const fs::path& log, std::vector<std::string> words,
                                       const fs::path& dir) {
  testing::display_process program(log, std::move(words), environment(dir, 0));
  const int code = program.wait_exit(40s);
  return {code, program.log()};
}

TEST(DisplayProcess, AScreenshotShowsTheServersStateAndExitsZero) {
  temp_dir dir;
  server_process server(dir.path());
  server.start();
  const auto port = server.port();
  for (int i = 0; i < 3; ++i) take_ticket(port, "A");
  take_ticket(port, "B");
  const auto officer = sign_in(port, "lan", "1");
  const auto call = call_next(port, officer, false);
  const fs::path shot = dir.path() / "board.png";
  const auto [code, log] = run_to_end(
      dir.path() / "shot.log",
      {"--server", "http://127.0.0.1:" + std::to_string(port), "--token",
       luot::testing::display_token, "--screenshot", shot.string(), "--size", "1280x720"},
      dir.path());
  EXPECT_EQ(code, 0) << log;
  const auto picture = ui::load_png(shot);
  ASSERT_TRUE(picture.has_value()) << log;
  EXPECT_EQ(picture->width, 1280);
  EXPECT_EQ(picture->height, 720);
  const std::string read = read_frame(shot);
  EXPECT_NE(read.find(call.number), std::string::npos) << read;
  EXPECT_NE(read.find("Người có công"), std::string::npos) << read;

  // No server: a clear line and exit code 1 after the timeout.
  server.kill();
  const auto [failed, why] =
      run_to_end(dir.path() / "no-server.log",
                 {"--server", "http://127.0.0.1:" + std::to_string(port), "--token",
                  luot::testing::display_token, "--screenshot", (dir.path() / "none.png").string(),
                  "--screenshot-timeout", "2"},
                 dir.path());
  EXPECT_EQ(failed, 1);
  EXPECT_NE(why.find("Không nhận được dữ liệu từ máy chủ sau 2 giây"), std::string::npos) << why;
  EXPECT_FALSE(fs::exists(dir.path() / "none.png"));
}

TEST(DisplayProcess, PrintsTheSentenceItWouldSay) {
  temp_dir dir;
  struct example {
    std::vector<std::string> words;
    const char* sentence;
  };
  const example examples[] = {
      {{"--print-announcement", "1021", "5"},
       "Mời công dân có số thứ tự một nghìn không trăm hai mươi mốt đến quầy số năm\n"},
      {{"--print-announcement", "1024", "5", "--dialect", "south"},
       "Mời công dân có số thứ tự một ngàn không trăm hai mươi tư đến quầy số năm\n"},
      {{"--print-announcement", "A007", "12"},
       "Mời công dân có số thứ tự a bảy đến quầy số mười hai\n"},
  };
  for (const auto& one : examples) {
    SCOPED_TRACE(one.sentence);
    const auto [code, output] = run_to_end(dir.path() / "print.log", one.words, dir.path());
    EXPECT_EQ(code, 0);
    EXPECT_EQ(output, one.sentence);
  }
}

}  // namespace
}  // namespace luot::display
