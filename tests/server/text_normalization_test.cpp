// Text from outside is well-formed UTF-8 in NFC before anything compares,
// caps or stores it: "Hoà" typed with a precomposed "à" and with "a" plus a
// combining grave accent is one name.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "luot/v1/luot.pb.h"
#include "net/api/text_normalize.hpp"

namespace luot::net::api {
namespace {

// "Hoà" as one keyboard sends it (U+00E0) and as another does (U+0061 U+0300).
const std::string composed = "Ho\xC3\xA0";
const std::string decomposed = "Hoa\xCC\x80";
// "Nguyễn Thị Hoà": ễ is e + circumflex + tilde (U+1EC5), ị is i + dot below.
const std::string full_composed = "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B Ho\xC3\xA0";
const std::string full_decomposed = "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Hoa\xCC\x80";

TEST(TextNormalization, BothKeyboardsGiveTheSameName) {
  ASSERT_NE(composed, decomposed);
  EXPECT_EQ(to_nfc(decomposed), composed);
  EXPECT_EQ(to_nfc(composed), composed);
  EXPECT_EQ(to_nfc(full_decomposed), full_composed);
  EXPECT_EQ(to_nfc(full_composed), full_composed);
  // Combining marks in another order (dot below before circumflex) are the
  // same letter: canonical ordering puts them right.
  EXPECT_EQ(to_nfc("e\xCC\xA3\xCC\x82"), "\xE1\xBB\x87");
  EXPECT_EQ(to_nfc("e\xCC\x82\xCC\xA3"), "\xE1\xBB\x87");
  EXPECT_EQ(to_nfc("A012"), "A012");
  EXPECT_EQ(to_nfc(""), "");
}

TEST(TextNormalization, MalformedUtf8IsRefused) {
  EXPECT_TRUE(is_valid_utf8(full_composed));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600, four bytes
  for (const std::string& bad : {
           std::string("\xC0\xB2"),          // overlong '2'
           std::string("\xE0\x80\xAF"),      // overlong '/'
           std::string("\xED\xA0\x80"),      // a surrogate, U+D800
           std::string("\xF4\x90\x80\x80"),  // past U+10FFFF
           std::string("Ho\xC3"),            // cut short
           std::string("\x80"
                       "abc"),  // a stray continuation byte
           std::string("\xFF"),
       }) {
    SCOPED_TRACE(::testing::PrintToString(bad));
    EXPECT_FALSE(is_valid_utf8(bad));
    EXPECT_EQ(to_nfc(bad), std::nullopt);
  }
}

TEST(TextNormalization, ADecomposedDisplayNameComesBackComposed) {
  v1::StaffForm form;
  form.set_username("hoa");
  form.set_display_name(full_decomposed);
  form.set_password(
      "m\xE1\xBA\xADt kh"
      "a\xCC\x82"
      "u");  // mixed forms, kept as typed
  form.add_counters(
      "Qu"
      "a\xCC\x80"
      "y 1");
  const std::string password = form.password();

  ASSERT_EQ(normalize_text(form), std::nullopt);
  EXPECT_EQ(form.display_name(), full_composed);
  EXPECT_EQ(form.counters(0), "Qu\xC3\xA0y 1");
  EXPECT_EQ(form.username(), "hoa");
  // A password hash was made from the bytes typed; they are never changed.
  EXPECT_EQ(form.password(), password);
}

TEST(TextNormalization, NestedCommandsAreNormalizedToo) {
  v1::Command command;
  auto& record = *command.mutable_set_staff()->mutable_record();
  record.set_username("hoa");
  record.set_display_name(decomposed);
  v1::Command pause;
  // "Nghỉ trưa": ỉ as i + hook above, ư as u + horn.
  pause.mutable_pause_counter()->set_reason(
      "Nghi\xCC\x89 tru\xCC\x9B"
      "a");

  ASSERT_EQ(normalize_text(command), std::nullopt);
  ASSERT_EQ(normalize_text(pause), std::nullopt);
  EXPECT_EQ(command.set_staff().record().display_name(), composed);
  EXPECT_EQ(pause.pause_counter().reason(),
            "Ngh\xE1\xBB\x89 tr\xC6\xB0"
            "a");
}

TEST(TextNormalization, AMessageWithMalformedTextIsRefusedUnchanged) {
  // The JSON and binary parsers only hand over valid UTF-8 in string fields,
  // but a message built any other way is checked all the same.
  v1::StaffForm form;
  form.set_display_name(decomposed);
  form.add_counters("1\xC0\xB2");
  const auto refused = normalize_text(form);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->code, v1::ERROR_CODE_BAD_REQUEST);
  ASSERT_TRUE(refused->because.has_value());
  EXPECT_EQ(refused->because->key, "sec.invalid_utf8");
  EXPECT_EQ(refused->because->args, std::vector<std::string>{"counters"});
  // Nothing was normalized before the refusal.
  EXPECT_EQ(form.display_name(), decomposed);
}

TEST(TextNormalization, CapsCountComposedCharacters) {
  // 100 letters "à" typed decomposed are 200 code points; composed they are
  // 100, exactly a name's cap.
  std::string name;
  for (int i = 0; i < 100; ++i) name += "a\xCC\x80";
  v1::StaffForm form;
  form.set_display_name(name);
  EXPECT_EQ(prepare_text(form), std::nullopt);
  EXPECT_EQ(form.display_name().size(), 200u);  // 100 x two bytes (U+00E0)

  form.set_display_name(name + "a");
  const auto refused = prepare_text(form);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->code, v1::ERROR_CODE_BAD_REQUEST);
  ASSERT_TRUE(refused->because.has_value());
  EXPECT_EQ(refused->because->key, "sec.too_long");
  EXPECT_EQ(refused->because->args, (std::vector<std::string>{"displayName", "100"}));
}

}  // namespace
}  // namespace luot::net::api
