// The hub without sockets: one buffer per encoding per update, zones cut
// once, ticket watchers, resume from the window or the bounded view, clock
// updates, waiters.
#include "net/hub.hpp"

#include <gtest/gtest.h>

#include "core/engine.hpp"
#include "support.hpp"
#include "view/mirror.hpp"

namespace luot::testing {
namespace {

core::timestamp fixed_now() {
  return core::timestamp(std::chrono::milliseconds(1795419000000));
}

class recording_subscriber final : public net::subscriber {
 public:
  explicit recording_subscriber(net::encoding format) : format_(format) {}
  net::encoding wanted() const override { return format_; }
  void deliver(std::shared_ptr<const std::string> message) override {
    received.push_back(std::move(message));
  }
  void catch_up(std::vector<std::shared_ptr<const net::published_update>> backlog, view::zone zone,
                std::uint64_t, std::uint64_t) override {
    for (const auto& update : backlog) {
      if (auto part = zone.filter(*update->update)) {
        v1::ServerMessage message;
        *message.mutable_update() = *part;
        received.push_back(net::encode(message, format_));
      }
    }
  }
  void send_view(net::published_view view, view::zone zone, std::uint64_t request_id) override {
    v1::ServerMessage message;
    message.set_request_id(request_id);
    *message.mutable_view() = zone.filter(*view.view);
    received.push_back(net::encode(message, format_));
  }
  v1::ServerMessage decoded(std::size_t index) const {
    v1::ServerMessage message;
    if (format_ == net::encoding::json) {
      parse_into(*received.at(index), message);
    } else {
      EXPECT_TRUE(message.ParseFromString(*received.at(index)));
    }
    return message;
  }
  std::vector<std::shared_ptr<const std::string>> received;

 private:
  net::encoding format_;
};

net::subscription whole(std::optional<std::uint64_t> after = std::nullopt,
                        std::uint64_t request_id = 1) {
  net::subscription wanted;
  wanted.after_seq = after;
  wanted.request_id = request_id;
  return wanted;
}

class Hub : public ::testing::Test {
 protected:
  config::settings settings_ = [] {
    auto s = test_settings("unused.db");
    for (auto& category : s.centre.categories) category.hours.reset();
    return s;
  }();
  int tokens_ = 0;
  core::engine working_{settings_.centre,
                        [this] { return "secret-token-" + std::to_string(++tokens_); }};
  net::hub hub_{core::engine(settings_.centre, [] { return std::string(); }), 3, 1 << 20, nullptr,
                fixed_now()};

