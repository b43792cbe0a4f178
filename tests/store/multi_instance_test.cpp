// Several real luot-server programs on one PostgreSQL database, as a
// province runs them behind a reverse proxy: any instance takes any
// command, a number is never issued twice nor a ticket called twice, every
// subscriber sees every event of the centre in order, and an instance
// killed with SIGKILL loses nothing it acknowledged while its displays
// resume on another one from their seq.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "postgres_instance.hpp"
#include "server_process.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;

// Generous: CI runs this on two loaded cores next to other suites.
constexpr auto patience = 60s;

// test_centre_toml with counters 2 and 3 and an officer at each, so three
// officers can call at once, each through another instance.
std::string three_counter_toml() {
  std::string toml = test_centre_toml();
  for (const auto& [counter, officer] : {std::pair{"2", "minh"}, std::pair{"3", "tuan"}}) {
    toml += std::string("\n[[counters]]\nid = \"") + counter + "\"\nname_vi = \"Quầy " + counter +
            "\"\nname_en = \"Counter " + counter + "\"\ncategories = [\"A\", \"B\"]\n" +
            "\n[[staff]]\nusername = \"" + officer + "\"\ndisplay_name = \"" + officer +
            "\"\npassword_hash = \"" + password_hash() + "\"\ncounters = [\"" + counter + "\"]\n";
  }
  return toml;
}

// `count` luot-server processes, each with a config directory of its own,
// all on one fresh PostgreSQL database.
class cluster {
 public:
  explicit cluster(std::size_t count, const std::string& toml = test_centre_toml())
      : database_(shared_postgres().create_database("multi")) {
    for (std::size_t index = 0; index < count; ++index) {
      directories_.push_back(std::make_unique<temp_dir>());
      servers_.push_back(std::make_unique<server_process>(directories_.back()->path(), toml,
                                                          shared_postgres().url(database_)));
      servers_.back()->start();
    }
  }

  server_process& operator[](std::size_t index) { return *servers_[index]; }
  std::string value(const std::string& sql) { return shared_postgres().value(database_, sql); }
  std::uint64_t last_seq() {
    return std::stoull(value("SELECT coalesce(max(seq), 0) FROM events"));
  }

  // Every instance's output, for failure messages.
  std::string logs() const {
    std::string text;
    for (const auto& server : servers_) text += server->log() + "\n----\n";
    return text;
  }

 private:
  std::string database_;
  std::vector<std::unique_ptr<temp_dir>> directories_;
  std::vector<std::unique_ptr<server_process>> servers_;
};

std::string number(const std::string& prefix, int value) {
  char text[16];
  std::snprintf(text, sizeof text, "%s%03d", prefix.c_str(), value);
  return text;
}

// Waits until the instance at `port` has published the log up to `seq`.
void wait_until_published(std::uint16_t port, std::uint64_t seq) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (public_view(port).seq() < seq) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "never published seq " << seq;
    std::this_thread::sleep_for(20ms);
  }
}

