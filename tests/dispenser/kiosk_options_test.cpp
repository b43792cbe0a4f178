// luot-dispenser's command line: the flags the issue fixes, and a clear
// error naming what is wrong for anything else.
#include "kiosk/kiosk_options.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "../server/support.hpp"
#include "kiosk/documents_file.hpp"

namespace luot::kiosk {
namespace {

command_line parse(std::vector<std::string> words) {
  words.insert(words.begin(), "luot-dispenser");
  std::vector<const char*> argv;
  for (const auto& word : words) argv.push_back(word.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

const std::vector<std::string> required = {"--server", "http://10.0.0.2:8080", "--token", "t0k"};

std::vector<std::string> with(std::vector<std::string> extra) {
  auto words = required;
  words.insert(words.end(), extra.begin(), extra.end());
  return words;
}

TEST(KioskOptions, ReadsEveryFlagOfTheContract) {
  const auto parsed = parse(with({"--printer",
                                  "tcp:192.168.1.50:9100",
                                  "--paper",
                                  "58",
                                  "--headless",
                                  "--lang",
                                  "en",
                                  "--size",
                                  "1920x1080",
                                  "--fullscreen",
                                  "--public-url",
                                  "https://luot.example.vn/",
                                  "--hotline",
                                  "1900 1234",
                                  "--state-dir",
                                  "/tmp/k",
                                  "--key",
                                  "1=LDVL",
                                  "--key",
                                  "2=NCC:cao-tuoi",
                                  "--cut",
                                  "full",
                                  "--qr",
                                  "printer",
                                  "--retry-seconds",
                                  "0.5",
                                  "--voice",
                                  "espeak",
                                  "--dialect",
                                  "south"}));
  ASSERT_TRUE(std::holds_alternative<kiosk_options>(parsed))
      << std::get<command_line_exit>(parsed).text;
  const auto& options = std::get<kiosk_options>(parsed);
  EXPECT_EQ(options.server_url, "http://10.0.0.2:8080");
  EXPECT_EQ(options.token, "t0k");
  EXPECT_EQ(options.printer.kind, printer::printer_kind::tcp);
  EXPECT_EQ(options.printer.host, "192.168.1.50");
  EXPECT_EQ(options.paper, printer::paper_width::mm58);
  EXPECT_EQ(options.mode, run_mode::headless);
  EXPECT_EQ(options.language, text::language::en);
  EXPECT_EQ(options.size, (screen_size{1920, 1080}));
  EXPECT_EQ(options.window, window_mode::fullscreen);
  EXPECT_EQ(options.public_url, "https://luot.example.vn");
  EXPECT_EQ(options.hotline, "1900 1234");
  EXPECT_EQ(options.state_directory, std::filesystem::path("/tmp/k"));
  EXPECT_EQ(options.cut, printer::cut_kind::full);
  EXPECT_EQ(options.qr, printer::qr_rendering::printer);
  EXPECT_EQ(options.timing.retry, std::chrono::milliseconds(500));
  EXPECT_EQ(options.voice, "espeak");
  EXPECT_EQ(options.dialect, speech::dialect::south);
  ASSERT_EQ(options.keys.size(), 2u);
  EXPECT_EQ(options.keys[1], (key_binding{"2", "NCC", "cao-tuoi"}));
}

TEST(KioskOptions, DefaultsSuitATouchScreenOnAUsbPrinter) {
  const auto parsed = parse(required);
  ASSERT_TRUE(std::holds_alternative<kiosk_options>(parsed));
  const auto& options = std::get<kiosk_options>(parsed);
  EXPECT_EQ(options.mode, run_mode::screen);
  EXPECT_EQ(options.printer.to_string(), "usb:/dev/usb/lp0");
  EXPECT_EQ(options.paper, printer::paper_width::mm80);
  EXPECT_EQ(options.language, text::language::vi);
  EXPECT_EQ(options.size, (screen_size{1080, 1920}));
  EXPECT_TRUE(options.size.portrait());
  // The status URL's base is the server's address unless told otherwise.
  EXPECT_EQ(options.public_url, "http://10.0.0.2:8080");
  EXPECT_FALSE(options.state_directory.empty());
}

TEST(KioskOptions, ScreenshotDrawsOnceAndIsNotHeadless) {
  const auto parsed = parse(with({"--screenshot", "start.png"}));
  ASSERT_TRUE(std::holds_alternative<kiosk_options>(parsed));
  EXPECT_EQ(std::get<kiosk_options>(parsed).mode, run_mode::screenshot);
  EXPECT_EQ(std::get<kiosk_options>(parsed).screenshot, std::filesystem::path("start.png"));
}

TEST(KioskOptions, RefusesBadInputWithAClearMessage) {
  struct refusal {
    std::vector<std::string> words;
    std::string expected;
  };
  const refusal cases[] = {
      {{"--token", "t"}, "Thiếu --server"},
      {{"--server", "ftp://x", "--token", "t"}, "Địa chỉ máy chủ \"ftp://x\" không hợp lệ"},
      {{"--server", "http://x:1"}, "Thiếu --token"},
      {with({"--paper", "76"}), "Khổ giấy \"76\" không hợp lệ; dùng 80 hoặc 58."},
      {with({"--lang", "fr"}), "Ngôn ngữ \"fr\" không hợp lệ"},
      {with({"--lang", "en", "--paper", "76"}), "Paper width \"76\" is not valid"},
      {with({"--size", "1080"}), "Kích thước màn hình \"1080\" không hợp lệ"},
      {with({"--size", "0x10"}), "Kích thước màn hình \"0x10\" không hợp lệ"},
      {with({"--size", "1080x1920x3"}), "không hợp lệ"},
      {with({"--printer", "lpt:1"}), "Kiểu máy in \"lpt\" không hợp lệ"},
      {with({"--key", "1"}), "Phím \"1\" không hợp lệ"},
      {with({"--key", "1=LD VL"}), "Phím \"1=LD VL\" không hợp lệ"},
      {with({"--public-url", "luot.vn"}), "Địa chỉ công khai \"luot.vn\" không hợp lệ"},
      {with({"--headless", "--screenshot", "x.png"}), "--screenshot"},
      {with({"--qr", "both"}), "raster hoặc printer"},
      {with({"--cut", "half"}), "partial hoặc full"},
      {with({"--retry-seconds", "0"}), "Thời gian \"0\" không hợp lệ"},
      {with({"--dialect", "central"}), "Giọng đọc số \"central\" không hợp lệ"},
      {with({"--documents", "/no/such/file.toml"}), "Không đọc được danh sách giấy tờ"},
      {with({"--no-such-flag"}), "--no-such-flag"},
  };
  for (const auto& [words, expected] : cases) {
    SCOPED_TRACE(::testing::PrintToString(words));
    const auto parsed = parse(words);
    ASSERT_TRUE(std::holds_alternative<command_line_exit>(parsed));
    const auto& exit = std::get<command_line_exit>(parsed);
    EXPECT_EQ(exit.code, 1);
    EXPECT_NE(exit.text.find(expected), std::string::npos) << exit.text;
  }
}

TEST(KioskOptions, HelpNamesTheFlagsAndExitsZero) {
  const auto parsed = parse({"--help"});
  ASSERT_TRUE(std::holds_alternative<command_line_exit>(parsed));
  const auto& exit = std::get<command_line_exit>(parsed);
  EXPECT_EQ(exit.code, 0);
  for (const char* flag : {"--server", "--token", "--printer", "--paper", "--headless", "--lang",
                           "--size", "--fullscreen", "--screenshot"}) {
    EXPECT_NE(exit.text.find(flag), std::string::npos) << flag;
  }
}

TEST(KioskOptions, ALaterFlagWinsAndKeysAccumulate) {
  const auto parsed =
      parse(with({"--paper", "58", "--paper", "80", "--key", "1=A", "--key", "2=B"}));
  ASSERT_TRUE(std::holds_alternative<kiosk_options>(parsed))
      << std::get<command_line_exit>(parsed).text;
  EXPECT_EQ(std::get<kiosk_options>(parsed).paper, printer::paper_width::mm80);
  EXPECT_EQ(std::get<kiosk_options>(parsed).keys.size(), 2u);
}

TEST(KioskOptions, ParsesKeyBindingsAndSizes) {
  EXPECT_EQ(parse_key_binding("7=TKQ"), (key_binding{"7", "TKQ", ""}));
  EXPECT_EQ(parse_key_binding("F1=NCC:nguoi-co-cong"), (key_binding{"F1", "NCC", "nguoi-co-cong"}));
  EXPECT_FALSE(parse_key_binding("=TKQ"));
  EXPECT_FALSE(parse_key_binding("1="));
  EXPECT_FALSE(parse_key_binding("1=A:"));
  EXPECT_EQ(parse_screen_size("1080x1920"), (screen_size{1080, 1920}));
  EXPECT_FALSE(parse_screen_size("x1920"));
  EXPECT_FALSE(parse_screen_size("99999x10"));
  EXPECT_FALSE(parse_screen_size("-5x10"));
}

TEST(DocumentsFile, ReadsTheListsPerCategory) {
  const auto read = parse_documents(R"(
# Giấy tờ cần mang theo
[documents]
LDVL = ["Căn cước công dân", "Sổ bảo hiểm xã hội"]
TKQ = ["Giấy hẹn trả kết quả"]
)",
                                    "documents.toml");
  ASSERT_EQ(read.error, "");
  ASSERT_EQ(read.lists.size(), 2u);
  EXPECT_EQ(read.lists.at("LDVL"),
            (std::vector<std::string>{"Căn cước công dân", "Sổ bảo hiểm xã hội"}));
  EXPECT_EQ(read.lists.at("TKQ").front(), "Giấy hẹn trả kết quả");
}

TEST(DocumentsFile, RefusesWhatItCannotUse) {
  const std::pair<std::string, std::string> cases[] = {
      {"[documents]\nLDVL = \"CCCD\"\n", "must be a list of strings"},
      {"[documents]\nLDVL = [\"\"]\n", "non-empty strings"},
      {"[documents]\nLDVL = [1]\n", "non-empty strings"},
      {"[docs]\nLDVL = [\"a\"]\n", "unknown table [docs]"},
      {"[documents\n", "line 1"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    const auto read = parse_documents(text, "documents.toml");
    EXPECT_NE(read.error.find(expected), std::string::npos) << read.error;
    EXPECT_TRUE(read.lists.empty());
  }
}

TEST(DocumentsFile, TheFlagLoadsTheFile) {
  luot::testing::temp_dir dir;
  const auto file = dir.path() / "documents.toml";
  std::ofstream(file) << "[documents]\nA = [\"Tờ khai\"]\n";
  const auto parsed = parse(with({"--documents", file.string()}));
  ASSERT_TRUE(std::holds_alternative<kiosk_options>(parsed));
  EXPECT_EQ(std::get<kiosk_options>(parsed).documents.at("A").front(), "Tờ khai");
}

}  // namespace
}  // namespace luot::kiosk
