#include "core/numbering.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace luot::core::testing {
namespace {

TEST(Numbering, FormatsPrefixAndBlockNumbers) {
  struct row {
    const char* name;
    category_config category;
    std::uint32_t ordinal;
    std::optional<std::string> expected;
  };
  auto limited = prefix_category("L", "L", 2);
  limited.daily_limit = 5;
  const row rows[] = {
      {"prefix pads to width", prefix_category("A", "A"), 7, "A007"},
      {"prefix width 4", prefix_category("C", "C", 4), 42, "C0042"},
      {"prefix grows past width", prefix_category("A", "A"), 1000, "A1000"},
      {"no prefix", prefix_category("N", "", 2), 3, "03"},
      {"block starts at first", block_category("B", 1001, 1999), 1, "1001"},
      {"block middle", block_category("B", 1001, 1999), 7, "1007"},
      {"block last number", block_category("B", 1001, 1999), 999, "1999"},
      {"block exhausted", block_category("B", 1001, 1999), 1000, std::nullopt},
      {"daily limit last", limited, 5, "L05"},
      {"daily limit exceeded", limited, 6, std::nullopt},
  };
  for (const auto& [name, category, ordinal, expected] : rows) {
    SCOPED_TRACE(name);
    EXPECT_EQ(numbering(category).display(ordinal), expected);
  }
}

TEST(Numbering, EachCategoryCountsIndependently) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  std::vector<std::string> numbers;
  for (const char* category : {"A", "A", "B", "A", "B"})
    numbers.push_back(centre.ticket(centre.take_ticket(category, now), now).number());
  EXPECT_EQ(numbers, (std::vector<std::string>{"A001", "A002", "1001", "A003", "1002"}));
}

TEST(Numbering, ExhaustedBlockClosesCategory) {
  auto config = small_centre();
  config.categories[1] = block_category("B", 1001, 1003);
  recorded_engine centre(config);
  const auto now = morning();
  for (int i = 0; i < 3; ++i) centre.take_ticket("B", now);
  EXPECT_EQ(centre.category("B", now).status(), v1::CATEGORY_STATUS_CLOSED_LIMIT_REACHED);
  EXPECT_EQ(centre.category("B", now).next_number(), "");
  const auto refused = centre.run(take("B"), now);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.failure().code, v1::ERROR_CODE_CATEGORY_LIMIT_REACHED);
  EXPECT_EQ(refused.failure().args, std::vector<std::string>{"B"});
}

TEST(Numbering, DailyLimitClosesCategory) {
  auto config = small_centre();
  config.categories[0].daily_limit = 2;
  recorded_engine centre(config);
  const auto now = morning();
  centre.take_ticket("A", now);
  EXPECT_EQ(centre.category("A", now).status(), v1::CATEGORY_STATUS_OPEN);
  EXPECT_EQ(centre.category("A", now).next_number(), "A002");
  centre.take_ticket("A", now);
  EXPECT_EQ(centre.category("A", now).status(), v1::CATEGORY_STATUS_CLOSED_LIMIT_REACHED);
  EXPECT_EQ(centre.category("A", now).issued_today(), 2u);
  EXPECT_EQ(centre.category("A", now).daily_limit(), 2u);
  const auto refused = centre.run(take("A"), now);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.failure().code, v1::ERROR_CODE_CATEGORY_LIMIT_REACHED);
  // The other category is unaffected.
  EXPECT_EQ(centre.category("B", now).status(), v1::CATEGORY_STATUS_OPEN);
}

}  // namespace
}  // namespace luot::core::testing