TEST(MultiInstance, ConcurrentTakesAndCallsThroughThreeInstancesNeverRepeatANumberOrACall) {
  cluster servers(3, three_counter_toml());
  constexpr int per_instance = 15;
  constexpr int total = 3 * per_instance;

  std::vector<std::vector<v1::Ticket>> taken(3);
  {
    std::vector<std::thread> takers;
    for (std::size_t index = 0; index < 3; ++index) {
      takers.emplace_back([&, index] {
        for (int n = 0; n < per_instance; ++n)
          taken[index].push_back(take_ticket(servers[index].port(), "A"));
      });
    }
    for (auto& taker : takers) taker.join();
  }
  std::set<std::string> numbers;
  std::set<std::string> ids;
  for (const auto& tickets : taken) {
    for (const auto& ticket : tickets) {
      EXPECT_TRUE(numbers.insert(ticket.number()).second) << ticket.number() << " issued twice";
      ids.insert(ticket.id());
    }
  }
  // Numbers are never reused nor skipped: exactly A001 to A045.
  std::set<std::string> expected;
  for (int value = 1; value <= total; ++value) expected.insert(number("A", value));
  EXPECT_EQ(numbers, expected) << servers.logs();
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(total));

  // Three officers call at once, each through another instance, until
  // nothing waits: every ticket is called once, by exactly one of them.
  std::vector<std::vector<std::string>> called(3);
  {
    const std::pair<const char*, const char*> officers[] = {
        {"lan", "1"}, {"minh", "2"}, {"tuan", "3"}};
    std::vector<std::thread> callers;
    for (std::size_t index = 0; index < 3; ++index) {
      callers.emplace_back([&, index] {
        const auto port = servers[index].port();
        const auto [officer, counter] = officers[index];
        const auto token = sign_in(port, officer, counter);
        const std::string path = std::string("/api/v1/counters/") + counter;
        for (int guard = 0; guard <= total; ++guard) {
          const auto reply = http_call(port, "POST", path + "/call-next", {}, token);
          if (reply.status == 409 &&
              parse<v1::Error>(reply.body).code() == v1::ERROR_CODE_NOTHING_WAITING) {
            return;
          }
          ASSERT_EQ(reply.status, 200u) << reply.body;
          called[index].push_back(parse<v1::CommandResult>(reply.body).ticket().id());
          counter_action(port, token, counter, "finish", R"({"outcome":"done"})");
        }
      });
    }
    for (auto& caller : callers) caller.join();
  }
  std::multiset<std::string> calls;
  for (const auto& ids_called : called) calls.insert(ids_called.begin(), ids_called.end());
  EXPECT_EQ(calls.size(), static_cast<std::size_t>(total));
  EXPECT_EQ(std::set<std::string>(calls.begin(), calls.end()), ids) << "a ticket called twice";

  // The log agrees: one seq after another, every ticket issued and called once.
  EXPECT_EQ(servers.value("SELECT count(*) = max(seq) AND min(seq) = 1 FROM events"), "t");
  EXPECT_EQ(servers.value("SELECT count(*) FROM events WHERE kind = 'ticket_called'"),
            std::to_string(total));
}

TEST(MultiInstance, ASubscriberOnOneInstanceSeesEveryCallMadeThroughAnotherInOrder) {
  cluster servers(2);
  auto& here = servers[0];
  auto& there = servers[1];
  protocol_probe display(here.port(), "luot.v1.proto");
  display.send(subscribe_message(std::nullopt, 5));
  const auto first = display.receive(30s);
  ASSERT_TRUE(first.has_view()) << first.DebugString();
  const auto start = first.view().seq();

  // Tickets through both instances, calls through the other one only.
  for (int n = 0; n < 6; ++n) take_ticket((n % 2 == 0 ? here : there).port(), n < 3 ? "A" : "B");
  const auto officer = sign_in(there.port(), "lan", "1");
  std::vector<std::string> called;
  for (int n = 0; n < 6; ++n) {
    called.push_back(counter_action(there.port(), officer, "1", "call-next").ticket().number());
    counter_action(there.port(), officer, "1", "finish", R"({"outcome":"done"})");
  }
  const auto last = servers.last_seq();

  // Every event once, in order, the calls announced as they were made.
  std::vector<std::string> announced;
  for (auto expected = start + 1; expected <= last; ++expected) {
    const auto update = display.next_update(patience);
    ASSERT_EQ(update.seq(), expected) << update.DebugString();
    if (update.has_call()) announced.push_back(update.call().number());
  }
  EXPECT_EQ(announced, called);
  expect_nothing_pending(display);
}

// An officer signs in through one instance and the proxy sends the next
// request to another (its own went away, or no stickiness): the session
// works there; signing out through either ends it on both.
TEST(MultiInstance, AStaffSessionWorksOnEveryInstanceAndEndsOnAll) {
  cluster servers(2);
  auto& here = servers[0];
  auto& there = servers[1];
  take_ticket(here.port(), "A");
  const auto officer = sign_in(here.port(), "lan", "1");
  EXPECT_EQ(counter_action(there.port(), officer, "1", "call-next").ticket().number(), "A001");
  // The table holds a hash, never the token itself.
  EXPECT_EQ(servers.value("SELECT count(*) FROM staff_sessions"), "1");
  EXPECT_EQ(
      servers.value("SELECT count(*) FROM staff_sessions WHERE token_hash = '" + officer + "'"),
      "0");
  EXPECT_EQ(http_call(there.port(), "DELETE", "/api/v1/sessions", {}, officer).status, 200u);
  for (auto* instance : {&here, &there}) {
    EXPECT_EQ(http_call(instance->port(), "POST", "/api/v1/counters/1/recall", {}, officer).status,
              401u);
  }
  EXPECT_EQ(servers.value("SELECT count(*) FROM staff_sessions"), "0");
}

