// The hub without sockets: one buffer per encoding per event, resume from
// the window or a snapshot, waiters.
#include "net/hub.hpp"

#include <gtest/gtest.h>

#include "core/engine.hpp"
#include "support.hpp"

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

class Hub : public ::testing::Test {
 protected:
  config::settings settings_ = [] {
    auto s = test_settings("unused.db");
    for (auto& category : s.centre.categories) category.hours.reset();
    return s;
  }();
  core::engine working_{settings_.centre, [] { return std::string("secret-token"); }};
  net::hub hub_{core::engine(settings_.centre, [] { return std::string(); }), 3, nullptr};

  void take(const std::string& category) {
    v1::Command command;
    command.mutable_take_ticket()->set_category(category);
    auto decided = working_.execute(command, fixed_now(), core::actor{});
    ASSERT_TRUE(decided.ok());
    hub_.publish(decided->events);
  }
};

TEST_F(Hub, SerializesEachEventOncePerEncoding) {
  auto first = std::make_shared<recording_subscriber>(net::encoding::binary);
  auto second = std::make_shared<recording_subscriber>(net::encoding::binary);
  auto browser = std::make_shared<recording_subscriber>(net::encoding::json);
  for (const auto& who : {first, second, browser}) hub_.subscribe(who, 0, 1, fixed_now());
  take("A");
  ASSERT_EQ(first->received.size(), 1u);
  ASSERT_EQ(browser->received.size(), 1u);
  // The very same buffer, not an equal copy.
  EXPECT_EQ(first->received[0].get(), second->received[0].get());
  const auto event = browser->decoded(0).event();
  EXPECT_EQ(event.seq(), 1u);
  EXPECT_EQ(event.ticket_issued().ticket().number(), "A001");
  // Redacted before it left the hub.
  EXPECT_TRUE(event.ticket_issued().ticket().status_token().empty());
  EXPECT_TRUE(first->decoded(0).event().ticket_issued().ticket().status_token().empty());
}

TEST_F(Hub, ResumesFromTheWindowOrSendsASnapshot) {
  for (int i = 0; i < 5; ++i) take("A");
  auto recent = std::make_shared<recording_subscriber>(net::encoding::binary);
  hub_.subscribe(recent, 2, 7, fixed_now());  // Window holds 3..5.
  ASSERT_EQ(recent->received.size(), 3u);
  EXPECT_EQ(recent->decoded(0).event().seq(), 3u);
  EXPECT_EQ(recent->decoded(2).event().seq(), 5u);

  auto old = std::make_shared<recording_subscriber>(net::encoding::binary);
  hub_.subscribe(old, 1, 7, fixed_now());
  ASSERT_EQ(old->received.size(), 1u);
  EXPECT_EQ(old->decoded(0).request_id(), 7u);
  EXPECT_EQ(old->decoded(0).snapshot().seq(), 5u);

  auto ahead = std::make_shared<recording_subscriber>(net::encoding::binary);
  hub_.subscribe(ahead, 99, 7, fixed_now());
  ASSERT_EQ(ahead->received.size(), 1u);
  EXPECT_TRUE(ahead->decoded(0).has_snapshot());

  take("B");
  for (const auto& who : {recent, old, ahead}) {
    EXPECT_EQ(who->decoded(who->received.size() - 1).event().seq(), 6u);
  }
  hub_.unsubscribe(recent.get());
  take("B");
  EXPECT_EQ(recent->received.size(), 4u);
  EXPECT_EQ(old->received.size(), 3u);
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
}

}  // namespace
}  // namespace luot::testing
