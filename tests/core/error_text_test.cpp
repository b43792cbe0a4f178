// The engine's refusals as people read them: reasons are typed catalogue
// messages, translated into the reader's language, and whatever a client
// sent is printed as it is, even when it looks like a catalogue key.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "text/catalogue.hpp"

namespace luot::core::testing {
namespace {

// What the server sends (net/codec does the same).
std::string text_of(const error& failure, text::language lang) {
  std::optional<text::message> because;
  if (failure.because) because = text::message{failure.because->key, failure.because->args};
  return text::error_message(lang, failure.code, failure.args, because);
}

bool ascii_only(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

TEST(ErrorText, EngineReasonsComeFromTheCatalogueInBothLanguages) {
  recorded_engine centre(small_centre());
  const auto now = morning();
  centre.must(open_counter("1", "lan"), now);
  centre.take_ticket("A", now);
  centre.call("1", now);
  const auto no_target = centre.run(transfer("1", "", "", v1::PLACEMENT_FIRST), now);
  const auto itself = centre.run(transfer("1", "", "1", v1::PLACEMENT_FIRST), now);
  const auto empty = centre.run(v1::Command{}, now);
  ASSERT_FALSE(no_target.ok());
  ASSERT_FALSE(itself.ok());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(text_of(no_target.failure(), text::language::vi),
            "Không thể chuyển: chưa chọn lĩnh vực hoặc quầy nhận");
  EXPECT_EQ(text_of(no_target.failure(), text::language::en),
            "Cannot transfer: no destination category or counter chosen");
  EXPECT_EQ(text_of(itself.failure(), text::language::en),
            "Cannot transfer: cannot transfer back to counter 1 itself");
  // An English reader never sees Vietnamese (none of these echo a name).
  for (const auto* refused : {&no_target, &itself, &empty})
    EXPECT_TRUE(ascii_only(text_of(refused->failure(), text::language::en)))
        << text_of(refused->failure(), text::language::en);
}

TEST(ErrorText, AClientStringThatLooksLikeAKeyIsPrintedAsItIs) {
  recorded_engine centre(small_centre());
  const std::string sent = "@error.ERROR_CODE_INTERNAL";
  const auto refused = centre.run(take(sent), morning());
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(refused.failure().code, v1::ERROR_CODE_UNKNOWN_CATEGORY);
  EXPECT_EQ(text_of(refused.failure(), text::language::en),
            "There is no category \"@error.ERROR_CODE_INTERNAL\".");
  // Also with the old "@key|arg" shape, and inside a reason's arguments.
  EXPECT_EQ(text::error_message(text::language::en, v1::ERROR_CODE_UNKNOWN_CATEGORY,
                                {"@reason.other_counter|1|2"}),
            "There is no category \"@reason.other_counter|1|2\".");
  EXPECT_EQ(text::error_message(text::language::en, v1::ERROR_CODE_PERMISSION_DENIED, {},
                                text::reason("reason.counter_not_allowed", {"@reason.staff_only"})),
            "Not allowed: you are not assigned to counter @reason.staff_only");
}

}  // namespace
}  // namespace luot::core::testing
