#include "speech/announcement.hpp"

#include <gtest/gtest.h>

namespace luot::speech {
namespace {

struct sentence_case {
  std::string_view number;
  std::string_view counter;
  reading_style style;
  std::string_view sentence;
};

const sentence_case sentences[] = {
    {"1021",
     "5",
     {text::language::vi, dialect::north, digit_reading::whole_number},
     "Mời công dân có số thứ tự một nghìn không trăm hai mươi mốt đến quầy số năm"},
    {"1024",
     "14",
     {text::language::vi, dialect::south, digit_reading::whole_number},
     "Mời công dân có số thứ tự một ngàn không trăm hai mươi tư đến quầy số mười bốn"},
    {"A007",
     "3",
     {text::language::vi, dialect::north, digit_reading::whole_number},
     "Mời công dân có số thứ tự a bảy đến quầy số ba"},
    {"A007",
     "12",
     {text::language::vi, dialect::north, digit_reading::digit_by_digit},
     "Mời công dân có số thứ tự a không không bảy đến quầy số mười hai"},
    {"1021",
     "5",
     {text::language::en, dialect::north, digit_reading::whole_number},
     "Number one thousand twenty one, please go to counter five"},
    {"A007",
     "5",
     {text::language::en, dialect::north, digit_reading::digit_by_digit},
     "Number A zero zero seven, please go to counter five"},
};

TEST(Announcement, SaysTheNumberAndTheCounterInWords) {
  for (const auto& entry : sentences) {
    SCOPED_TRACE(std::string(entry.number) + " " + std::string(entry.counter));
    const auto sentence = announcement_sentence(entry.number, entry.counter, entry.style);
    ASSERT_TRUE(sentence) << sentence.error();
    EXPECT_EQ(*sentence, entry.sentence);
    EXPECT_EQ(sentence->find_first_of("0123456789"), std::string::npos);
  }
}

TEST(Announcement, ARecallHasItsOwnTemplate) {
  call_details call{"B012", "2", "Quầy 2", call_kind::recall};
  const auto vi = build_announcement(call, {});
  ASSERT_TRUE(vi) << vi.error();
  EXPECT_EQ(vi->text(), "Mời lại công dân có số thứ tự bê mười hai đến quầy số hai");
  const auto en = build_announcement(call, {text::language::en});
  ASSERT_TRUE(en) << en.error();
  EXPECT_EQ(en->text(), "Calling again number B twelve, please go to counter two");
}

TEST(Announcement, ACounterWithoutANumberIsCalledByItsName) {
  const call_details call{"1021", "TKQ", "Quầy 5 – Trả kết quả", call_kind::call};
  const auto sentence = build_announcement(call, {});
  ASSERT_TRUE(sentence) << sentence.error();
  EXPECT_EQ(sentence->text(),
            "Mời công dân có số thứ tự một nghìn không trăm hai mươi mốt đến Quầy năm, Trả kết "
            "quả");
  const auto odd = build_announcement({"7", "T2", "Quầy 12B (tầng 2)", call_kind::call}, {});
  ASSERT_TRUE(odd) << odd.error();
  EXPECT_EQ(odd->text(), "Mời công dân có số thứ tự bảy đến Quầy mười hai B (tầng hai)");
  // Without a name the id is spelled out.
  const auto spelled = build_announcement({"7", "B2", "", call_kind::call}, {});
  ASSERT_TRUE(spelled) << spelled.error();
  EXPECT_EQ(spelled->text(), "Mời công dân có số thứ tự bảy đến quầy số bê hai");
}

// Each fixed phrase and each word carries the clip that says it.
TEST(Announcement, EverySegmentNamesItsClip) {
  const auto sentence = build_announcement({"A021", "5", "", call_kind::call}, {});
  ASSERT_TRUE(sentence) << sentence.error();
  std::vector<std::string> clips;
  for (const auto& piece : sentence->segments) clips.push_back(piece.clip);
  EXPECT_EQ(clips, (std::vector<std::string>{"moi-cong-dan-co-so-thu-tu", "chu-a", "hai",
                                             "muoi-ngang", "mot-sac", "den-quay-so", "nam"}));
  const auto recall =
      build_announcement({"10", "5", "", call_kind::recall}, {text::language::vi, dialect::south});
  ASSERT_TRUE(recall) << recall.error();
  EXPECT_EQ(recall->segments.front().clip, "moi-lai-cong-dan-co-so-thu-tu");
  EXPECT_EQ(recall->segments[1].clip, "muoi-huyen");
  const auto english = build_announcement({"3", "4", "", call_kind::call}, {text::language::en});
  ASSERT_TRUE(english) << english.error();
  std::vector<std::string> english_clips;
  for (const auto& piece : english->segments) english_clips.push_back(piece.clip);
  EXPECT_EQ(english_clips,
            (std::vector<std::string>{"number", "three", "please-go-to-counter", "four"}));
}

TEST(Announcement, ClipNamesAreAsciiWithoutDiacritics) {
  EXPECT_EQ(clip_name("Mời công dân có số thứ tự"), "moi-cong-dan-co-so-thu-tu");
  EXPECT_EQ(clip_name("đến quầy số"), "den-quay-so");
  EXPECT_EQ(clip_name(", please go to counter"), "please-go-to-counter");
  EXPECT_EQ(clip_name("Quầy Trả kết quả"), "quay-tra-ket-qua");
  // The same words in decomposed form (NFD) give the same name.
  EXPECT_EQ(clip_name("Tra\xcc\x89 ke\xcc\x82\xcc\x81t"), "tra-ket");
  EXPECT_EQ(clip_name("ĐỨC"), "duc");
}

TEST(Announcement, RefusesACallItCannotSay) {
  const auto no_number = build_announcement({"", "5", "", call_kind::call}, {});
  ASSERT_FALSE(no_number);
  EXPECT_EQ(no_number.error(), "the call has no ticket number");
  const auto no_counter = build_announcement({"A1", " ", "", call_kind::call}, {});
  ASSERT_FALSE(no_counter);
  EXPECT_EQ(no_counter.error(), "the call has no counter");
  const auto bad_number = announcement_sentence("A#1", "5", {});
  ASSERT_FALSE(bad_number);
  EXPECT_NE(bad_number.error().find("\"A#1\""), std::string::npos);
  const auto bad_counter = announcement_sentence("A1", "#", {});
  ASSERT_FALSE(bad_counter);
  EXPECT_NE(bad_counter.error().find("cannot read counter \"#\""), std::string::npos);
}

}  // namespace
}  // namespace luot::speech
