// The command line is a contract (issue 7): the flags, their checks, and
// the decision to say a call or only show it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "program/announced_seq_file.hpp"
#include "program/call_announcer.hpp"
#include "program/display_options.hpp"
#include "sample_view.hpp"

namespace luot::display {
namespace {

using namespace std::chrono_literals;

command_line parse(std::vector<std::string> words) {
  words.insert(words.begin(), "luot-display");
  std::vector<const char*> argv;
  for (const auto& word : words) argv.push_back(word.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

TEST(DisplayOptions, TheIssuesFlagsAreUnderstood) {
  const auto parsed =
      parse({"--server", "http://10.0.0.2:8080", "--token", "abc", "--layout", "counter",
             "--counter", "5", "--fullscreen", "--size", "800x480", "--lang", "en", "--dialect",
             "south", "--voice", "none", "--screenshot", "/tmp/x.png"});
  ASSERT_TRUE(std::holds_alternative<display_options>(parsed))
      << std::get<command_line_exit>(parsed).message;
  const auto& options = std::get<display_options>(parsed);
  EXPECT_EQ(options.server_url, "http://10.0.0.2:8080");
  EXPECT_EQ(options.token, "abc");
  EXPECT_EQ(options.layout, layout_kind::counter);
  EXPECT_EQ(options.counter_id, "5");
  EXPECT_EQ(options.zone, std::vector<std::string>{"5"});
  EXPECT_EQ(options.screen, ui::screen_mode::fullscreen);
  EXPECT_EQ(default_size(options), (ui::size{800, 480}));
  EXPECT_EQ(options.language, text::language::en);
  EXPECT_EQ(options.reading.dialect, speech::dialect::south);
  EXPECT_EQ(options.voice, "none");
  EXPECT_EQ(options.mode, run_mode::screenshot);
  EXPECT_EQ(options.screenshot, "/tmp/x.png");

  const auto print = parse({"--print-announcement", "1021", "5", "--dialect", "south"});
  ASSERT_TRUE(std::holds_alternative<display_options>(print));
  EXPECT_EQ(std::get<display_options>(print).mode, run_mode::print_announcement);
  EXPECT_EQ(std::get<display_options>(print).announce_number, "1021");
  EXPECT_EQ(std::get<display_options>(print).announce_counter, "5");
}

TEST(DisplayOptions, BadInputGetsOneClearLineAndExitCodeTwo) {
  struct example {
    std::vector<std::string> words;
    const char* says;
  };
  const example examples[] = {
      {{"--token", "t"}, "--server"},
      {{"--server", "ftp://x", "--token", "t"}, "ftp://x"},
      {{"--server", "http://h:1"}, "--token"},
      {{"--server", "http://h:1", "--token", "t", "--layout", "wall"}, "wall"},
      {{"--server", "http://h:1", "--token", "t", "--layout", "counter"}, "--counter"},
      {{"--server", "http://h:1", "--token", "t", "--size", "1920"}, "1920"},
      {{"--server", "http://h:1", "--token", "t", "--dialect", "central"}, "central"},
      {{"--server", "http://h:1", "--token", "t", "--lang", "fr"}, "fr"},
      {{"--server", "http://h:1", "--token", "t", "--repeat", "9"}, "--repeat"},
      {{"--print-announcement", "1021"}, "print-announcement"},
      {{"--no-such-flag"}, "no-such-flag"},
  };
  for (const auto& one : examples) {
    SCOPED_TRACE(one.says);
    const auto parsed = parse(one.words);
    ASSERT_TRUE(std::holds_alternative<command_line_exit>(parsed));
    const auto& exit = std::get<command_line_exit>(parsed);
    EXPECT_EQ(exit.code, 2);
    EXPECT_NE(exit.message.find(one.says), std::string::npos) << exit.message;
  }
}

TEST(CallDecision, LiveCallsAreSaidResyncedOnesOnlyWhenRecent) {
  const auto now = testing::sample_now();
  struct example {
    device::call_origin origin;
    std::chrono::seconds age;
    call_decision expected;
  };
  const example examples[] = {
      {device::call_origin::live, 0s, call_decision::announce},
      // A live call is said even when the server's clock is off.
      {device::call_origin::live, 600s, call_decision::announce},
      {device::call_origin::missed, 20s, call_decision::announce},
      {device::call_origin::missed, 60s, call_decision::announce},
      {device::call_origin::missed, 61s, call_decision::show_only},
      {device::call_origin::before_start, 30s, call_decision::announce},
      {device::call_origin::before_start, 3600s, call_decision::show_only},
  };
  for (const auto& one : examples) {
    SCOPED_TRACE(::testing::Message() << device::to_string(one.origin) << " " << one.age.count());
    const auto call = testing::make_call(10, "A001", "1", now - one.age);
    EXPECT_EQ(decide(call, one.origin, now, 60s), one.expected);
  }
}

TEST(AnnouncedSeqFile, KeepsTheLastSeqAcrossRestartsAndIgnoresGarbage) {
  const auto dir = std::filesystem::temp_directory_path() / "luot-display-seq-test";
  std::filesystem::remove_all(dir);
  announced_seq_file file(dir / "nested");
  EXPECT_FALSE(file.load().has_value());
  file.store(41);
  file.store(42);
  EXPECT_EQ(announced_seq_file(dir / "nested").load(), 42u);
  std::ofstream(file.path()) << "forty-two";
  EXPECT_FALSE(file.load().has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace luot::display
