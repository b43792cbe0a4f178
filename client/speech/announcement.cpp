#include "speech/announcement.hpp"

#include <algorithm>
#include <vector>

namespace luot::speech {

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(' ');
  return text.substr(first, last - first + 1);
}

void add_words(const words& spoken, text::language language, std::vector<segment>& out) {
  for (const auto word : spoken) {
    out.push_back({std::string(word), std::string(clip_for_word(language, word))});
  }
}

void add_phrase(std::string_view phrase, std::vector<segment>& out) {
  phrase = trim(phrase);
  if (phrase.empty()) return;
  out.push_back({std::string(phrase), clip_name(phrase)});
}

// A counter's name is free text such as "Quầy 5 – Trả kết quả": runs of
// digits become words (whole numbers: "Quầy 12" is "Quầy mười hai"), a dash
// between words becomes a pause, the rest is said as written.
std::vector<segment> name_segments(std::string_view name, const reading_style& style) {
  std::vector<segment> out;
  std::string phrase;
  const auto flush = [&] {
    add_phrase(phrase, out);
    phrase.clear();
  };
  std::size_t begin = 0;
  while (begin < name.size()) {
    auto end = name.find(' ', begin);
    if (end == std::string_view::npos) end = name.size();
    const auto token = name.substr(begin, end - begin);
    begin = end + 1;
    if (token.empty()) continue;
    if (token == "-" || token == "–" || token == "—") {
      flush();
      out.push_back({",", ""});
      continue;
    }
    if (!phrase.empty()) phrase += ' ';
    for (std::size_t at = 0; at < token.size();) {
      const auto digits_end = token.find_first_not_of("0123456789", at);
      const auto run = token.substr(
          at, digits_end == std::string_view::npos ? token.size() - at : digits_end - at);
      if (run.empty()) {
        phrase += token[at++];
        continue;
      }
      flush();
      reading_style number_style = style;
      number_style.digits = digit_reading::whole_number;
      auto spoken = display_number_words(run, number_style);
      if (!spoken) {
        // Too long to be a number anyone says whole: say the digits.
        number_style.digits = digit_reading::digit_by_digit;
        spoken = display_number_words(run, number_style);
      }
      add_words(*spoken, style.language, out);
      at += run.size();
    }
  }
  flush();
  return out;
}

result<std::vector<segment>> counter_segments(const call_details& call, const reading_style& style,
                                              bool& by_name) {
  by_name = false;
  if (all_digits(call.counter_id)) {
    // A counter number is always said whole: "quầy số mười hai", never digit by digit.
    reading_style whole = style;
    whole.digits = digit_reading::whole_number;
    auto spoken = display_number_words(call.counter_id, whole);
    if (!spoken) return result<std::vector<segment>>::failure(spoken.error());
    std::vector<segment> out;
    add_words(*spoken, style.language, out);
    return out;
  }
  if (!trim(call.counter_name).empty()) {
    by_name = true;
    return name_segments(call.counter_name, style);
  }
  auto spoken = display_number_words(call.counter_id, style);
  if (!spoken) {
    return result<std::vector<segment>>::failure("cannot read counter \"" + call.counter_id +
                                                 "\": " + spoken.error());
  }
  std::vector<segment> out;
  add_words(*spoken, style.language, out);
  return out;
}

std::string_view template_key(call_kind kind, bool by_name) {
  if (kind == call_kind::call) return by_name ? "speech.call_named" : "speech.call";
  return by_name ? "speech.recall_named" : "speech.recall";
}

}  // namespace

result<utterance> build_announcement(const call_details& call, const reading_style& style) {
  if (trim(call.number).empty()) return result<utterance>::failure("the call has no ticket number");
  if (trim(call.counter_id).empty()) return result<utterance>::failure("the call has no counter");
  auto number = display_number_words(call.number, style);
  if (!number) return result<utterance>::failure(number.error());
  bool by_name = false;
  auto counter = counter_segments(call, style, by_name);
  if (!counter) return result<utterance>::failure(counter.error());

  // The template's fixed phrases become one segment (and one clip) each;
  // {0} is the ticket number and {1} the counter.
  const std::string_view pattern = text::lookup(style.language, template_key(call.kind, by_name));
  utterance sentence;
  sentence.language = style.language;
  std::size_t literal_begin = 0;
  for (std::size_t i = 0; i + 2 < pattern.size(); ++i) {
    if (pattern[i] != '{' || pattern[i + 2] != '}') continue;
    const char index = pattern[i + 1];
    if (index != '0' && index != '1') continue;
    add_phrase(pattern.substr(literal_begin, i - literal_begin), sentence.segments);
    if (index == '0') {
      add_words(*number, style.language, sentence.segments);
    } else {
      sentence.segments.insert(sentence.segments.end(), counter->begin(), counter->end());
    }
    literal_begin = i + 3;
    i += 2;
  }
  add_phrase(pattern.substr(std::min(literal_begin, pattern.size())), sentence.segments);
  return sentence;
}

result<std::string> announcement_sentence(std::string_view number, std::string_view counter,
                                          const reading_style& style) {
  call_details call;
  call.number = std::string(number);
  call.counter_id = std::string(counter);
  auto sentence = build_announcement(call, style);
  if (!sentence) return result<std::string>::failure(sentence.error());
  return sentence->text();
}

}  // namespace luot::speech
