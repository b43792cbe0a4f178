#pragma once

#include <string>
#include <string_view>

#include "speech/number_reader.hpp"
#include "speech/result.hpp"
#include "speech/utterance.hpp"

namespace luot::speech {

// A first call, or the officer calling the same ticket again.
enum class call_kind { call, recall };

// What an announcement is about. The counter is spoken by its id when the id
// is a number ("quầy số năm"); otherwise by its name in the announcement's
// language ("đến Quầy Trả kết quả"), or by its id spelled out when it has no
// name.
struct call_details {
  std::string number;
  std::string counter_id;
  std::string counter_name;
  call_kind kind = call_kind::call;
};

// The sentence for a call, from the catalogue's template (keys speech.call,
// speech.recall, speech.call_named, speech.recall_named), with every number
// in words: "Mời công dân có số thứ tự một nghìn không trăm hai mươi mốt đến
// quầy số năm". Fails with a readable reason for a number or counter that
// cannot be spoken.
result<utterance> build_announcement(const call_details& call, const reading_style& style);

// What `luot-display --print-announcement NUMBER COUNTER [--dialect ...]`
// prints: the sentence that would be spoken for a first call.
result<std::string> announcement_sentence(std::string_view number, std::string_view counter,
                                          const reading_style& style);

}  // namespace luot::speech
