// Every officer and manager action over HTTP, each with an assertion on the
// state it leaves, and two officers racing for the same queue.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "support.hpp"

namespace luot::testing {
namespace {

class Workflow : public ::testing::Test {
 protected:
  temp_dir dir_;
  running_server server_{test_settings(dir_.path() / "luot.db")};
  std::uint16_t port() const { return server_.port(); }
  v1::Ticket ticket_state(const std::string& id) {
    const auto state = snapshot(port());
    const auto* ticket = find_ticket(state, id);
    EXPECT_NE(ticket, nullptr) << id;
    return ticket ? *ticket : v1::Ticket();
  }
};

TEST_F(Workflow, CallASpecificTicketAndRecall) {
  take_ticket(port(), "A");
  const auto second = take_ticket(port(), "A");
  const auto token = sign_in(port(), "lan", "1");
  const auto called = counter_action(port(), token, "1", "call", R"({"ticket":"A002"})");
  EXPECT_EQ(called.ticket().id(), second.id());
  EXPECT_EQ(ticket_state(second.id()).state(), v1::TICKET_STATE_CALLED);
  EXPECT_EQ(ticket_state(second.id()).call_count(), 1u);

  const auto recalled = counter_action(port(), token, "1", "recall");
  EXPECT_EQ(recalled.ticket().call_count(), 2u);
  EXPECT_EQ(ticket_state(second.id()).call_count(), 2u);
}

TEST_F(Workflow, NoShowAndReturn) {
  const auto ticket = take_ticket(port(), "A");
  take_ticket(port(), "A");
  const auto token = sign_in(port(), "lan", "1");
  counter_action(port(), token, "1", "call-next");
  counter_action(port(), token, "1", "no-show");
  EXPECT_EQ(ticket_state(ticket.id()).state(), v1::TICKET_STATE_NO_SHOW);
  EXPECT_TRUE(find_counter(snapshot(port()), "1")->current_ticket_id().empty());

  // Any signed-in staff member may put a returning citizen back in the queue.
  const auto manager = sign_in(port(), "hoa", "");
  const auto returned = http_call(port(), "POST", "/api/v1/no-shows/return",
                                  R"({"ticket":"A001","category":"A"})", manager);
  ASSERT_EQ(returned.status, 200u) << returned.body;
  EXPECT_EQ(ticket_state(ticket.id()).state(), v1::TICKET_STATE_WAITING);
  // Returning it twice is a conflict.
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/no-shows/return",
                      R"({"ticket":"A001","category":"A"})", manager)
                .status,
            409u);
}

TEST_F(Workflow, ParkAndResume) {
  const auto ticket = take_ticket(port(), "A");
  const auto token = sign_in(port(), "lan", "1");
  counter_action(port(), token, "1", "call-next");
  counter_action(port(), token, "1", "park");
  auto state = snapshot(port());
  EXPECT_EQ(find_ticket(state, ticket.id())->state(), v1::TICKET_STATE_PARKED);
  ASSERT_EQ(find_counter(state, "1")->parked_ticket_ids_size(), 1);
  EXPECT_EQ(find_counter(state, "1")->parked_ticket_ids(0), ticket.id());

  counter_action(port(), token, "1", "resume-parked", "{\"ticket\":\"" + ticket.id() + "\"}");
  state = snapshot(port());
  EXPECT_EQ(find_ticket(state, ticket.id())->state(), v1::TICKET_STATE_CALLED);
  EXPECT_EQ(find_counter(state, "1")->current_ticket_id(), ticket.id());
  EXPECT_EQ(find_counter(state, "1")->parked_ticket_ids_size(), 0);
}

TEST_F(Workflow, TransferToAnotherCategory) {
  const auto ticket = take_ticket(port(), "A");
  const auto token = sign_in(port(), "lan", "1");
  counter_action(port(), token, "1", "call-next");
  counter_action(port(), token, "1", "transfer",
                 R"({"toCategory":"B","placement":"PLACEMENT_FIRST","note":"sai lĩnh vực"})");
  const auto moved = ticket_state(ticket.id());
  EXPECT_EQ(moved.state(), v1::TICKET_STATE_WAITING);
  EXPECT_EQ(moved.category(), "B");
  EXPECT_EQ(moved.transferred_from_category(), "A");
  EXPECT_EQ(moved.transfer_note(), "sai lĩnh vực");
  EXPECT_EQ(find_category(snapshot(port()), "B")->waiting_regular(), 1u);

  // Counter 3 serves B and gets it next.
  const auto other = sign_in(port(), "lan", "3");
  EXPECT_EQ(counter_action(port(), other, "3", "call-next").ticket().id(), ticket.id());
}

