#include "text/catalogue.hpp"

#include <gtest/gtest.h>

namespace luot::text {
namespace {

TEST(Catalogue, BothLanguagesHaveTheSameKeys) {
  EXPECT_EQ(keys(language::vi), keys(language::en));
}

TEST(Catalogue, EveryErrorCodeHasTextInBothLanguages) {
  const auto* codes = v1::ErrorCode_descriptor();
  for (int i = 0; i < codes->value_count(); ++i) {
    const auto code = static_cast<v1::ErrorCode>(codes->value(i)->number());
    const std::string key = "error." + v1::ErrorCode_Name(code);
    SCOPED_TRACE(key);
    EXPECT_NE(lookup(language::vi, key), key);
    EXPECT_NE(lookup(language::en, key), key);
  }
}

TEST(Catalogue, FillsArgumentsInOrder) {
  EXPECT_EQ(error_message(language::vi, v1::ERROR_CODE_COUNTER_NOT_SERVING_CATEGORY, {"3", "NCC"}),
            "Quầy 3 không tiếp nhận lĩnh vực \"NCC\".");
  EXPECT_EQ(error_message(language::en, v1::ERROR_CODE_CATEGORY_LIMIT_REACHED, {"LDVL"}),
            "Category \"LDVL\" has no numbers left today.");
}

TEST(Catalogue, MissingArgumentsLeaveNoPlaceholder) {
  const std::string text = error_message(language::vi, v1::ERROR_CODE_UNKNOWN_CATEGORY, {});
  EXPECT_EQ(text.find("{0}"), std::string::npos);
}

TEST(Catalogue, UnknownKeyFallsBackToTheKey) {
  EXPECT_EQ(lookup(language::vi, "no.such.key"), "no.such.key");
}

}  // namespace
}  // namespace luot::text

namespace luot::text {
namespace {

TEST(Catalogue, ReasonsInsideErrorsAreTranslatedToo) {
  const auto because = reason("reason.other_counter", {"1", "2"});
  EXPECT_EQ(error_message(language::vi, v1::ERROR_CODE_PERMISSION_DENIED, {}, because),
            "Không có quyền thực hiện thao tác này: bạn đăng nhập tại quầy 1, không phải quầy 2");
  EXPECT_EQ(error_message(language::en, v1::ERROR_CODE_PERMISSION_DENIED, {}, because),
            "Not allowed: you are signed in to counter 1, not counter 2");
}

TEST(Catalogue, AnArgumentThatLooksLikeAKeyIsPrintedAsItIs) {
  EXPECT_EQ(
      error_message(language::en, v1::ERROR_CODE_UNKNOWN_CATEGORY, {"@error.ERROR_CODE_INTERNAL"}),
      "There is no category \"@error.ERROR_CODE_INTERNAL\".");
}

TEST(Catalogue, PlainArgumentsAreNotTranslated) {
  EXPECT_EQ(error_message(language::vi, v1::ERROR_CODE_UNKNOWN_CATEGORY, {"reason.staff_only"}),
            "Không có lĩnh vực \"reason.staff_only\".");
}

}  // namespace
}  // namespace luot::text
