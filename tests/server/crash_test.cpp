// The real luot-server program killed with SIGKILL while citizens take
// tickets: every ticket it acknowledged survives the restart with its number,
// and no number is handed out twice.
//
// What this catches: the server answers 201 only after the group committer
// has written the ticket's transaction to SQLite. Four clients keep the
// committer busy, so at the moment of the kill a batch is almost always
// between "executed by the engine" and "committed". If the reply were sent
// before the commit (from the engine strand, or before the committer took
// the batch), those clients would already hold 201s for tickets the log never
// got, and the restart would not find them or would hand their numbers out
// again; with several kills per run that shows up nearly every time. What a
// process kill cannot catch is a reply after write() but before fsync: the
// kernel still holds the page, so only a power cut would lose it.
#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "support.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;

// Generous: CI runs this on two loaded cores next to other suites.
constexpr auto start_timeout = 60s;
constexpr auto round_timeout = 120s;
constexpr int client_threads = 4;
// Three rounds of 400 pass the server's snapshot interval (1000 events), so
// the last restart loads a snapshot and replays the tail instead of the
// whole log: both recovery paths are killed into.
constexpr std::size_t tickets_per_round = 400;
constexpr int kill_rounds = 3;
const std::vector<std::string> categories = {"A", "B"};

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Polls `condition` until it holds or `timeout` passes: for things a child
// process does that nobody can notify us of (a log line appearing).
template <typename Condition>
bool poll_until(std::chrono::steady_clock::duration timeout, Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Local "HH:MM" twelve hours from now in Asia/Ho_Chi_Minh (UTC+7, no daylight
// saving): the service day must not close and renumber in the middle of the
// test, whatever hour CI runs it.
std::string reset_time_far_from_now() {
  const auto seconds = static_cast<long long>(std::time(nullptr));
  const long long local = (seconds + 7 * 3600 + 12 * 3600) % 86400;
  char text[8];
  std::snprintf(text, sizeof text, "%02lld:%02lld", local / 3600, local % 3600 / 60);
  return text;
}

// A centre with two always-open categories and one counter; the take-ticket
// limit is per remote address and every client here is 127.0.0.1, so it is
// set to the loader's maximum.
std::string centre_toml() {
  return R"([centre]
name = "Trung tâm thử nghiệm"
time_zone = "Asia/Ho_Chi_Minh"
reset_time = ")" +
         reset_time_far_from_now() + R"("

[server]
address = "127.0.0.1"
io_threads = 2
take_ticket_per_minute = 100000

[[categories]]
code = "A"
name_vi = "Lao động – Việc làm"
name_en = "Labour"
format = { prefix = "A", width = 4 }
hours = "always"

[[categories]]
code = "B"
name_vi = "Người có công"
name_en = "Merit"
format = { prefix = "B", width = 4 }
hours = "always"

[[counters]]
id = "1"
name_vi = "Quầy 1"
name_en = "Counter 1"
categories = ["A", "B"]
)";
}

// One luot-server child process, its output in `log`. Killed with SIGKILL on
// destruction if still running, so a failing test leaves nothing behind; it
// also dies if the thread that started it does (PR_SET_PDEATHSIG).
class server_process {
 public:
  server_process(const std::filesystem::path& config, const std::filesystem::path& database,
                 std::filesystem::path log)
      : log_(std::move(log)) {
    // Everything the child needs is prepared before fork: between fork and
    // exec only async-signal-safe calls are allowed.
    std::vector<std::string> arguments = {
        LUOT_SERVER_BINARY, "--config", config.string(), "--database", database.string(),
        "--port",           "0"};
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const int output = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (output < 0) throw std::runtime_error("cannot create " + log_.string());
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      const int nothing = ::open("/dev/null", O_RDONLY);
      if (nothing < 0 || ::dup2(nothing, STDIN_FILENO) < 0 || ::dup2(output, STDOUT_FILENO) < 0 ||
          ::dup2(output, STDERR_FILENO) < 0) {
        ::_exit(127);
      }
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(output);
    if (pid_ < 0) throw std::runtime_error("fork failed");
  }

  ~server_process() { kill_and_reap(); }

  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // Waits for the "listening on 127.0.0.1:PORT" line; nullopt if the child
  // exited or never said it.
  std::optional<std::uint16_t> wait_for_port() {
    static constexpr std::string_view marker = "listening on 127.0.0.1:";
    std::optional<std::uint16_t> port;
    poll_until(start_timeout, [&] {
      if (exited()) return true;
      const std::string text = read_file(log_);
      const auto at = text.find(marker);
      if (at == std::string::npos) return false;
      const char* first = text.data() + at + marker.size();
      std::uint16_t value = 0;
      const auto parsed = std::from_chars(first, text.data() + text.size(), value);
      // The line may be half written yet; wait for what follows the digits.
      if (parsed.ec != std::errc{} || parsed.ptr == text.data() + text.size()) return false;
      port = value;
      return true;
    });
    return port;
  }

  // SIGKILL, then the raw wait status; -1 when the child was already reaped
  // (never kill(-1, ...): that would signal every process of the user).
  int kill_and_reap() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

  std::string output() const { return read_file(log_); }

 private:
  bool exited() {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    pid_ = -1;
    return true;
  }

  std::filesystem::path log_;
  pid_t pid_ = -1;
};

// What a 201 told a citizen.
struct acknowledged {
  std::string id;
  std::string category;
  std::string number;
  std::string status_token;
};

// Clients taking tickets until told to stop or the server is gone. A 201
// read completely is acknowledged; a failure after the kill was never
// acknowledged and is expected; anything else before the kill is an error.
class ticket_takers {
 public:
  explicit ticket_takers(std::uint16_t port) {
    for (int client = 0; client < client_threads; ++client) {
      threads_.emplace_back([this, port, client] { take_until_stopped(port, client); });
    }
  }

  ~ticket_takers() { join(); }

  ticket_takers(const ticket_takers&) = delete;
  ticket_takers& operator=(const ticket_takers&) = delete;

  // Waits until `count` tickets are acknowledged, or a client failed.
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    return progress_.wait_for(lock, round_timeout, [&] {
      return tickets_.size() >= count || !errors_.empty();
    }) && errors_.empty();
  }

  // From now on a failed request is the kill, not a bug.
  void expect_failures() { killed_ = true; }

  void join() {
    stopping_ = true;
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

  std::vector<acknowledged> tickets() {
    const std::lock_guard lock(mutex_);
    return tickets_;
  }

  std::vector<std::string> errors() {
    const std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  void take_until_stopped(std::uint16_t port, int client) {
    for (std::size_t i = 0; !stopping_; ++i) {
      const std::string& category = categories[(i + static_cast<std::size_t>(client)) % 2];
      http_reply reply;
      try {
        reply = http_call(port, "POST", "/api/v1/tickets", R"({"category":")" + category + "\"}");
      } catch (const std::exception& failure) {
        if (!killed_)
          record_error(std::string("request failed before the kill: ") + failure.what());
        return;
      }
      if (reply.status != 201) {
        if (!killed_) record_error("status " + std::to_string(reply.status) + ": " + reply.body);
        return;
      }
      v1::Ticket ticket;
      if (!google::protobuf::util::JsonStringToMessage(reply.body, &ticket).ok() ||
          ticket.category() != category || ticket.status_token().empty()) {
        record_error("not the ticket asked for: " + reply.body);
        return;
      }
      const std::lock_guard lock(mutex_);
      tickets_.push_back({ticket.id(), ticket.category(), ticket.number(), ticket.status_token()});
      progress_.notify_all();
    }
  }

  void record_error(std::string error) {
    const std::lock_guard lock(mutex_);
    errors_.push_back(std::move(error));
    progress_.notify_all();
  }

  std::atomic<bool> stopping_ = false;
  std::atomic<bool> killed_ = false;
  std::mutex mutex_;
  std::condition_variable progress_;
  std::vector<acknowledged> tickets_;
  std::vector<std::string> errors_;
  std::vector<std::thread> threads_;
};

class ServerCrash : public ::testing::Test {
 protected:
  // Starts the binary on the shared database; fails the test if it does not
  // come up.
  std::uint16_t start() {
    server_.reset();
    const auto log = dir_.path() / ("luot-" + std::to_string(starts_++) + ".log");
    server_.emplace(config_, dir_.path() / "luot.db", log);
    const auto port = server_->wait_for_port();
    if (!port) {
      ADD_FAILURE() << "luot-server did not start:\n" << server_->output();
      return 0;
    }
    return *port;
  }

  void SetUp() override { std::ofstream(config_) << centre_toml(); }

  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "last server output:\n" << server_->output();
    server_.reset();
  }

  temp_dir dir_;
  std::filesystem::path config_ = dir_.path() / "centre.toml";
  std::optional<server_process> server_;
  int starts_ = 0;
};

