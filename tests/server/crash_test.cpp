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

#include "server_process.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto round_timeout = 120s;
constexpr int client_threads = 4;
// Three rounds of 400 pass the server's snapshot interval (1000 events), so
// the last restart loads a snapshot and replays the tail instead of the
// whole log: both recovery paths are killed into.
constexpr std::size_t tickets_per_round = 400;
constexpr int kill_rounds = 3;
const std::vector<std::string> categories = {"A", "B"};

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
    try {
      server_.start();
    } catch (const std::exception& failure) {
      ADD_FAILURE() << failure.what();
      return 0;
    }
    return server_.port();
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << "last server output:\n" << server_.log();
    server_.kill();
  }

  temp_dir dir_;
  // Four-digit numbers: three rounds of 400 tickets pass A999.
  server_process server_{dir_.path(), test_centre_toml(4)};
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
    const int status = server_.kill();
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
