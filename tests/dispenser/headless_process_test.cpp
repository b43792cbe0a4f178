// luot-dispenser itself, as a child process reading button presses from its
// stdin, against the real luot-server (in this process, or as a program
// killed with SIGKILL): every number issued is printed and logged once, a
// failed print is reprinted without a second number, and neither a killed
// server nor a killed kiosk turns one press into two numbers.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <sstream>

#include "../server/server_process.hpp"
#include "../server/support.hpp"
#include "fake_printer.hpp"
#include "kiosk_process.hpp"
#include "kiosk_support.hpp"
#include "ui/image.hpp"

namespace luot::kiosk::testing {
namespace {

using namespace std::chrono_literals;
using luot::testing::running_server;
using luot::testing::server_process;
using luot::testing::temp_dir;
using luot::testing::test_settings;
using printer::testing::fake_network_printer;
using printer::testing::printer_paper_out;
using printer::testing::printer_ready;

constexpr const char* kiosk_device = "kiosk-1";

// One stdout line: NUMBER CATEGORY URL [PRIORITY_CLASS].
struct ticket_line {
  std::string number;
  std::string category;
  std::string url;
  std::string priority_class;
};

ticket_line parse_line(const std::string& line) {
  std::istringstream words(line);
  ticket_line parsed;
  words >> parsed.number >> parsed.category >> parsed.url >> parsed.priority_class;
  return parsed;
}

std::string token_of(const std::string& url) {
  const auto at = url.rfind("/t/");
  return at == std::string::npos ? std::string() : url.substr(at + 3);
}

TEST(HeadlessKiosk, TakesTicketsInTwoCategoriesPrintingToAFile) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto printed = dir.path() / "printed.bin";
  auto flags = fast_flags(server.port(), dir.path() / "state", "file:" + printed.string());
  flags.insert(flags.end(), {"--headless", "--key", "9=B:cao-tuoi"});
  kiosk_process kiosk(flags);
  ASSERT_TRUE(kiosk.wait_for_message("ready", wait_limit)) << kiosk.messages();

  for (const char* press : {"A", "B", "A", "9", "Z", "A B C"}) kiosk.send_line(press);
  std::vector<ticket_line> lines;
  for (int i = 0; i < 4; ++i) {
    const auto line = kiosk.next_ticket_line(wait_limit);
    ASSERT_TRUE(line) << kiosk.messages();
    lines.push_back(parse_line(*line));
  }
  kiosk.close_input();
  ASSERT_EQ(kiosk.wait_for_exit(wait_limit), 0) << kiosk.messages();
  EXPECT_EQ(kiosk.ticket_lines().size(), 4u);
  const auto messages = kiosk.messages();
  EXPECT_NE(messages.find("refused Z: Không có lĩnh vực \"Z\"."), std::string::npos) << messages;
  EXPECT_NE(messages.find("refused: expected CODE or CODE PRIORITY_CLASS"), std::string::npos);

  // The numbers are the server's, in order, one per press that was accepted.
  const auto issued = tickets_from(server.port(), kiosk_device);
  ASSERT_EQ(issued.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"A001", "A"}, {"B001", "B"}, {"A002", "A"}, {"B002", "B"}};
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(lines[i].number, expected[i].first);
    EXPECT_EQ(lines[i].category, expected[i].second);
    EXPECT_EQ(issued[i].number(), lines[i].number);
    EXPECT_EQ(issued[i].category(), lines[i].category);
    EXPECT_EQ(lines[i].url,
              "http://127.0.0.1:" + std::to_string(server.port()) + "/t/" + token_of(lines[i].url));
  }
  EXPECT_EQ(lines[3].priority_class, "cao-tuoi");
  EXPECT_EQ(issued[3].priority_class(), "cao-tuoi");

  // Each ticket came out of the printer once, and its QR code is the URL
  // the kiosk logged, which shows that same ticket.
  const auto on_paper = read_printed(printed, dir.path() / "jobs");
  ASSERT_EQ(on_paper.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(on_paper[i].qr_text, lines[i].url);
    const auto page =
        luot::testing::http_call(server.port(), "GET", "/api/v1/tickets/" + token_of(lines[i].url));
    ASSERT_EQ(page.status, 200u) << page.body;
    EXPECT_NE(page.body.find("\"number\":\"" + lines[i].number + "\""), std::string::npos)
        << page.body;
  }
}

