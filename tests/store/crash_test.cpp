// Kills a process that is taking tickets (tests/store/crash_child.cpp) with
// SIGKILL at several points and checks the non-negotiable: a number handed
// out is never lost and never handed to anyone else that day.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "crash_centre.hpp"
#include "store/recovery.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

extern char** environ;

namespace luot::store {
namespace {

using testing::temporary_directory;

// A ticket the child acknowledged: what a citizen would hold in hand.
struct acknowledged_ticket {
  std::string category;
  std::string number;
};

// How one round of the crash test runs.
struct kill_round {
  // Acknowledgements to wait for before the kill.
  std::size_t wanted;
  // Events between snapshots in the child; zero for none.
  std::uint64_t snapshot_interval;
};

// Runs the child on `database` until it has acknowledged at least
// `plan.wanted` tickets, kills it with SIGKILL, and returns every
// acknowledgement it printed before dying.
std::map<std::uint64_t, acknowledged_ticket> run_and_kill(const std::filesystem::path& database,
                                                          const kill_round& plan) {
  int pipe_ends[2];
  if (pipe2(pipe_ends, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2 failed";
    return {};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  const std::string child = LUOT_STORE_CRASH_CHILD;
  const std::string database_argument = database.string();
  const std::string morning = std::to_string(testing::centre_morning().time_since_epoch().count());
  const std::string interval = std::to_string(plan.snapshot_interval);
  std::vector<char*> arguments{
      const_cast<char*>(child.c_str()), const_cast<char*>(database_argument.c_str()),
      const_cast<char*>(morning.c_str()), const_cast<char*>(interval.c_str()), nullptr};
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, child.c_str(), &actions, nullptr, arguments.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[1]);
  if (spawned != 0) {
    close(pipe_ends[0]);
    ADD_FAILURE() << "cannot start " << child;
    return {};
  }

  std::map<std::uint64_t, acknowledged_ticket> acknowledged;
  std::string pending;
  auto take_lines = [&] {
    for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n')) {
      std::istringstream line(pending.substr(0, end));
      pending.erase(0, end + 1);
      std::string word;
      std::uint64_t seq = 0;
      acknowledged_ticket ticket;
      if (!(line >> word >> seq >> ticket.category >> ticket.number) || word != "ACK") {
        ADD_FAILURE() << "unexpected line from the child: " << line.str();
        continue;
      }
      EXPECT_TRUE(acknowledged.emplace(seq, ticket).second) << "seq " << seq << " acked twice";
    }
  };
  // Reads what is there; false at end of file or when nothing came in time.
  auto read_some = [&](int timeout_ms) {
    pollfd readable{pipe_ends[0], POLLIN, 0};
    if (poll(&readable, 1, timeout_ms) <= 0) {
      return false;
    }
    char buffer[4096];
    const ssize_t got = read(pipe_ends[0], buffer, sizeof buffer);
    if (got <= 0) {
      return false;
    }
    pending.append(buffer, static_cast<std::size_t>(got));
    take_lines();
    return true;
  };

  while (acknowledged.size() < plan.wanted && read_some(30'000)) {
  }
  EXPECT_GE(acknowledged.size(), plan.wanted) << "the child stopped acknowledging";
  kill(pid, SIGKILL);
  // Whatever it managed to print before dying was promised too.
  while (read_some(30'000)) {
  }
  close(pipe_ends[0]);
  EXPECT_TRUE(pending.empty()) << "a torn line: " << pending;
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child ended on its own with status " << status;
  return acknowledged;
}

TEST(CrashRecovery, AcknowledgedTicketsSurviveSigkillAndNumbersAreNeverReused) {
  const temporary_directory directory;
  const auto database = directory.file("luot.db");
  std::map<std::uint64_t, acknowledged_ticket> every_acknowledgement;
  // Later rounds start from the state the earlier ones left behind: from a
  // snapshot plus a short tail, or from an old snapshot plus a long one.
  const std::vector<kill_round> rounds{{300, 50}, {137, 0}, {451, 333}};
  for (const auto& plan : rounds) {
    SCOPED_TRACE("round killed after " + std::to_string(plan.wanted) +
                 " acknowledgements, snapshots every " + std::to_string(plan.snapshot_interval));
    const auto acknowledged = run_and_kill(database, plan);
    ASSERT_FALSE(acknowledged.empty());
    every_acknowledgement.insert(acknowledged.begin(), acknowledged.end());

    const auto store = open_sqlite_store(database);
    std::map<std::uint64_t, v1::Ticket> issued;
    std::map<std::pair<std::string, std::string>, std::set<std::string>> numbers;  // day, category
    std::set<std::string> ticket_ids;
    std::uint64_t expected_seq = 1;
    store->read_after(0, [&](const v1::Event& event) {
      EXPECT_EQ(event.seq(), expected_seq++) << "the log has a hole";
      if (!event.has_ticket_issued()) {
        return;
      }
      const auto& ticket = event.ticket_issued().ticket();
      issued.emplace(event.seq(), ticket);
      const auto key = std::make_pair(event.service_day(), ticket.category());
      EXPECT_TRUE(ticket_ids.insert(ticket.id()).second)
          << "ticket id " << ticket.id() << " reused";
      EXPECT_TRUE(numbers[key].insert(ticket.number()).second)
          << ticket.number() << " of " << ticket.category() << " issued twice on "
          << event.service_day();
    });

    // Every round ran inside one service day, so numbering never restarted.
    EXPECT_EQ(numbers.size(), 2U) << "tickets spread over more than one service day";

    // Every acknowledged ticket is in the log, exactly as the citizen has it.
    for (const auto& [seq, ticket] : every_acknowledgement) {
      const auto found = issued.find(seq);
      ASSERT_NE(found, issued.end()) << "acknowledged seq " << seq << " was lost";
      EXPECT_EQ(found->second.category(), ticket.category) << "seq " << seq;
      EXPECT_EQ(found->second.number(), ticket.number) << "seq " << seq;
    }
    EXPECT_GE(store->last_seq(), every_acknowledgement.rbegin()->first);
    std::cout << "[ crash ] killed after " << acknowledged.size() << " acknowledgements; log holds "
              << store->last_seq() << " events, "
              << store->last_seq() - every_acknowledgement.rbegin()->first
              << " durable but unacknowledged at the kill\n";

    // The recovered centre continues numbering past everything in the log.
    core::engine engine(testing::crash_centre(), testing::random_tokens());
    recover(engine, *store);
    EXPECT_EQ(engine.seq(), store->last_seq());
    const auto later =
        testing::centre_morning() +
        std::chrono::milliseconds(10 * static_cast<std::int64_t>(store->last_seq() + 1));
    for (const std::string category : {"A", "B"}) {
      SCOPED_TRACE("category " + category);
      const auto decided =
          engine.execute(testing::take_ticket(category), later, core::actor{"kiosk-check"});
      ASSERT_TRUE(decided.ok()) << "code " << decided.failure().code;
      bool saw_ticket = false;
      for (const auto& event : decided->events) {
        if (event.has_ticket_issued()) {
          saw_ticket = true;
          const auto& number = event.ticket_issued().ticket().number();
          const auto key = std::make_pair(event.service_day(), category);
          EXPECT_EQ(numbers[key].count(number), 0U)
              << number << " would be handed out a second time";
          EXPECT_EQ(ticket_ids.count(event.ticket_issued().ticket().id()), 0U)
              << "ticket id " << event.ticket_issued().ticket().id() << " would be reused";
        }
      }
      EXPECT_TRUE(saw_ticket);
    }
  }
}

}  // namespace
}  // namespace luot::store