TEST_F(Workflow, PauseResumeAndClose) {
  take_ticket(port(), "A");
  const auto token = sign_in(port(), "lan", "1");
  counter_action(port(), token, "1", "pause", R"({"reason":"họp giao ban"})");
  auto counter = *find_counter(snapshot(port()), "1");
  EXPECT_EQ(counter.state(), v1::COUNTER_STATE_PAUSED);
  EXPECT_EQ(counter.pause_reason(), "họp giao ban");
  const auto refused = http_call(port(), "POST", "/api/v1/counters/1/call-next", "", token);
  EXPECT_EQ(refused.status, 409u);
  EXPECT_EQ(parse<v1::Error>(refused.body).code(), v1::ERROR_CODE_COUNTER_PAUSED);

  counter_action(port(), token, "1", "resume");
  EXPECT_EQ(find_counter(snapshot(port()), "1")->state(), v1::COUNTER_STATE_OPEN);

  counter_action(port(), token, "1", "close");
  EXPECT_EQ(find_counter(snapshot(port()), "1")->state(), v1::COUNTER_STATE_CLOSED);
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/counters/1/call-next", "", token).status, 409u);
}

TEST_F(Workflow, ManagerClosesAndReopensACategory) {
  const auto manager = sign_in(port(), "hoa", "");
  const auto closed =
      http_call(port(), "POST", "/api/v1/categories/A/close", R"({"note":"hết giờ"})", manager);
  ASSERT_EQ(closed.status, 200u) << closed.body;
  auto category = *find_category(snapshot(port()), "A");
  EXPECT_EQ(category.status(), v1::CATEGORY_STATUS_CLOSED_MANUALLY);
  EXPECT_EQ(category.status_note(), "hết giờ");
  const auto refused = http_call(port(), "POST", "/api/v1/tickets", R"({"category":"A"})");
  EXPECT_EQ(refused.status, 409u);
  EXPECT_EQ(parse<v1::Error>(refused.body).code(), v1::ERROR_CODE_CATEGORY_CLOSED);

  EXPECT_EQ(http_call(port(), "POST", "/api/v1/categories/A/reopen", "", manager).status, 200u);
  EXPECT_EQ(find_category(snapshot(port()), "A")->status(), v1::CATEGORY_STATUS_OPEN);
  EXPECT_EQ(take_ticket(port(), "A").number(), "A001");
  EXPECT_EQ(http_call(port(), "POST", "/api/v1/categories/A/reopen", "", manager).status, 409u);
}

TEST_F(Workflow, DomainConflictsAre409AndChangeNothing) {
  const auto token = sign_in(port(), "lan", "1");
  const auto before = snapshot(port());
  const auto empty = http_call(port(), "POST", "/api/v1/counters/1/call-next", "", token);
  EXPECT_EQ(empty.status, 409u);
  EXPECT_EQ(parse<v1::Error>(empty.body).code(), v1::ERROR_CODE_NOTHING_WAITING);
  EXPECT_EQ(
      http_call(port(), "POST", "/api/v1/counters/1/finish", R"({"outcome":"done"})", token).status,
      409u);
  EXPECT_EQ(
      http_call(port(), "POST", "/api/v1/counters/1/call", R"({"ticket":"A404"})", token).status,
      404u);
  EXPECT_EQ(
      http_call(port(), "POST", "/api/v1/counters/1/call-next", R"({"counter":"2"})", token).status,
      400u);
  EXPECT_EQ(snapshot(port()).seq(), before.seq());
}

TEST_F(Workflow, TwoOfficersRacingNeverGetTheSameTicket) {
  constexpr int tickets = 120;
  for (int i = 0; i < tickets; ++i) take_ticket(port(), "A");
  const auto lan = sign_in(port(), "lan", "1");
  const auto minh = sign_in(port(), "minh", "2");

  std::mutex mutex;
  std::vector<std::string> served;
  std::atomic<int> failures{0};
  const auto officer = [&](const std::string& token, const std::string& counter) {
    for (;;) {
      const auto reply =
          http_call(port(), "POST", "/api/v1/counters/" + counter + "/call-next", "", token);
      if (reply.status == 409) break;  // Nothing waiting any more.
      if (reply.status != 200) {
        ++failures;
        break;
      }
      v1::CommandResult result;
      parse_into(reply.body, result);
      {
        const std::lock_guard lock(mutex);
        served.push_back(result.ticket().id());
      }
      const auto finish = http_call(port(), "POST", "/api/v1/counters/" + counter + "/finish",
                                    R"({"outcome":"done"})", token);
      if (finish.status != 200) {
        ++failures;
        break;
      }
    }
  };
  std::thread first(officer, lan, "1");
  std::thread second(officer, minh, "2");
  first.join();
  second.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(served.size(), static_cast<std::size_t>(tickets));
  const std::set<std::string> distinct(served.begin(), served.end());
  EXPECT_EQ(distinct.size(), served.size()) << "a ticket was called twice";
  const auto state = snapshot(port());
  EXPECT_EQ(find_category(state, "A")->waiting_regular(), 0u);
  EXPECT_GT(find_counter(state, "1")->served_today(), 0u);
  EXPECT_GT(find_counter(state, "2")->served_today(), 0u);
}

}  // namespace
}  // namespace luot::testing