TEST(HeadlessKiosk, APrintThatFailsIsRetriedWithoutASecondNumber) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  health_watch health(server.port(), kiosk_device);
  // Connections in order: the check at start, the check before the press,
  // the job (refused: paper out), two retries still out, then a new roll.
  fake_network_printer fake({printer_ready, printer_ready, printer_paper_out, printer_paper_out,
                             printer_paper_out, printer_ready});
  auto flags = fast_flags(server.port(), dir.path() / "state",
                          "tcp:127.0.0.1:" + std::to_string(fake.port()));
  flags.insert(flags.end(), {"--headless", "--retry-seconds", "0.3"});
  kiosk_process kiosk(flags);
  ASSERT_TRUE(kiosk.wait_for_message("ready", wait_limit)) << kiosk.messages();
  ASSERT_TRUE(health.wait_for({v1::DEVICE_HEALTH_OK}));

  kiosk.send_line("A");
  const auto line = kiosk.next_ticket_line(wait_limit);
  ASSERT_TRUE(line) << kiosk.messages();
  const auto ticket = parse_line(*line);
  EXPECT_EQ(ticket.number, "A001");
  EXPECT_TRUE(kiosk.wait_for_message("not printed A001 A: Máy in hết giấy", 1s))
      << kiosk.messages();
  EXPECT_TRUE(kiosk.wait_for_message("reprinted A001 A", 1s)) << kiosk.messages();

  // The server saw the kiosk out of paper, then fine again.
  EXPECT_TRUE(
      health.wait_for({v1::DEVICE_HEALTH_OK, v1::DEVICE_HEALTH_PAPER_OUT, v1::DEVICE_HEALTH_OK}))
      << ::testing::PrintToString(health.seen());
  // One number was issued, and one whole ticket reached the printer.
  const auto issued = tickets_from(server.port(), kiosk_device);
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(issued[0].number(), "A001");
  const auto connections = fake.connections(6, wait_limit);
  ASSERT_EQ(connections.size(), 6u);
  for (std::size_t i = 0; i < connections.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(connections[i].size() > 10000, i == 5) << connections[i].size();
  }
  kiosk.close_input();
  EXPECT_EQ(kiosk.wait_for_exit(wait_limit), 0);
}

TEST(HeadlessKiosk, AServerKilledMidRequestGivesOneNumberAfterItsRestart) {
  temp_dir dir;
  server_process server(dir.path());
  server.start();
  const auto port = server.port();
  const auto printed = dir.path() / "printed.bin";
  auto flags = fast_flags(port, dir.path() / "state", "file:" + printed.string());
  flags.push_back("--headless");
  kiosk_process kiosk(flags);
  ASSERT_TRUE(kiosk.wait_for_message("ready", wait_limit)) << kiosk.messages();

  // The request goes out to a server that cannot answer, which then dies.
  server.freeze();
  kiosk.send_line("B");
  // The kiosk says plainly that the server does not answer.
  ASSERT_TRUE(kiosk.wait_for_message(
      "waiting B: Hệ thống chưa trả lời. Phiếu sẽ được in ngay khi có kết nối trở lại.",
      wait_limit))
      << kiosk.messages();
  server.kill();
  server.start(port);

  const auto line = kiosk.next_ticket_line(wait_limit);
  ASSERT_TRUE(line) << kiosk.messages();
  const auto issued = tickets_from(port, kiosk_device);
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(parse_line(*line).number, issued[0].number());
  // And the next press is a new number.
  kiosk.send_line("B");
  const auto next = kiosk.next_ticket_line(wait_limit);
  ASSERT_TRUE(next) << kiosk.messages();
  EXPECT_EQ(parse_line(*next).number, "B002");
  EXPECT_EQ(read_printed(printed, dir.path() / "jobs").size(), 2u);
}

TEST(HeadlessKiosk, AKioskKilledMidRequestPrintsTheSameNumberAfterItsRestart) {
  temp_dir dir;
  server_process server(dir.path());
  server.start();
  const auto port = server.port();
  const auto printed = dir.path() / "printed.bin";
  auto flags = fast_flags(port, dir.path() / "state", "file:" + printed.string());
  flags.push_back("--headless");
  {
    kiosk_process kiosk(flags);
    ASSERT_TRUE(kiosk.wait_for_message("ready", wait_limit)) << kiosk.messages();
    server.freeze();
    kiosk.send_line("A");
    ASSERT_TRUE(kiosk.wait_for_message("waiting A", wait_limit)) << kiosk.messages();
    kiosk.kill();
  }
  // The request reaches the server now that the kiosk is gone; whether it
  // is served or not, the restarted kiosk resolves the same press.
  server.thaw();
  kiosk_process again(flags);
  const auto line = again.next_ticket_line(wait_limit);
  ASSERT_TRUE(line) << again.messages();
  const auto issued = tickets_from(port, kiosk_device);
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(parse_line(*line).number, issued[0].number());
  EXPECT_EQ(read_printed(printed, dir.path() / "jobs").size(), 1u);
}