  v1::Ticket run(const v1::Command& command, const std::string& actor = "lan") {
    auto decided = working_.execute(command, fixed_now(), core::actor{actor});
    EXPECT_TRUE(decided.ok());
    if (!decided) return {};
    hub_.publish(decided->events);
    auto ticket = working_.find_ticket(decided->ticket_id, fixed_now(), core::visibility::internal);
    return ticket ? *ticket : v1::Ticket{};
  }
  v1::Ticket take(const std::string& category) {
    v1::Command command;
    command.mutable_take_ticket()->set_category(category);
    return run(command, "anonymous");
  }
  void open(const std::string& counter) {
    v1::Command command;
    command.mutable_open_counter()->set_counter(counter);
    command.mutable_open_counter()->set_officer("lan");
    command.mutable_open_counter()->set_officer_name("Nguyễn Thị Lan");
    run(command);
  }
  void call(const std::string& counter) {
    v1::Command command;
    command.mutable_call_next()->set_counter(counter);
    run(command);
  }
};

TEST_F(Hub, SerializesEachUpdateOncePerEncoding) {
  auto first = std::make_shared<recording_subscriber>(net::encoding::binary);
  auto second = std::make_shared<recording_subscriber>(net::encoding::binary);
  auto browser = std::make_shared<recording_subscriber>(net::encoding::json);
  for (const auto& who : {first, second, browser}) hub_.subscribe(who, whole(), fixed_now());
  const auto ticket = take("A");
  ASSERT_EQ(first->received.size(), 2u);
  ASSERT_EQ(browser->received.size(), 2u);
  // The very same buffer, not an equal copy.
  EXPECT_EQ(first->received[1].get(), second->received[1].get());
  const auto update = browser->decoded(1).update();
  EXPECT_EQ(update.seq(), 1u);
  ASSERT_EQ(update.categories_size(), 1);
  EXPECT_EQ(update.categories(0).next_number(), "A002");
  // No secret ever leaves the hub for the hall.
  EXPECT_EQ(first->received[1]->find(ticket.status_token()), std::string::npos);
}

TEST_F(Hub, TheResumeWindowIsCappedInBytesToo) {
  // Room for a thousand updates but only one byte: the window keeps just
  // the newest update (never none), so a subscriber one behind still
  // resumes and one further behind gets the view.
  net::hub small(core::engine(settings_.centre, [] { return std::string(); }), 1000, 1, nullptr,
                 fixed_now());
  for (int i = 0; i < 5; ++i) {
    v1::Command command;
    command.mutable_take_ticket()->set_category("A");
    auto decided = working_.execute(command, fixed_now(), core::actor{"anonymous"});
    ASSERT_TRUE(decided.ok());
    small.publish(decided->events);
  }
  auto behind_one = std::make_shared<recording_subscriber>(net::encoding::binary);
  small.subscribe(behind_one, whole(4, 7), fixed_now());
  ASSERT_EQ(behind_one->received.size(), 1u);
  ASSERT_TRUE(behind_one->decoded(0).has_update());
  EXPECT_EQ(behind_one->decoded(0).update().seq(), 5u);

  auto behind_two = std::make_shared<recording_subscriber>(net::encoding::binary);
  small.subscribe(behind_two, whole(3, 7), fixed_now());
  ASSERT_EQ(behind_two->received.size(), 1u);
  ASSERT_TRUE(behind_two->decoded(0).has_view());
  EXPECT_EQ(behind_two->decoded(0).view().seq(), 5u);
}

TEST_F(Hub, ResumesFromTheWindowOrSendsTheView) {
  for (int i = 0; i < 5; ++i) take("A");
  auto recent = std::make_shared<recording_subscriber>(net::encoding::binary);
  hub_.subscribe(recent, whole(2, 7), fixed_now());  // Window holds 3..5.
  ASSERT_EQ(recent->received.size(), 3u);
  EXPECT_EQ(recent->decoded(0).update().seq(), 3u);
  EXPECT_EQ(recent->decoded(2).update().seq(), 5u);

  auto old = std::make_shared<recording_subscriber>(net::encoding::binary);
  hub_.subscribe(old, whole(1, 7), fixed_now());
  ASSERT_EQ(old->received.size(), 1u);
  EXPECT_EQ(old->decoded(0).request_id(), 7u);
  EXPECT_EQ(old->decoded(0).view().seq(), 5u);
  EXPECT_EQ(old->decoded(0).view().categories(0).waiting_regular(), 5u);

  auto ahead = std::make_shared<recording_subscriber>(net::encoding::binary);
  hub_.subscribe(ahead, whole(99, 7), fixed_now());
  ASSERT_EQ(ahead->received.size(), 1u);
  EXPECT_TRUE(ahead->decoded(0).has_view());

  take("B");
  for (const auto& who : {recent, old, ahead}) {
    EXPECT_EQ(who->decoded(who->received.size() - 1).update().seq(), 6u);
  }
  hub_.unsubscribe(recent.get());
  take("B");
  EXPECT_EQ(recent->received.size(), 4u);
  EXPECT_EQ(old->received.size(), 3u);
}

TEST_F(Hub, AZoneSeesOnlyItsCountersCallsAndCategories) {
  // Counter 3 serves only B; counter 2 only A.
  auto zone_b = std::make_shared<recording_subscriber>(net::encoding::binary);
  auto wanted = whole();
  wanted.zone = view::zone({"3"});
  hub_.subscribe(zone_b, wanted, fixed_now());
  const auto view = zone_b->decoded(0).view();
  ASSERT_EQ(view.counters_size(), 1);
  EXPECT_EQ(view.counters(0).id(), "3");
  ASSERT_EQ(view.categories_size(), 1);
  EXPECT_EQ(view.categories(0).code(), "B");

  take("A");
  open("2");
  call("2");
  // Nothing of A or counter 2 reached zone B.
  EXPECT_EQ(zone_b->received.size(), 1u);
  take("B");
  ASSERT_EQ(zone_b->received.size(), 2u);
  EXPECT_EQ(zone_b->decoded(1).update().categories(0).code(), "B");
  open("3");
  call("3");
  ASSERT_EQ(zone_b->received.size(), 4u);
  const auto called = zone_b->decoded(3).update();
  ASSERT_TRUE(called.has_call());
  EXPECT_EQ(called.call().counter(), "3");
  for (const auto& counter : called.counters()) EXPECT_EQ(counter.id(), "3");
}

TEST_F(Hub, ATicketWatcherGetsOnlyItsTicket) {
  const auto mine = take("A");
  const auto other = take("A");
  auto phone = std::make_shared<recording_subscriber>(net::encoding::json);
  auto wanted = whole();
  wanted.ticket_token = other.status_token();
  hub_.subscribe(phone, wanted, fixed_now());
  const auto view = phone->decoded(0).view();
  EXPECT_EQ(view.ticket().number(), "A002");
  EXPECT_EQ(view.ticket().people_ahead(), 1u);
  EXPECT_TRUE(view.ticket().status_token().empty());
  EXPECT_TRUE(view.counters().empty());
  EXPECT_TRUE(view.recent_calls().empty());

  open("2");
  call("2");  // Calls A001: one fewer ahead of A002.
  const auto moved = phone->decoded(phone->received.size() - 1).update();
  EXPECT_EQ(moved.ticket().number(), "A002");
  EXPECT_EQ(moved.ticket().people_ahead(), 0u);
  EXPECT_FALSE(moved.has_call());
  v1::Command finish;
  finish.mutable_finish()->set_counter("2");
  run(finish);
  call("2");  // Now A002 itself.
  const auto called = phone->decoded(phone->received.size() - 1).update();
  EXPECT_EQ(called.ticket().state(), v1::TICKET_STATE_CALLED);
  EXPECT_EQ(called.ticket().counter(), "2");
  ASSERT_EQ(called.counters_size(), 1);
  EXPECT_EQ(called.counters(0).name_vi(), "Quầy 2");
  // Never anything about the other ticket.
  for (const auto& message : phone->received)
    EXPECT_EQ(message->find(mine.id() + "\""), std::string::npos) << *message;

  auto stranger = std::make_shared<recording_subscriber>(net::encoding::binary);
  wanted.ticket_token = "no-such-token";
  hub_.subscribe(stranger, wanted, fixed_now());
  EXPECT_EQ(stranger->decoded(0).error().code(), v1::ERROR_CODE_UNKNOWN_TICKET);
}

TEST_F(Hub, TheClockClosesACategoryWithoutAnyCommand) {
  config::settings timed = settings_;
  // A opens 08:00–11:00 local time every day.
  core::weekly_hours hours{std::array<std::vector<core::time_range>, 7>{}};
  for (auto& day : *hours) day = {{std::chrono::hours(8), std::chrono::hours(11)}};
  timed.centre.categories[0].hours = hours;
  // Monday 2026-11-23, 08:30 in Hà Nội.
  const auto morning = core::timestamp(std::chrono::milliseconds(1795397400000));
  net::hub hub(core::engine(timed.centre, [] { return std::string(); }), 8, 1 << 20, nullptr,
               morning);
  auto kiosk = std::make_shared<recording_subscriber>(net::encoding::binary);
  hub.subscribe(kiosk, whole(), morning);
  view::mirror mirror;
  mirror.reset(kiosk->decoded(0).view());
  EXPECT_EQ(mirror.category("A")->status(), v1::CATEGORY_STATUS_OPEN);

  hub.refresh(morning + std::chrono::hours(1));  // Still open: nothing sent.
  EXPECT_EQ(kiosk->received.size(), 1u);
  hub.refresh(morning + std::chrono::hours(3));  // 11:30: closed by its hours.
  ASSERT_EQ(kiosk->received.size(), 2u);
  const auto update = kiosk->decoded(1).update();
  EXPECT_EQ(update.cause(), "clock");
  mirror.apply(update);
  EXPECT_EQ(mirror.category("A")->status(), v1::CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS);
  EXPECT_EQ(mirror.category("B")->status(), v1::CATEGORY_STATUS_OPEN);

  // A screen resuming at that seq gets the clock's update too.
  auto late = std::make_shared<recording_subscriber>(net::encoding::binary);
  hub.subscribe(late, whole(0), morning + std::chrono::hours(3));
  ASSERT_EQ(late->received.size(), 1u);
  EXPECT_EQ(late->decoded(0).update().cause(), "clock");
}

TEST_F(Hub, WaitersRunOncePublished) {
  std::vector<bool> calls;
  hub_.when_published(0, [&](bool published) { calls.push_back(published); });
  EXPECT_EQ(calls.size(), 1u);
  hub_.when_published(2, [&](bool published) { calls.push_back(published); });
  take("A");
  EXPECT_EQ(calls.size(), 1u);
  take("A");
  ASSERT_EQ(calls.size(), 2u);
  hub_.when_published(5, [&](bool published) { calls.push_back(published); });
  hub_.fail_waiters();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_FALSE(calls[2]);
  // A waiter that comes after the log failed (a retried take-ticket whose
  // first try never committed) is answered at once, never left hanging.
  hub_.when_published(6, [&](bool published) { calls.push_back(published); });
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_FALSE(calls[3]);
  // What was published stays published.
  hub_.when_published(2, [&](bool published) { calls.push_back(published); });
  ASSERT_EQ(calls.size(), 5u);
  EXPECT_TRUE(calls[4]);
}

}  // namespace
}  // namespace luot::testing