// Everything acknowledged so far is still there, numbers are unique and no
// number comes back; then one more ticket per category, which joins the
// acknowledged ones.
void check_after_restart(std::uint16_t port, std::vector<acknowledged>& acknowledged_so_far) {
  std::map<std::string, std::size_t> acknowledged_per_category;
  std::map<std::string, std::set<std::string>> seen_numbers;
  // One summary line rather than hundreds of failures when many are lost.
  std::vector<std::string> lost;
  for (const auto& ticket : acknowledged_so_far) {
    ++acknowledged_per_category[ticket.category];
    seen_numbers[ticket.category].insert(ticket.number);
    const auto reply = http_call(port, "GET", "/api/v1/tickets/" + ticket.status_token);
    if (reply.status != 200) {
      lost.push_back(ticket.number);
      continue;
    }
    const auto found = parse<v1::Ticket>(reply.body);
    EXPECT_EQ(found.id(), ticket.id);
    EXPECT_EQ(found.number(), ticket.number);
    EXPECT_EQ(found.category(), ticket.category);
  }
  if (!lost.empty()) {
    ADD_FAILURE() << lost.size() << " of " << acknowledged_so_far.size()
                  << " acknowledged tickets are lost, e.g. " << lost.front();
  }
  // Every category's acknowledged numbers were distinct when handed out.
  EXPECT_EQ(seen_numbers["A"].size() + seen_numbers["B"].size(), acknowledged_so_far.size());

  const auto state = snapshot(port);
  std::map<std::string, std::set<std::string>> numbers_in_state;
  std::map<std::string, std::size_t> tickets_in_state;
  for (const auto& ticket : state.tickets()) {
    ++tickets_in_state[ticket.category()];
    EXPECT_TRUE(numbers_in_state[ticket.category()].insert(ticket.number()).second)
        << ticket.number() << " appears twice";
  }
  for (const auto& code : categories) {
    SCOPED_TRACE("category " + code);
    const auto* category = find_category(state, code);
    ASSERT_NE(category, nullptr);
    EXPECT_GE(category->issued_today(), acknowledged_per_category[code]);
    // What survives is a prefix of the log, so the snapshot holds exactly the
    // tickets numbered 1 to issued_today: a lost batch in the middle shows.
    EXPECT_EQ(category->issued_today(), tickets_in_state[code]);
    std::vector<std::string> missing;
    for (const auto& number : seen_numbers[code]) {
      if (!numbers_in_state[code].contains(number)) missing.push_back(number);
    }
    if (!missing.empty()) {
      ADD_FAILURE() << missing.size() << " acknowledged numbers are not in the snapshot, e.g. "
                    << missing.front();
    }

    const auto fresh = take_ticket(port, code);
    EXPECT_FALSE(seen_numbers[code].contains(fresh.number()))
        << fresh.number() << " was handed out before";
    EXPECT_FALSE(numbers_in_state[code].contains(fresh.number()))
        << fresh.number() << " is already in the log";
    acknowledged_so_far.push_back(
        {fresh.id(), fresh.category(), fresh.number(), fresh.status_token()});
  }
}

TEST_F(ServerCrash, AcknowledgedTicketsSurviveKillNineAndNumbersAreNotReused) {
  std::vector<acknowledged> acknowledged_so_far;
  std::uint16_t port = start();
  ASSERT_NE(port, 0);
  for (int round = 1; round <= kill_rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ticket_takers clients(port);
    const bool reached = clients.wait_for(tickets_per_round);
    // Killed while the clients are still sending: their requests in flight
    // are cut off mid-commit.
    clients.expect_failures();
    const int status = server_->kill_and_reap();
    clients.join();
    ASSERT_TRUE(reached) << "acknowledged only " << clients.tickets().size() << " tickets; "
                         << (clients.errors().empty() ? "timed out" : clients.errors().front());
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the server had already exited with status " << status;
    const auto taken = clients.tickets();
    acknowledged_so_far.insert(acknowledged_so_far.end(), taken.begin(), taken.end());

    port = start();
    ASSERT_NE(port, 0);
    check_after_restart(port, acknowledged_so_far);
    // Later rounds would only repeat the same failure.
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace luot::testing
