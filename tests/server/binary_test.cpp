// The real luot-server program: flags and start-up failures.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "support.hpp"

namespace luot::testing {
namespace {

struct run_result {
  int exit_code = -1;
  std::string output;
};

// Runs the program with `arguments` (already shell-quoted) and `input` on
// stdin, capturing stdout and stderr together or just stderr.
run_result run(const std::string& arguments, bool stderr_only = false,
               const std::string& input = {}) {
  const std::string command = "printf '" + input + "' | '" + LUOT_SERVER_BINARY + "' " + arguments +
                              (stderr_only ? " 2>&1 >/dev/null" : " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  run_result result;
  std::array<char, 4096> chunk{};
  while (const auto read = std::fread(chunk.data(), 1, chunk.size(), pipe)) {
    result.output.append(chunk.data(), read);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(Binary, PrintsItsVersion) {
  const auto result = run("--version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "luot-server 0.1.0\n");
}

TEST(Binary, BrokenConfigNamesFileAndLineAndExitsWith1) {
  temp_dir dir;
  const auto file = dir.path() / "broken.toml";
  std::ofstream(file) << "[centre]\nname = \"Trung tâm\"\ntime_zone = = \"Asia/Ho_Chi_Minh\"\n";
  const auto result = run("--config '" + file.string() + "' --database '" +
                              (dir.path() / "luot.db").string() + "' --port 0",
                          true);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find(file.string() + ":3"), std::string::npos) << result.output;
  // One clear line.
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
}

TEST(Binary, UsageErrorsExitWith1) {
  EXPECT_EQ(run("--no-such-flag", true).exit_code, 1);
  EXPECT_EQ(run("--port 70000 --config x.toml", true).exit_code, 1);
  EXPECT_EQ(run("", true).exit_code, 1);
}

TEST(Binary, APortInUseIsOneClearLine) {
  temp_dir dir;
  running_server occupant(test_settings(dir.path() / "occupant.db"));
  const auto file = dir.path() / "centre.toml";
  std::ofstream(file) << R"([centre]
name = "Trung tâm"

[[categories]]
code = "A"
name_vi = "Lao động"
name_en = "Labour"
format = { prefix = "A", width = 3 }

[[counters]]
id = "1"
name_vi = "Quầy 1"
name_en = "Counter 1"
categories = ["A"]
)";
  const auto result =
      run("--config '" + file.string() + "' --database '" + (dir.path() / "luot.db").string() +
              "' --port " + std::to_string(occupant.port()),
          true);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.output, "luot-server: cannot listen on 127.0.0.1:" +
                               std::to_string(occupant.port()) + ": Address already in use\n");
}

TEST(Binary, ACounterRemovedWhileServingStopsTheStartWithAClearLine) {
  temp_dir dir;
  const auto database = dir.path() / "luot.db";
  {
    running_server before(test_settings(database));
    take_ticket(before.port(), "B");
    const auto token = sign_in(before.port(), "lan", "3");
    counter_action(before.port(), token, "3", "call-next");
  }
  // The manager deletes counter 3 from the config while it serves B001.
  const auto file = dir.path() / "centre.toml";
  std::ofstream(file) << R"([centre]
name = "Trung tâm thử nghiệm"

[[categories]]
code = "A"
name_vi = "Lao động – Việc làm"
name_en = "Labour"
format = { prefix = "A", width = 3 }

[[categories]]
code = "B"
name_vi = "Người có công"
name_en = "Merit"
format = { prefix = "B", width = 3 }

[[counters]]
id = "1"
name_vi = "Quầy 1"
name_en = "Counter 1"
categories = ["A", "B"]
)";
  const auto result =
      run("--config '" + file.string() + "' --database '" + database.string() + "' --port 0", true);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("counter \"3\" is not in the config but is serving B001"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
}

TEST(Binary, MissingConfigFileExitsWith1) {
  const auto result = run("--config /nonexistent/luot.toml", true);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("/nonexistent/luot.toml"), std::string::npos) << result.output;
}

TEST(Binary, HashPasswordPrintsAnArgon2idString) {
  const auto result = run("hash-password", false, "mat-khau\\n");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output.rfind("$argon2id$", 0), 0u) << result.output;
}

}  // namespace
}  // namespace luot::testing
