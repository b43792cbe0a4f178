#include <gtest/gtest.h>

#include <string>

#include "config/settings.hpp"

namespace luot::config {
namespace {

using namespace std::chrono_literals;

// A small valid file; each broken case below changes one thing in it.
const std::string valid = R"([centre]
name = "Trung tâm thử"
reset_time = "05:00"

[[categories]]
code = "LDVL"
name_vi = "Lao động – Việc làm"
format = { prefix = "A", width = 3 }

[[counters]]
id = "1"
categories = ["LDVL"]
)";

TEST(ConfigLoader, ReadsTheDemoCentre) {
  const settings demo = load_file(LUOT_DEMO_CONFIG);
  EXPECT_EQ(demo.centre.name, "Bộ phận Một cửa – Sở Lao động – Thương binh và Xã hội");
  EXPECT_EQ(demo.centre.time_zone, "Asia/Ho_Chi_Minh");
  EXPECT_EQ(demo.centre.reset_time, 5h);
  ASSERT_EQ(demo.centre.categories.size(), 6u);
  EXPECT_EQ(demo.centre.categories[1].name_vi, "Người có công");
  EXPECT_EQ(demo.centre.categories[5].format.style, core::number_format::kind::block);
  EXPECT_EQ(demo.centre.categories[5].format.first, 1001u);
  ASSERT_TRUE(demo.centre.categories[0].hours.has_value());
  // Monday: morning and afternoon with the noon break between.
  const auto& monday = (*demo.centre.categories[0].hours)[1];
  ASSERT_EQ(monday.size(), 2u);
  EXPECT_EQ(monday[0].begin, 7h + 30min);
  EXPECT_EQ(monday[0].end, 11h + 30min);
  EXPECT_EQ(monday[1].begin, 13h + 30min);
  EXPECT_TRUE((*demo.centre.categories[0].hours)[0].empty()) << "closed on Sunday";
  EXPECT_EQ(demo.centre.counters[3].selection, core::selection_mode::weighted);
  EXPECT_EQ(demo.centre.counters[3].weights, (std::vector<std::uint32_t>{2, 1}));
  EXPECT_EQ(demo.centre.priority.style, core::priority_policy::kind::aging);
  EXPECT_EQ(demo.centre.priority.aging_bound, 15min);
  EXPECT_EQ(demo.centre.priority_classes.size(), 5u);
  EXPECT_EQ(demo.centre.outcomes.size(), 5u);
  ASSERT_EQ(demo.staff.size(), 6u);
  EXPECT_EQ(demo.staff[5].staff_role, role::manager);
  EXPECT_EQ(demo.staff[0].counters, (std::vector<std::string>{"1", "2"}));
  ASSERT_EQ(demo.devices.size(), 2u);
  EXPECT_EQ(demo.devices[1].kind, device_kind::kiosk);
  EXPECT_EQ(demo.server.port, 8080);
}

TEST(ConfigLoader, AppliesDefaults) {
  const settings minimal = parse(valid, "minimal.toml");
  EXPECT_EQ(minimal.centre.time_zone, "Asia/Ho_Chi_Minh");
  EXPECT_FALSE(minimal.centre.categories[0].hours.has_value()) << "no [hours] means always open";
  EXPECT_EQ(minimal.centre.counters[0].name_vi, "Quầy 1");
  EXPECT_EQ(minimal.centre.categories[0].name_en, "Lao động – Việc làm");
  EXPECT_EQ(minimal.server.body_limit, server_settings{}.body_limit);
}

TEST(ConfigLoader, NamesAreReadInNfc) {
  // "Thử" typed with a decomposed accent (u + U+031B + U+0309) reads as the
  // precomposed letter U+1EED, as a request's text does.
  const std::string decomposed =
      "Trung t\u00e2m th"
      "u\u031b\u0309";
  std::string text = valid;
  const std::string from = "Trung tâm thử";
  text.replace(text.find(from), from.size(), decomposed);
  ASSERT_NE(text, valid);
  const settings read = parse(text, "nfd.toml");
  EXPECT_EQ(read.centre.name, "Trung tâm thử");
}

struct broken_case {
  std::string name;
  std::string text;
  // Expected "file:line:" prefix and a phrase of the explanation.
  std::string location;
  std::string phrase;
};

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(ConfigLoader, BrokenFilesNameFileLineAndProblem) {
  const std::vector<broken_case> cases = {
      {"syntax error", replace(valid, "reset_time = \"05:00\"", "reset_time = \"05:00"),
       "centre.toml:3:", "string"},
      {"unknown key", replace(valid, "reset_time", "reset_tme"),
       "centre.toml:3:", "unknown key \"centre.reset_tme\""},
      {"bad reset time", replace(valid, "\"05:00\"", "\"5 am\""),
       "centre.toml:3:", "centre.reset_time"},
      {"unknown time zone", replace(valid, "reset_time", "time_zone = \"Asia/Hanoi\"\nreset_time"),
       "centre.toml:3:", "unknown time zone \"Asia/Hanoi\""},
      {"missing name", replace(valid, "name = \"Trung tâm thử\"\n", ""),
       "centre.toml:1:", "missing key \"centre.name\""},
      {"duplicate category", valid + "\n[[categories]]\ncode = \"LDVL\"\nname_vi = \"x\"\n",
       "centre.toml:15:", "used twice"},
      {"no format", replace(valid, "format = { prefix = \"A\", width = 3 }\n", ""),
       "centre.toml:5:", "missing key \"categories[0].format\""},
      {"both formats", replace(valid, "width = 3", "width = 3, first = 1"),
       "centre.toml:8:", "either prefix and width"},
      {"block reversed", replace(valid, "prefix = \"A\", width = 3", "first = 1999, last = 1001"),
       "centre.toml:8:", "must not be below first"},
      {"width out of range", replace(valid, "width = 3", "width = 12"),
       "centre.toml:8:", "between 1 and 6"},
      {"unknown category on counter", replace(valid, "[\"LDVL\"]", "[\"NCC\"]"),
       "centre.toml:12:", "unknown category \"NCC\""},
      {"bad hours",
       replace(valid, "[[categories]]", "[hours]\nmon = [\"13:30-11:30\"]\n\n[[categories]]"),
       "centre.toml:6:", "ends before it begins"},
      {"overlapping hours",
       replace(valid, "[[categories]]",
               "[hours]\nmon = [\"07:30-11:30\", \"11:00-12:00\"]\n\n[[categories]]"),
       "centre.toml:6:", "must not overlap"},
      {"plain password",
       valid +
           "\n[[staff]]\nusername = \"lan\"\ndisplay_name = \"Lan\"\npassword_hash = \"secret\"\n",
       "centre.toml:17:", "argon2id"},
      {"bad role",
       valid + "\n[[staff]]\nusername = \"lan\"\ndisplay_name = \"Lan\"\npassword_hash = "
               "\"$argon2id$v=19$x\"\nrole = \"boss\"\n",
       "centre.toml:18:", "\"officer\" or \"manager\""},
      {"short device token",
       valid + "\n[[devices]]\nid = \"hall\"\nkind = \"display\"\ntoken = \"abc\"\n",
       "centre.toml:17:", "at least 16 characters"},
      {"weights mismatch",
       replace(valid, "categories = [\"LDVL\"]",
               "categories = [\"LDVL\"]\nselection = \"weighted\""),
       "centre.toml:10:", "one weight per category"},
      {"bad priority policy", valid + "\n[priority]\npolicy = \"fair\"\n",
       "centre.toml:15:", "\"strict\", \"ratio\" or \"aging\""},
      {"bad trusted proxy",
       valid + "\n[server]\ntrusted_proxies = [\"127.0.0.1\",\n  \"10.0.0.0/33\"]\n",
       "centre.toml:16:", "\"10.0.0.0/33\", which is not an address"},
      {"no counters", valid.substr(0, valid.find("[[counters]]")),
       "centre.toml:1:", "[[counters]]"},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    try {
      parse(test.text, "centre.toml");
      ADD_FAILURE() << "accepted a broken file";
    } catch (const config_error& problem) {
      const std::string message = problem.what();
      EXPECT_TRUE(message.starts_with(test.location)) << message;
      EXPECT_NE(message.find(test.phrase), std::string::npos) << message;
    }
  }
}

TEST(ConfigLoader, MissingFileIsNamed) {
  try {
    load_file("/nonexistent/centre.toml");
    FAIL() << "loaded a missing file";
  } catch (const config_error& problem) {
    EXPECT_NE(std::string(problem.what()).find("/nonexistent/centre.toml"), std::string::npos);
  }
}

}  // namespace
}  // namespace luot::config
