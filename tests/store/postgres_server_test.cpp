// The real luot-server program on PostgreSQL: started with --database
// postgresql://..., it hands out tickets over HTTP, and after a SIGKILL and
// after a clean stop it comes back with every ticket, every call and its
// numbering where they were.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "postgres_instance.hpp"
#include "server_process.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// luot-server as a child process, like server_process (which always hands
// it a SQLite file), with --database set to a URL.
class server_on_postgres {
 public:
  server_on_postgres(std::filesystem::path directory, std::string database)
      : directory_(std::move(directory)), database_(std::move(database)) {
    std::ofstream(directory_ / "centre.toml") << test_centre_toml();
  }
  ~server_on_postgres() { kill(); }
  server_on_postgres(const server_on_postgres&) = delete;
  server_on_postgres& operator=(const server_on_postgres&) = delete;

  // Starts the program on a free port and waits until it listens.
  void start() {
    const auto log_file = directory_ / ("server-" + std::to_string(++runs_) + ".log");
    std::vector<std::string> arguments = {LUOT_SERVER_BINARY,
                                          "--config",
                                          (directory_ / "centre.toml").string(),
                                          "--database",
                                          database_,
                                          "--port",
                                          "0"};
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const int output = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (output < 0) throw std::runtime_error("cannot create " + log_file.string());
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      if (::dup2(output, STDOUT_FILENO) < 0 || ::dup2(output, STDERR_FILENO) < 0) ::_exit(127);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(output);
    if (pid_ < 0) throw std::runtime_error("fork failed");
    static constexpr std::string_view marker = "listening on 127.0.0.1:";
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("luot-server exited at start:\n" + log());
      }
      const std::string text = log();
      if (const auto at = text.find(marker); at != std::string::npos) {
        const char* end = text.data() + text.size();
        const auto parsed = std::from_chars(text.data() + at + marker.size(), end, port_);
        if (parsed.ec == std::errc{} && parsed.ptr != end) return;
      }
      std::this_thread::sleep_for(10ms);
    }
    throw std::runtime_error("luot-server did not listen within 60 s:\n" + log());
  }

  // SIGTERM: the program commits what it has and exits 0.
  int stop() { return end(SIGTERM); }
  int kill() { return end(SIGKILL); }

  std::uint16_t port() const { return port_; }
  std::string log() const {
    return read_file(directory_ / ("server-" + std::to_string(runs_) + ".log"));
  }

 private:
  int end(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

  std::filesystem::path directory_;
  std::string database_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int runs_ = 0;
};

v1::Ticket follow(std::uint16_t port, const v1::Ticket& ticket) {
  const auto reply = http_call(port, "GET", "/api/v1/tickets/" + ticket.status_token());
  EXPECT_EQ(reply.status, 200u) << reply.body;
  return parse<v1::Ticket>(reply.body);
}

TEST(PostgresServer, KeepsTicketsCallsAndNumberingAcrossRestarts) {
  auto& postgres = shared_postgres();
  const auto database = postgres.create_database("server");
  const temp_dir directory;
  server_on_postgres server(directory.path(), postgres.url(database));

  server.start();
  const auto first = take_ticket(server.port(), "A");
  const auto second = take_ticket(server.port(), "A");
  const auto merit = take_ticket(server.port(), "B");
  EXPECT_EQ(first.number(), "A001");
  EXPECT_EQ(second.number(), "A002");
  EXPECT_EQ(merit.number(), "B001");
  const auto called =
      counter_action(server.port(), sign_in(server.port(), "lan", "1"), "1", "call-next");
  ASSERT_EQ(called.ticket().id(), first.id());

  // Killed: only what PostgreSQL committed can come back, and it all must.
  server.kill();
  server.start();
  EXPECT_EQ(follow(server.port(), first).state(), v1::TICKET_STATE_CALLED) << server.log();
  EXPECT_EQ(follow(server.port(), first).counter(), "1");
  EXPECT_EQ(follow(server.port(), second).state(), v1::TICKET_STATE_WAITING);
  EXPECT_EQ(follow(server.port(), merit).number(), "B001");
  EXPECT_EQ(take_ticket(server.port(), "A").number(), "A003");

  // Stopped cleanly.
  EXPECT_EQ(server.stop(), 0) << server.log();
  server.start();
  EXPECT_EQ(take_ticket(server.port(), "B").number(), "B002");
  const auto officer = sign_in(server.port(), "lan", "1");
  counter_action(server.port(), officer, "1", "finish", R"({"outcome":"done"})");
  const auto then = counter_action(server.port(), officer, "1", "call-next");
  EXPECT_EQ(then.ticket().id(), second.id()) << "the queue did not go on where it was";

  // The log is in PostgreSQL, one seq after another.
  const auto count_and_last =
      postgres.rows(database, "SELECT count(*), max(seq), min(seq) FROM events");
  ASSERT_EQ(count_and_last.size(), 1U);
  EXPECT_EQ(count_and_last[0][0], count_and_last[0][1]);
  EXPECT_EQ(count_and_last[0][2], "1");
  EXPECT_EQ(postgres.value(database, "SELECT count(*) FROM events WHERE kind = 'ticket_issued'"),
            "5");
  EXPECT_EQ(postgres.value(database, "SELECT count(*) FROM events WHERE kind = 'ticket_called'"),
            "2");
}

}  // namespace
}  // namespace luot::testing
