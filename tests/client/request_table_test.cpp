#include "device/request_table.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "text/catalogue.hpp"

namespace luot::device {
namespace {

v1::ServerMessage result_for(std::uint64_t request_id, std::uint64_t seq) {
  v1::ServerMessage reply;
  reply.set_request_id(request_id);
  reply.mutable_result()->add_seqs(seq);
  return reply;
}

TEST(RequestTable, RepliesReachTheRequestWithTheirIdInAnyOrder) {
  request_table table;
  std::vector<std::pair<int, std::uint64_t>> got;
  const auto first = table.add(
      [&](const v1::ServerMessage& reply) { got.emplace_back(1, reply.result().seqs(0)); });
  const auto second = table.add(
      [&](const v1::ServerMessage& reply) { got.emplace_back(2, reply.result().seqs(0)); });
  EXPECT_NE(first, second);
  EXPECT_EQ(table.waiting(), 2u);
  EXPECT_TRUE(table.complete(result_for(second, 20)));
  EXPECT_TRUE(table.complete(result_for(first, 10)));
  EXPECT_EQ(got, (std::vector<std::pair<int, std::uint64_t>>{{2, 20}, {1, 10}}));
  EXPECT_EQ(table.waiting(), 0u);
  // A repeated or unknown reply reaches nobody.
  EXPECT_FALSE(table.complete(result_for(first, 10)));
  EXPECT_FALSE(table.complete(result_for(0, 1)));
  EXPECT_EQ(got.size(), 2u);
}

TEST(RequestTable, IdsOnlyGrowAcrossEveryKindOfRequest) {
  request_table table;
  std::uint64_t last = 0;
  for (int i = 0; i < 20; ++i) {
    const auto id = i % 2 == 0 ? table.next_id() : table.add(nullptr);
    EXPECT_GT(id, last);
    last = id;
  }
}

TEST(RequestTable, FailAllAnswersEveryWaitingRequestUnavailableOnce) {
  request_table table;
  std::vector<std::uint64_t> failed;
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(table.add([&](const v1::ServerMessage& reply) {
      ASSERT_TRUE(reply.has_error());
      EXPECT_EQ(reply.error().code(), v1::ERROR_CODE_UNAVAILABLE);
      EXPECT_FALSE(reply.error().message().empty());
      EXPECT_FALSE(reply.error().message_en().empty());
      failed.push_back(reply.request_id());
    }));
  }
  table.fail_all("the link dropped");
  EXPECT_EQ(failed, ids);
  EXPECT_EQ(table.waiting(), 0u);
  table.fail_all("again");
  EXPECT_EQ(failed.size(), 3u);
}

TEST(RequestTable, ARequestMadeWhileFailingIsNotFailedWithThem) {
  request_table table;
  int retried_answers = 0;
  table.add([&](const v1::ServerMessage&) {
    // A kiosk retrying at once: the new request waits for the next link.
    table.add([&](const v1::ServerMessage&) { ++retried_answers; });
  });
  table.fail_all("the link dropped");
  EXPECT_EQ(retried_answers, 0);
  EXPECT_EQ(table.waiting(), 1u);
}

TEST(RequestTable, UnavailableReplyCarriesTheCatalogueTextInBothLanguages) {
  const auto reply = unavailable_reply(7);
  EXPECT_EQ(reply.request_id(), 7u);
  EXPECT_EQ(reply.error().code(), v1::ERROR_CODE_UNAVAILABLE);
  EXPECT_EQ(reply.error().message(),
            text::error_message(text::language::vi, v1::ERROR_CODE_UNAVAILABLE, {}));
  EXPECT_EQ(reply.error().message_en(),
            text::error_message(text::language::en, v1::ERROR_CODE_UNAVAILABLE, {}));
  EXPECT_NE(reply.error().message(), reply.error().message_en());
}

}  // namespace
}  // namespace luot::device
