// Running out of file descriptors: the real luot-server, started with a low
// RLIMIT_NOFILE, is given more connections than it may open. It must keep
// running, back off rather than spin, log the failure without flooding the
// log, and accept again once descriptors free up.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "../server/server_process.hpp"
#include "../server/support.hpp"
#include "raw_socket.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

constexpr auto patience = 30s;
// Room for what the server opens itself (the database and its WAL, the
// event loop, the log) and a few dozen connections.
constexpr rlim_t file_limit = 64;
constexpr int connections_offered = 120;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t found = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++found;
  return found;
}

// The pid of the luot-server whose command line names `directory` (each
// test has its own), or -1.
pid_t server_pid(const std::filesystem::path& directory) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream file(entry.path() / "cmdline");
    std::stringstream text;
    text << file.rdbuf();
    const auto line = text.str();
    if (line.find("luot-server") != std::string::npos &&
        line.find(directory.string()) != std::string::npos) {
      return static_cast<pid_t>(std::stol(name));
    }
  }
  return -1;
}

// User plus system CPU time of `pid`, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces): state is the
  // 3rd field, utime the 14th and stime the 15th.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int index = 3; rest >> field; ++index) {
    if (index == 14 || index == 15) ticks += std::stod(field);
    if (index == 15) break;
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string with_server_keys(std::string toml, const std::string& keys) {
  const std::string table = "[server]\n";
  toml.insert(toml.find(table) + table.size(), keys);
  return toml;
}

TEST(FileLimit, RunningOutOfDescriptorsNeitherCrashesNorStopsAccepting) {
  temp_dir directory;
  server_process server(directory.path(),
                        with_server_keys(test_centre_toml(), "http_idle_seconds = 600\n"));
  {
    // Under the asan preset: UBSan's vptr check reads a vtable it has not
    // seen before only after checking, through a pipe, that the memory is
    // readable. A process out of descriptors cannot make a pipe, so there
    // every such check reports an "invalid vptr" for a valid object (seen on
    // error_code::message() and on a strand's shared_ptr as accept() failed
    // with EMFILE). The starved child alone goes without that check: the
    // preset makes vptr reports recoverable (-fsanitize-recover=vptr) so a
    // suppression can apply, and halt_on_error=1 keeps them fatal elsewhere.
    // ("vptr", the check's name, matches by location; "vptr_check" would
    // match by the object's type, which cannot be read here.) The variable
    // is set back at once.
    const auto suppressions = directory.path() / "ubsan-starved.supp";
    std::ofstream(suppressions) << "vptr:*\n";
    const char* inherited = std::getenv("UBSAN_OPTIONS");
    const bool had_options = inherited != nullptr;
    const std::string saved_options = had_options ? inherited : "";
    const std::string options = saved_options + (saved_options.empty() ? "" : ":") +
                                "suppressions=" + suppressions.string();
    ASSERT_EQ(::setenv("UBSAN_OPTIONS", options.c_str(), 1), 0);
    const auto restore_options = [&] {
      if (had_options) {
        ::setenv("UBSAN_OPTIONS", saved_options.c_str(), 1);
      } else {
        ::unsetenv("UBSAN_OPTIONS");
      }
    };
    // The child inherits the limit in force when it is forked; this test
    // process gets its own back at once (raising a soft limit up to the
    // hard one needs no privilege).
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    rlimit low = saved;
    low.rlim_cur = std::min(saved.rlim_max, file_limit);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    try {
      server.start();
    } catch (...) {
      ::setrlimit(RLIMIT_NOFILE, &saved);
      restore_options();
      throw;
    }
    restore_options();
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
  }
  const auto port = server.port();
  const pid_t pid = server_pid(directory.path());
  ASSERT_GT(pid, 0);

  // More connections than the server may hold; they stay silent (the idle
  // deadline is ten minutes, so only their closing frees descriptors).
  std::vector<raw_socket> crowd;
  for (int i = 0; i < connections_offered; ++i) crowd.emplace_back(port);
  const auto deadline = clock::now() + patience;
  while (count(server.log(), "cannot accept connections") == 0 && clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(count(server.log(), "cannot accept connections"), 1u) << server.log();
  const auto first_failure = clock::now();

  // At the limit it waits for descriptors rather than spinning on accept.
  const double cpu_before = cpu_seconds(pid);
  const auto wall_before = clock::now();
  std::this_thread::sleep_for(2s);
  const double cpu_used = cpu_seconds(pid) - cpu_before;
  const std::chrono::duration<double> wall = clock::now() - wall_before;
  EXPECT_LT(cpu_used, 0.5 * wall.count()) << "the server spins while out of descriptors";
  // And it still answers nobody new, without dying.
  EXPECT_EQ(http_get_status(port, "/healthz", 500ms), 0u);
  EXPECT_TRUE(std::filesystem::exists("/proc/" + std::to_string(pid)));

  // Descriptors free up: it accepts again, on its own.
  crowd.clear();
  unsigned status = 0;
  const auto recover_by = clock::now() + patience;
  while (status != 200 && clock::now() < recover_by) status = http_get_status(port, "/healthz", 2s);
  EXPECT_EQ(status, 200u) << server.log();

  // Logged once per episode (at most once every 10 s), never a line per
  // failed attempt.
  const std::chrono::duration<double> failing = clock::now() - first_failure;
  const auto log = server.log();
  EXPECT_LE(count(log, "cannot accept connections"),
            1 + static_cast<std::size_t>(failing.count() / 10.0) + 1)
      << log;
  EXPECT_EQ(count(log, "accepting connections again"), 1u) << log;
  EXPECT_EQ(server.stop(), 0) << log;
}

}  // namespace
}  // namespace luot::testing
