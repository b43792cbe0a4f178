// Client keys and ticket allowances belong to whoever issues the request:
// a retry is answered only to its issuer, and the limits the network layer
// passes in (a spent rate, a daily cap) refuse only new tickets.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

actor anonymous_at(const std::string& address, ticket_allowance allowance = {}) {
  return actor("anonymous", "address:" + address, allowance);
}

TEST(ClientKey, AnotherIssuersKeyGetsANewTicketNeverTheirs) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const auto mine = centre.must(take("A", "", "key-1"), now, actor{"kiosk-1"});
  // Kiosk keys are sequential: anyone can guess "key-1".
  const auto theirs = centre.must(take("A", "", "key-1"), now, anonymous_at("192.0.2.7"));
  ASSERT_EQ(theirs.events.size(), 1u);
  EXPECT_NE(theirs.ticket_id, mine.ticket_id);
  EXPECT_NE(centre.ticket(theirs.ticket_id, now).status_token(),
            centre.ticket(mine.ticket_id, now).status_token());
  const auto other_kiosk = centre.must(take("A", "", "key-1"), now, actor{"kiosk-2"});
  EXPECT_NE(other_kiosk.ticket_id, mine.ticket_id);
  const auto other_address = centre.must(take("A", "", "key-1"), now, anonymous_at("192.0.2.8"));
  EXPECT_NE(other_address.ticket_id, theirs.ticket_id);
}

TEST(ClientKey, TheIssuersRetryGetsItsTicketAgainAlsoAfterReplay) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const auto first = centre.must(take("A", "", "key-1"), now, anonymous_at("192.0.2.7"));
  const auto again = centre.must(take("A", "", "key-1"), now + 1min, anonymous_at("192.0.2.7"));
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(again.ticket_id, first.ticket_id);
  // A restarted server (a fresh engine folded from the log, or restored
  // from a snapshot) keeps the keys where they belong.
  auto replayed = centre.replayed();
  const auto after_replay =
      replayed.execute(take("A", "", "key-1"), now + 2min, anonymous_at("192.0.2.7"));
  ASSERT_TRUE(after_replay.ok());
  EXPECT_EQ(after_replay->ticket_id, first.ticket_id);
  EXPECT_TRUE(after_replay->events.empty());
  engine restored(small_centre(), [] { return std::string("restored-token"); });
  restored.restore(centre.live().snapshot(now, visibility::internal));
  const auto stranger = restored.execute(take("A", "", "key-1"), now + 2min, actor{"kiosk-1"});
  ASSERT_TRUE(stranger.ok());
  EXPECT_NE(stranger->ticket_id, first.ticket_id);
  EXPECT_EQ(restored.execute(take("A", "", "key-1"), now, anonymous_at("192.0.2.7"))->ticket_id,
            first.ticket_id);
}

TEST(ClientKey, NoPublicViewShowsTheKeyOrItsIssuer) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const auto taken = centre.must(take("A", "", "key-1"), now, anonymous_at("192.0.2.7"));
  const auto shown = centre.live().find_ticket(taken.ticket_id, now, visibility::public_view);
  ASSERT_TRUE(shown.has_value());
  EXPECT_EQ(shown->client_key(), "");
  EXPECT_EQ(shown->source(), "anonymous");
  EXPECT_EQ(shown->DebugString().find("192.0.2.7"), std::string::npos);
}

TEST(TicketAllowance, ASpentRateRefusesNewTicketsButAnswersRetries) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  const auto first = centre.must(take("A", "", "key-1"), now, anonymous_at("192.0.2.7"));
  const ticket_allowance spent{rate_state::spent, 0};
  const auto retry = centre.run(take("A", "", "key-1"), now, anonymous_at("192.0.2.7", spent));
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->ticket_id, first.ticket_id);
  EXPECT_TRUE(retry->events.empty());
  for (const auto& key : {std::string("key-2"), std::string()}) {
    SCOPED_TRACE("key \"" + key + "\"");
    const auto refused = centre.run(take("A", "", key), now, anonymous_at("192.0.2.7", spent));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.failure().code, v1::ERROR_CODE_RATE_LIMITED);
  }
  // Someone else's key does not get through a spent limit either.
  const auto guessed = centre.run(take("A", "", "key-1"), now, anonymous_at("192.0.2.9", spent));
  ASSERT_FALSE(guessed.ok());
  EXPECT_EQ(guessed.failure().code, v1::ERROR_CODE_RATE_LIMITED);
  EXPECT_EQ(centre.live().seq(), 1u);
}

// A centre whose categories can run out: A has 8 numbers a day, B a block
// of 999; C never runs out.
centre_config limited_centre() {
  auto config = small_centre();
  auto limited = prefix_category("A", "A");
  limited.daily_limit = 8;
  config.categories = {limited, block_category("B", 1001, 1999), prefix_category("C", "C")};
  config.counters = {counter_serving("1", {"A", "B", "C"})};
  return config;
}

TEST(TicketAllowance, OneAddressTakesAtMostItsShareOfACategorysNumbers) {
  recorded_engine centre(limited_centre());
  const auto now = morning();
  const ticket_allowance quarter{rate_state::within_limit, 25};
  const auto taker = anonymous_at("192.0.2.7", quarter);
  // A quarter of A's 8 numbers is 2.
  centre.must(take("A", "", "key-0"), now, taker);
  centre.must(take("A"), now, taker);
  const auto third = centre.run(take("A"), now, taker);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.failure().code, v1::ERROR_CODE_RATE_LIMITED);
  // Its retries are still answered; the other categories, other addresses
  // and kiosks are not affected, and categories that never run out are
  // not capped.
  EXPECT_TRUE(centre.run(take("A", "", "key-0"), now, taker).ok());
  EXPECT_TRUE(centre.run(take("B"), now, taker).ok());
  EXPECT_TRUE(centre.run(take("A"), now, anonymous_at("192.0.2.8", quarter)).ok());
  EXPECT_TRUE(centre.run(take("A"), now, actor{"kiosk-1"}).ok());
  for (int i = 0; i < 10; ++i) centre.must(take("C"), now, taker);
  // A restart (replay) still counts what the address took today.
  auto replayed = centre.replayed();
  EXPECT_FALSE(replayed.execute(take("A"), now, taker).ok());
  // The next service day starts afresh.
  EXPECT_TRUE(centre.run(take("A"), now + 24h, taker).ok());
}

TEST(TicketAllowance, TheShareIsAtLeastOneTicket) {
  auto config = limited_centre();
  config.categories[0].daily_limit = 2;
  recorded_engine centre(config);
  const auto taker = anonymous_at("192.0.2.7", {rate_state::within_limit, 25});
  centre.must(take("A"), morning(), taker);
  EXPECT_FALSE(centre.run(take("A"), morning(), taker).ok());
}

}  // namespace
}  // namespace luot::core::testing