// A kiosk whose instance went away retries through another one with the
// same client key: it gets the ticket it already has, not a second one,
// whether that instance has read the first one's event yet or learns of it
// by losing the append.
TEST(MultiInstance, AKioskRetryThroughAnotherInstanceGetsTheSameTicket) {
  cluster servers(2);
  for (int round = 1; round <= 5; ++round) {
    const std::string key = "kiosk-retry-" + std::to_string(round);
    const auto first = take_ticket(servers[0].port(), "A", key);
    const auto retried = take_ticket(servers[1].port(), "A", key);
    EXPECT_EQ(retried.id(), first.id());
    EXPECT_EQ(retried.number(), first.number());
    EXPECT_EQ(retried.status_token(), first.status_token());
  }
  EXPECT_EQ(servers.value("SELECT count(*) FROM events WHERE kind = 'ticket_issued'"), "5");
}

TEST(MultiInstance, AKilledInstanceLosesNoAcknowledgedEventAndItsDisplayResumesOnAnother) {
  cluster servers(2);
  auto& doomed = servers[0];
  auto& survivor = servers[1];
  auto display = std::make_unique<protocol_probe>(doomed.port(), "luot.v1.proto");
  display->send(subscribe_message(std::nullopt, 5));
  const auto first = display->receive(30s);
  ASSERT_TRUE(first.has_view()) << first.DebugString();

  // A kiosk takes tickets through the doomed instance as fast as they are
  // acknowledged, until the instance dies under it.
  std::mutex mutex;
  std::vector<v1::Ticket> acknowledged;
  std::thread kiosk([&] {
    for (;;) {
      try {
        const auto reply =
            http_call(doomed.port(), "POST", "/api/v1/tickets", R"({"category":"A"})");
        if (reply.status != 201 && reply.status != 200) return;
        const std::lock_guard lock(mutex);
        acknowledged.push_back(parse<v1::Ticket>(reply.body));
      } catch (const std::exception&) {
        return;
      }
    }
  });
  // However the test ends, the kiosk stops with the instance.
  struct stop_kiosk {
    server_process& server;
    std::thread& thread;
    ~stop_kiosk() {
      server.kill();
      if (thread.joinable()) thread.join();
    }
  } stopping{doomed, kiosk};
  // Ten are acknowledged and the display has seen ten events: the instance
  // is killed mid-stream.
  auto seen = first.view().seq();
  while (seen < first.view().seq() + 10) {
    const auto update = display->next_update(patience);
    ASSERT_EQ(update.seq(), seen + 1);
    seen = update.seq();
  }
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    {
      const std::lock_guard lock(mutex);
      if (acknowledged.size() >= 10) break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << doomed.log();
    std::this_thread::sleep_for(5ms);
  }
  doomed.kill();
  kiosk.join();
  display.reset();

  // The append the doomed instance had in flight, if any, still commits or
  // fails inside PostgreSQL after the kill: the log is final once no append
  // runs any more (the survivor takes nothing meanwhile).
  const auto deadline_settled = std::chrono::steady_clock::now() + patience;
  while (servers.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND state <> 'idle' AND query LIKE 'WITH writer AS%'") != "0") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline_settled);
    std::this_thread::sleep_for(20ms);
  }
  // Everything acknowledged is in the log and served by the survivor.
  const auto last = servers.last_seq();
  wait_until_published(survivor.port(), last);
  for (const auto& ticket : acknowledged) {
    const auto reply =
        http_call(survivor.port(), "GET", "/api/v1/tickets/" + ticket.status_token());
    ASSERT_EQ(reply.status, 200u) << ticket.number() << " was acknowledged, then lost";
    EXPECT_EQ(parse<v1::Ticket>(reply.body).number(), ticket.number());
  }

  // The display reconnects to the survivor and resumes from the last seq it
  // saw: every later event exactly once, then live.
  protocol_probe resumed(survivor.port(), "luot.v1.proto");
  resumed.send(subscribe_message(seen, 9));
  for (auto expected = seen + 1; expected <= last; ++expected) {
    ASSERT_EQ(resumed.next_update(patience).seq(), expected);
  }
  const auto issued =
      std::stoi(servers.value("SELECT count(*) FROM events WHERE kind = 'ticket_issued'"));
  EXPECT_EQ(take_ticket(survivor.port(), "A").number(), number("A", issued + 1));
  EXPECT_EQ(resumed.next_update(patience).seq(), last + 1);
  EXPECT_EQ(resumed.last_subscribed().subscribed().seq(), last);
}

}  // namespace
}  // namespace luot::testing