TEST(HeadlessKiosk, KillsAtRandomMomentsNeverMakeTwoNumbersOfOnePress) {
  temp_dir dir;
  server_process server(dir.path());
  server.start();
  const auto port = server.port();
  const auto printed = dir.path() / "printed.bin";
  auto flags = fast_flags(port, dir.path() / "state", "file:" + printed.string());
  flags.push_back("--headless");
  kiosk_process kiosk(flags);
  ASSERT_TRUE(kiosk.wait_for_message("ready", wait_limit)) << kiosk.messages();
  ASSERT_TRUE(kiosk.wait_for_message("live with", wait_limit)) << kiosk.messages();

  std::mt19937 random(20261123);
  constexpr int presses = 10;
  // Lines the button box writes when it refuses a press (not the client's
  // "Connection refused").
  const std::string refusal = "\nrefused ";
  std::size_t refused = 0;
  for (int i = 0; i < presses; ++i) {
    SCOPED_TRACE(i);
    const auto tickets_before = kiosk.ticket_lines().size();
    const auto live_before = kiosk.message_count("live with");
    kiosk.send_line(i % 2 == 0 ? "A" : "B");
    // Somewhere between before the press is read and after the reply.
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 4000));
    server.kill();
    server.start(port);
    // The press ends in a ticket, or (read while the server was down) in
    // a plain refusal.
    const auto deadline = std::chrono::steady_clock::now() + wait_limit;
    while (kiosk.ticket_lines().size() == tickets_before &&
           !kiosk.wait_for_message(refusal, 10ms, refused + 1)) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << kiosk.messages();
    }
    if (kiosk.ticket_lines().size() == tickets_before) ++refused;
    // The next round starts with the kiosk live again after this restart.
    ASSERT_TRUE(kiosk.wait_for_message("live with", wait_limit, live_before + 1))
        << kiosk.messages();
  }
  // Some kills did land mid-request (the kiosk retried a press).
  EXPECT_GT(kiosk.message_count("retrying with the same key"), 0u) << kiosk.messages();
  // Every number issued was printed and logged once, none reused; most
  // presses got one.
  const auto lines = kiosk.ticket_lines();
  EXPECT_GE(lines.size(), static_cast<std::size_t>(presses / 2)) << kiosk.messages();
  EXPECT_EQ(lines.size() + refused, static_cast<std::size_t>(presses));
  const auto issued = tickets_from(port, kiosk_device);
  ASSERT_EQ(issued.size(), lines.size()) << kiosk.messages();
  std::set<std::string> numbers;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = parse_line(lines[i]);
    EXPECT_EQ(line.number, issued[i].number());
    numbers.insert(line.category + line.number);
  }
  EXPECT_EQ(numbers.size(), lines.size());
  EXPECT_EQ(read_printed(printed, dir.path() / "jobs").size(), lines.size()) << kiosk.messages();
}

TEST(HeadlessKiosk, ScreenshotOfTheStartPageNamesTheCategories) {
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto png = dir.path() / "start.png";
  auto flags =
      fast_flags(server.port(), dir.path() / "state", "file:" + (dir.path() / "p.bin").string());
  flags.insert(flags.end(), {"--size", "1920x1080", "--screenshot", png.string()});
  kiosk_process kiosk(flags);
  ASSERT_EQ(kiosk.wait_for_exit(wait_limit), 0) << kiosk.messages();
  std::string error;
  const auto picture = ui::load_png(png, &error);
  ASSERT_TRUE(picture) << error;
  EXPECT_EQ(picture->width, 1920);
  EXPECT_EQ(picture->height, 1080);
  // Read back by tesseract's Vietnamese model, diacritics and all.
  const auto read = read_text(png);
  for (const char* words : {"Chọn lĩnh vực", "Lao động", "Người có công", "Người cao tuổi"}) {
    EXPECT_NE(read.find(words), std::string::npos) << words << " not in:\n" << read;
  }
}

}  // namespace
}  // namespace luot::kiosk::testing
